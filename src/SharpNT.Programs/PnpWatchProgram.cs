using System.Globalization;
using System.Text;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>
/// pnpwatch [COUNT]: what the user-mode PnP manager does with the kernel's event queue: NtGetPlugPlayEvent waits
/// for the next event (a PLUGPLAY_EVENT_BLOCK), the program prints it, and PlugPlayControlUserResponse takes it off
/// the queue. Needs SeTcbPrivilege: run it as SYSTEM.
/// </summary>
public sealed class PnpWatchProgram : Win32Program
{
    private static readonly Guid GUID_DEVICE_INTERFACE_ARRIVAL = new("cb3a4004-46f0-11d0-b08f-00609713053f");
    private const uint PlugPlayControlUserResponse = 7;
    private const int EventBlockSize = 0x400;

    public override string Name => "pnpwatch";

    public override string Description => "pnpwatch [COUNT]: prints device interface arrivals and removals as they come (run as SYSTEM)";

    public override int Main(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
        var block = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var response = block + EventBlockSize;
        for (var i = 0; i < count; i++)
        {
            var status = NtGetPlugPlayEvent(0, 0, block, EventBlockSize);
            if (!NT_SUCCESS(status))
            {
                Crt.PrintLine($"pnpwatch: NtGetPlugPlayEvent failed with 0x{status:X8}");
                return (int)RtlNtStatusToDosError(status);
            }

            var kind = new Guid(Memory.ReadBytes(block, 16)) == GUID_DEVICE_INTERFACE_ARRIVAL ? "arrival" : "removal";
            var classGuid = new Guid(Memory.ReadBytes(block + 48, 16));
            var total = Memory.Read<uint>(block + 36);
            var link = Encoding.Unicode.GetString(Memory.ReadBytes(block + 64, (int)total - 64 - 2));
            Crt.PrintLine($"pnpwatch: interface {kind} {classGuid:B} {link}");
            Memory.Fill(response, 16, 0);
            NtPlugPlayControl(PlugPlayControlUserResponse, response, 16);
        }

        VirtualFree(block, 0, MEM_RELEASE);
        return 0;
    }
}
