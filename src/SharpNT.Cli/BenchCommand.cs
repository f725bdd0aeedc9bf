using System.Diagnostics;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Win32;

namespace SharpNT.Cli;

/// <summary>
/// `sharpnt bench irp`: the IRP round-trip figure measured in-process, for anyone without BenchmarkDotNet
/// (the benchmark project measures the same operation with a baseline beside it).
/// </summary>
internal static class BenchCommand
{
    public static int Irp(TextWriter output, int layers, int count, string? verifier)
    {
        var options = new MachineOptions { Verifier = verifier is null ? SharpNT.Kernel.Vf.VerifierSettings.None : SharpNT.Kernel.Vf.VerifierSettings.Parse(verifier) };
        using var machine = Machine.Boot(MachineDescription.Default with { Processors = 1 }, options);
        using var attachment = machine.AttachHostThread();
        var top = IrpRoundTrip.BuildStack(machine, layers);

        // Warm up: JIT, lookaside lists, thunk tables.
        for (var i = 0; i < 20_000; i++)
        {
            IrpRoundTrip.Send(top);
        }

        var best = double.MaxValue;
        long allocated = 0;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                IrpRoundTrip.Send(top);
            }

            watch.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / count);
        }

        output.WriteLine($"IRP round trip through {layers} devices (allocate, IoCallDriver down with a completion routine per layer,");
        output.WriteLine($"IoCompleteRequest at the bottom, routines back up, free){(verifier is null ? "" : $" with the verifier \"{verifier}\"")}, best of 5 runs:");
        output.WriteLine($"  {best:F1} ns per IRP ({best / layers:F1} ns per layer), {(double)allocated / count:F1} managed bytes allocated per IRP");
        return ExitCodes.Success;
    }

    /// <summary>
    /// `sharpnt bench ioctl`: DeviceIoControl round trips per second from one program thread (METHOD_BUFFERED,
    /// 64 bytes in and out) through the system call and a stack of <paramref name="layers"/> drivers.
    /// </summary>
    public static int Ioctl(TextWriter output, int layers, int count)
    {
        using var machine = Machine.Boot(MachineDescription.Default with { Processors = 1 });
        using var attachment = IrpRoundTrip.AttachUserRequester(machine, layers);
        var device = Kernel32.CreateFile(@"\\.\IoctlBench", WinBase.GENERIC_READ | WinBase.GENERIC_WRITE, 0, 0, WinBase.OPEN_EXISTING, 0, 0);
        var buffer = Kernel32.VirtualAlloc(0, 0x1000, WinBase.MEM_COMMIT | WinBase.MEM_RESERVE, WinBase.PAGE_READWRITE);
        var code = WinIoCtl.CTL_CODE(0x22, 0x800, WinIoCtl.METHOD_BUFFERED, WinIoCtl.FILE_ANY_ACCESS);
        for (var i = 0; i < 20_000; i++)
        {
            Kernel32.DeviceIoControl(device, code, buffer, 64, buffer + 0x100, 64, out _, 0);
        }

        var best = double.MaxValue;
        long allocated = 0;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                Kernel32.DeviceIoControl(device, code, buffer, 64, buffer + 0x100, 64, out _, 0);
            }

            watch.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / count);
        }

        Kernel32.CloseHandle(device);
        output.WriteLine($"DeviceIoControl from a user-mode thread (METHOD_BUFFERED, 64 bytes in and out) through the system call and {layers} drivers,");
        output.WriteLine("best of 5 runs:");
        output.WriteLine($"  {best:F0} ns per call = {1e9 / best:N0} calls per second, {(double)allocated / count:F1} managed bytes allocated per call");
        return ExitCodes.Success;
    }
}
