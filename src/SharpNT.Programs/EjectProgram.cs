using System.Text;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>
/// eject INSTANCEPATH: "safely remove": what the user-mode PnP manager does for CM_Query_And_Remove_SubTree,
/// NtPlugPlayControl(PlugPlayControlQueryAndRemoveDevice): the device and everything below it are asked (query-remove)
/// and removed, unless something vetoes (an open handle, a driver), which it prints. Run it as SYSTEM.
/// </summary>
public sealed class EjectProgram : Win32Program
{
    private const uint PlugPlayControlQueryAndRemoveDevice = 6;
    private const int DataSize = 40;
    private const int STATUS_PLUGPLAY_QUERY_VETOED = unchecked((int)0x80000028);
    private static readonly string[] s_vetoTypes =
    [
        "PNP_VetoTypeUnknown", "PNP_VetoLegacyDevice", "PNP_VetoPendingClose", "PNP_VetoWindowsApp", "PNP_VetoWindowsService",
        "PNP_VetoOutstandingOpen", "PNP_VetoDevice", "PNP_VetoDriver", "PNP_VetoIllegalDeviceRequest", "PNP_VetoInsufficientPower",
        "PNP_VetoNonDisableable", "PNP_VetoLegacyDriver", "PNP_VetoInsufficientRights",
    ];

    public override string Name => "eject";

    public override string Description => "eject INSTANCEPATH: safely removes a device and those below it (query-remove, remove); run as SYSTEM";

    public override int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Crt.PrintLine("usage: eject INSTANCEPATH");
            return (int)WinError.ERROR_INVALID_PARAMETER;
        }

        var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var instance = memory + 0x100;
        var vetoName = memory + 0x800;
        var chars = Encoding.Unicode.GetBytes(args[0] + "\0");
        Memory.Write(instance, chars);
        Memory.Write(memory, (ushort)(chars.Length - 2));
        Memory.Write(memory + 2, (ushort)chars.Length);
        Memory.Write(memory + 8, instance);
        Memory.Write(memory + 16, 0u);
        Memory.Write(memory + 20, 0u);
        Memory.Write(memory + 24, vetoName);
        Memory.Write(memory + 32, 256u);
        var status = NtPlugPlayControl(PlugPlayControlQueryAndRemoveDevice, memory, DataSize);
        var exit = 0;
        if (status == STATUS_PLUGPLAY_QUERY_VETOED)
        {
            var type = Memory.Read<uint>(memory + 20);
            var by = new StringBuilder();
            for (var at = vetoName; Memory.Read<ushort>(at) != 0; at += 2)
            {
                by.Append((char)Memory.Read<ushort>(at));
            }

            Crt.PrintLine($"eject: the removal of {args[0]} was vetoed: {(type < s_vetoTypes.Length ? s_vetoTypes[type] : type.ToString(System.Globalization.CultureInfo.InvariantCulture))} by {by}");
            exit = (int)RtlNtStatusToDosError(status);
        }
        else if (!NT_SUCCESS(status))
        {
            Crt.PrintLine($"eject: NtPlugPlayControl failed with 0x{status:X8}");
            exit = (int)RtlNtStatusToDosError(status);
        }
        else
        {
            Crt.PrintLine($"eject: {args[0]} can be removed safely now");
        }

        VirtualFree(memory, 0, MEM_RELEASE);
        return exit;
    }
}
