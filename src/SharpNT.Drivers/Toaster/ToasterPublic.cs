using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Toaster;

/// <summary>
/// The toaster's public header (public.h of the classic WDM toaster sample): the interface class GUIDs, the bus
/// enumerator's plug-in/unplug IOCTLs, and the toaster function driver's IOCTLs.
/// </summary>
public static class ToasterPublic
{
    /// <summary>GUID_DEVINTERFACE_BUSENUM_TOASTER: the bus enumerator's interface, through which enum.exe plugs toasters in.</summary>
    public static readonly Guid GUID_DEVINTERFACE_BUSENUM_TOASTER = new("d35f7840-6a0c-11d2-b841-00c04fad5171");

    /// <summary>GUID_DEVINTERFACE_TOASTER: each toaster's interface.</summary>
    public static readonly Guid GUID_DEVINTERFACE_TOASTER = new("781ef630-72b2-11d2-b852-00c04fad5171");

    /// <summary>GUID_DEVCLASS_TOASTER: the setup class of toasters ({B85B7C50-6A01-11d2-B841-00C04FAD5171}).</summary>
    public const string GUID_DEVCLASS_TOASTER = "{B85B7C50-6A01-11d2-B841-00C04FAD5171}";

    /// <summary>The hardware ID a toaster on the bus reports (its device ID is the same).</summary>
    public const string BUS_HARDWARE_IDS = @"{B85B7C50-6A01-11d2-B841-00C04FAD5171}\MsToaster";

    /// <summary>The compatible ID every child of the bus reports.</summary>
    public const string BUSENUM_COMPATIBLE_IDS = @"{B85B7C50-6A01-11d2-B841-00C04FAD5171}\MsCompatibleToaster";

    /// <summary>FILE_DEVICE_BUSENUM: the bus enumerator's device type (FILE_DEVICE_BUS_EXTENDER).</summary>
    public const uint FILE_DEVICE_BUSENUM = FILE_DEVICE.FILE_DEVICE_BUS_EXTENDER;

    /// <summary>
    /// IOCTL_BUSENUM_PLUGIN_HARDWARE: input BUSENUM_PLUGIN_HARDWARE { ULONG Size; ULONG SerialNo; WCHAR HardwareIDs[] }
    /// (Size = 8, the header; HardwareIDs a REG_MULTI_SZ).
    /// </summary>
    public static readonly uint IOCTL_BUSENUM_PLUGIN_HARDWARE = BUSENUM_IOCTL(0x0);

    /// <summary>IOCTL_BUSENUM_UNPLUG_HARDWARE: input BUSENUM_UNPLUG_HARDWARE { ULONG Size; ULONG SerialNo; ULONG Reserved[2] } (SerialNo 0: all).</summary>
    public static readonly uint IOCTL_BUSENUM_UNPLUG_HARDWARE = BUSENUM_IOCTL(0x1);

    /// <summary>sizeof(BUSENUM_PLUGIN_HARDWARE) without the hardware IDs.</summary>
    public const uint BUSENUM_PLUGIN_HARDWARE_SIZE = 8;

    /// <summary>sizeof(BUSENUM_UNPLUG_HARDWARE).</summary>
    public const uint BUSENUM_UNPLUG_HARDWARE_SIZE = 16;

    /// <summary>FILE_DEVICE_TOASTER (a vendor device type).</summary>
    public const uint FILE_DEVICE_TOASTER = 0x8001;

    /// <summary>IOCTL_TOASTER_MAKE_TOAST (METHOD_BUFFERED): in ULONG slices, out ULONG toasts made by this toaster so far.</summary>
    public static readonly uint IOCTL_TOASTER_MAKE_TOAST = IoCtl.CTL_CODE(FILE_DEVICE_TOASTER, 0x800, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    /// <summary>
    /// IOCTL_TOASTER_WAIT_FOR_POP (METHOD_BUFFERED): out ULONG; pends until the next toast pops (the next MAKE_TOAST),
    /// or ends with STATUS_NO_SUCH_DEVICE if the toaster is unplugged first.
    /// </summary>
    public static readonly uint IOCTL_TOASTER_WAIT_FOR_POP = IoCtl.CTL_CODE(FILE_DEVICE_TOASTER, 0x801, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    private static uint BUSENUM_IOCTL(uint index) => IoCtl.CTL_CODE(FILE_DEVICE_BUSENUM, index, IoCtl.METHOD_BUFFERED, Kernel.AccessMask.FILE_READ_DATA);
}
