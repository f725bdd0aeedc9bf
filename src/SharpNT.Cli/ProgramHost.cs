using SharpNT.Drivers.Fastfat;
using SharpNT.Drivers.Samples;
using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;
using SharpNT.Kernel.Se;
using SharpNT.Programs;
using SharpNT.Win32;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Cli;

/// <summary>
/// What `sharpnt run` and the user-mode demos do inside a booted machine: load the in-box sample drivers,
/// start built-in programs as user processes under an account's token, and wait for them.
/// </summary>
internal static class ProgramHost
{
    /// <summary>The sample drivers programs talk to: the filter/function/lower stack, the pending-timer device, the secure device.</summary>
    public static void LoadSampleDrivers(Machine machine)
    {
        foreach (var driver in new DriverImage[]
        {
            new SampleLowerDriver(), new SampleFunctionDriver(), new SampleFilterDriver(), new PendingTimerDriver(), new SampleSecureDriver(),
        })
        {
            var status = machine.Io.LoadDriver(driver, out _);
            if (!status.IsSuccess())
            {
                throw new NtException(status);
            }
        }
    }

    /// <summary>
    /// The file systems on the machine's disks (the description's `disks`, which nvmeport.sys and disk.sys
    /// serve): fastfat.sys, and drive letters C:, D:, ... in disk order, each on the disk's first partition
    /// or, for a disk without a partition table (what `mkfs.fat -C` makes), on the whole disk. Each volume
    /// is mounted at its first open.
    /// </summary>
    public static void LoadFileSystems(Machine machine)
    {
        var disks = machine.Description.Disks.Count;
        if (disks == 0)
        {
            return;
        }

        var status = machine.Io.LoadDriver(new FatDriver(), out _);
        if (!status.IsSuccess())
        {
            throw new NtException(status);
        }

        for (var i = 0; i < disks; i++)
        {
            var partition = Exists($@"\Device\Harddisk{i}\Partition1") ? 1 : 0;
            status = machine.Io.AssignDriveLetter((char)('C' + i), $@"\Device\Harddisk{i}\Partition{partition}");
            if (!status.IsSuccess())
            {
                throw new NtException(status);
            }
        }
    }

    private static bool Exists(string name)
    {
        var status = ObReferenceObjectByName(new UNICODE_STRING(name), OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE, null, 0, null,
            KPROCESSOR_MODE.KernelMode, null, out var body);
        if (status.IsSuccess())
        {
            ObDereferenceObject(body!);
        }

        return status.IsSuccess();
    }

    /// <summary>
    /// Starts <paramref name="program"/> with <paramref name="arguments"/> under <paramref name="account"/>'s token (call inside
    /// Machine.Run). The process carries a reference for the caller.
    /// </summary>
    public static EPROCESS Start(Machine machine, Win32Program program, IReadOnlyList<string> arguments, string account = "Administrator")
    {
        var token = WellKnownTokens.Create(account) ?? throw new ArgumentException($"No account named '{account}'.", nameof(account));
        var commandLine = string.Join(' ', new[] { program.ImageName }.Concat(arguments).Select(Crt.QuoteArgument));
        var status = machine.Ps.CreateUserProcess(program.ImageName, commandLine, token, () =>
        {
            ProcessStartup.Run(program);
            return NTSTATUS.STATUS_SUCCESS;
        }, out var process);
        if (!status.IsSuccess())
        {
            throw new NtException(status);
        }

        return process!;
    }

    /// <summary>Waits for the process to end and returns its exit status (the caller's reference goes).</summary>
    public static uint Wait(Machine machine, EPROCESS process)
    {
        ReadOnlySpan<DispatcherObject> wait = [process];
        machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
        var exit = (uint)process.ExitStatus;
        machine.Ob.DereferenceObject(process);
        return exit;
    }

    /// <summary>Starts a program and waits for it: its exit status.</summary>
    public static uint Run(Machine machine, Win32Program program, IReadOnlyList<string> arguments, string account = "Administrator") =>
        Wait(machine, Start(machine, program, arguments, account));
}
