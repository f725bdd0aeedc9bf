using System.Globalization;
using SharpNT.Win32;
using static SharpNT.Win32.Cfgmgr32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;
using static SharpNT.Win32.WinIoCtl;

namespace SharpNT.Programs;

/// <summary>
/// toast [SLICES] [--wait]: finds the toasters plugged into the toaster bus through their device interface
/// (CM_Get_Device_Interface_List for GUID_DEVINTERFACE_TOASTER), opens the first and makes toast with
/// IOCTL_TOASTER_MAKE_TOAST; with --wait it then waits (IOCTL_TOASTER_WAIT_FOR_POP) for the next toast to pop,
/// which an unplug ends with ERROR_FILE_NOT_FOUND (STATUS_NO_SUCH_DEVICE).
/// </summary>
public sealed class ToastProgram : Win32Program
{
    // The toaster's public header, as an application includes it.
    public static readonly Guid GUID_DEVINTERFACE_TOASTER = new("781ef630-72b2-11d2-b852-00c04fad5171");
    private const uint FILE_DEVICE_TOASTER = 0x8001;
    public static readonly uint IOCTL_TOASTER_MAKE_TOAST = CTL_CODE(FILE_DEVICE_TOASTER, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_TOASTER_WAIT_FOR_POP = CTL_CODE(FILE_DEVICE_TOASTER, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS);

    public override string Name => "toast";

    public override string Description => "toast [SLICES] [--wait]: finds a toaster by its device interface and makes toast (IOCTLs)";

    public override int Main(string[] args)
    {
        var wait = args.Contains("--wait");
        var slices = args.Where(a => a != "--wait").Select(a => uint.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0u)
            .FirstOrDefault(2u);
        var result = CM_Get_Device_Interface_List_Size(out var length, GUID_DEVINTERFACE_TOASTER, null, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
        if (result != CR_SUCCESS)
        {
            Crt.PrintLine($"toast: CM_Get_Device_Interface_List_Size failed, CONFIGRET 0x{result:X}");
            return 1;
        }

        var buffer = VirtualAlloc(0, length * 2, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        result = CM_Get_Device_Interface_List(GUID_DEVINTERFACE_TOASTER, null, buffer, length, CM_GET_DEVICE_INTERFACE_LIST_PRESENT);
        var toasters = result == CR_SUCCESS ? ReadMultiString(buffer) : [];
        VirtualFree(buffer, 0, MEM_RELEASE);
        if (toasters.Count == 0)
        {
            Crt.PrintLine("toast: no toaster is plugged in");
            return (int)WinError.ERROR_FILE_NOT_FOUND;
        }

        foreach (var t in toasters)
        {
            Crt.PrintLine($"toast: found {t}");
        }

        var device = CreateFile(toasters[0], GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        if (device == INVALID_HANDLE_VALUE)
        {
            Crt.PrintLine($"toast: CreateFile failed, GetLastError() = {GetLastError()}");
            return (int)GetLastError();
        }

        var io = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        Memory.Write(io, slices);
        var exit = 0;
        if (DeviceIoControl(device, IOCTL_TOASTER_MAKE_TOAST, io, 4, io, 4, out _, 0))
        {
            Crt.PrintLine($"toast: {slices} slice(s) in; the toaster has made {Memory.Read<uint>(io)} toast(s)");
        }
        else
        {
            exit = (int)GetLastError();
            Crt.PrintLine($"toast: IOCTL_TOASTER_MAKE_TOAST failed, GetLastError() = {exit}");
        }

        if (wait && exit == 0)
        {
            Crt.PrintLine("toast: waiting for the next toast to pop");
            if (DeviceIoControl(device, IOCTL_TOASTER_WAIT_FOR_POP, 0, 0, io, 4, out _, 0))
            {
                Crt.PrintLine($"toast: pop! the toaster has made {Memory.Read<uint>(io)} toast(s)");
            }
            else
            {
                exit = (int)GetLastError();
                Crt.PrintLine($"toast: the wait ended, GetLastError() = {exit}");
            }
        }

        VirtualFree(io, 0, MEM_RELEASE);
        CloseHandle(device);
        return exit;
    }
}
