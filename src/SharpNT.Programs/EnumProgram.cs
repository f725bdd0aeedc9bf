using System.Globalization;
using System.Text;
using SharpNT.Win32;
using static SharpNT.Win32.Cfgmgr32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;
using static SharpNT.Win32.WinIoCtl;

namespace SharpNT.Programs;

/// <summary>
/// enum -p SERIAL [HARDWAREID] | -u SERIAL: the toaster sample's enum.exe. Opens the toaster bus through its
/// interface (GUID_DEVINTERFACE_BUSENUM_TOASTER) and plugs a toaster in (IOCTL_BUSENUM_PLUGIN_HARDWARE) or
/// pulls one out (IOCTL_BUSENUM_UNPLUG_HARDWARE; serial 0 pulls every one).
/// </summary>
public sealed class EnumProgram : Win32Program
{
    public static readonly Guid GUID_DEVINTERFACE_BUSENUM_TOASTER = new("d35f7840-6a0c-11d2-b841-00c04fad5171");
    private const string BUS_HARDWARE_IDS = @"{B85B7C50-6A01-11d2-B841-00C04FAD5171}\MsToaster";
    private const uint FILE_DEVICE_BUS_EXTENDER = 0x2A;
    private const uint FILE_READ_DATA = 0x0001;
    public static readonly uint IOCTL_BUSENUM_PLUGIN_HARDWARE = CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x0, METHOD_BUFFERED, FILE_READ_DATA);
    public static readonly uint IOCTL_BUSENUM_UNPLUG_HARDWARE = CTL_CODE(FILE_DEVICE_BUS_EXTENDER, 0x1, METHOD_BUFFERED, FILE_READ_DATA);

    public override string Name => "enum";

    public override string Description => "enum -p SERIAL [HWID] | -u SERIAL: plugs a toaster into the toaster bus or pulls one out";

    public override int Main(string[] args)
    {
        if (args.Length < 2 || args[0] is not ("-p" or "-u")
            || !uint.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            Crt.PrintLine("usage: enum -p SERIAL [HARDWAREID] | enum -u SERIAL");
            return (int)WinError.ERROR_INVALID_PARAMETER;
        }

        CM_Get_Device_Interface_List_Size(out var length, GUID_DEVINTERFACE_BUSENUM_TOASTER, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
        var list = VirtualAlloc(0, length * 2, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var buses = CM_Get_Device_Interface_List(GUID_DEVINTERFACE_BUSENUM_TOASTER, null, list, length, CM_GET_DEVICE_INTERFACE_LIST_PRESENT) == CR_SUCCESS
            ? ReadMultiString(list)
            : [];
        VirtualFree(list, 0, MEM_RELEASE);
        if (buses.Count == 0)
        {
            Crt.PrintLine("enum: the toaster bus is not there");
            return (int)WinError.ERROR_FILE_NOT_FOUND;
        }

        var bus = CreateFile(buses[0], GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        if (bus == INVALID_HANDLE_VALUE)
        {
            Crt.PrintLine($"enum: CreateFile({buses[0]}) failed, GetLastError() = {GetLastError()}");
            return (int)GetLastError();
        }

        var buffer = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        bool ok;
        if (args[0] == "-p")
        {
            var ids = Encoding.Unicode.GetBytes((args.Length > 2 ? args[2] : BUS_HARDWARE_IDS) + "\0\0");
            Memory.Write(buffer, 8u);
            Memory.Write(buffer + 4, serial);
            Memory.Write(buffer + 8, ids);
            ok = DeviceIoControl(bus, IOCTL_BUSENUM_PLUGIN_HARDWARE, buffer, 8 + (uint)ids.Length, 0, 0, out _, 0);
        }
        else
        {
            Memory.Write(buffer, 16u);
            Memory.Write(buffer + 4, serial);
            Memory.Write(buffer + 8, 0UL);
            ok = DeviceIoControl(bus, IOCTL_BUSENUM_UNPLUG_HARDWARE, buffer, 16, 0, 0, out _, 0);
        }

        var error = ok ? 0 : GetLastError();
        VirtualFree(buffer, 0, MEM_RELEASE);
        CloseHandle(bus);
        Crt.PrintLine(ok
            ? $"enum: {(args[0] == "-p" ? "plugged in" : "pulled out")} toaster {serial}"
            : $"enum: the bus refused, GetLastError() = {error}");
        return (int)error;
    }
}
