using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Storage;

/// <summary>The disk IOCTLs a file system sends its volume (ntdddisk.h; IOCTL_DISK_BASE is FILE_DEVICE_DISK).</summary>
public static class DiskIoctl
{
    public static readonly uint IOCTL_DISK_GET_DRIVE_GEOMETRY = IoCtl.CTL_CODE(FILE_DEVICE.FILE_DEVICE_DISK, 0x0000, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);
    public static readonly uint IOCTL_DISK_IS_WRITABLE = IoCtl.CTL_CODE(FILE_DEVICE.FILE_DEVICE_DISK, 0x0009, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);
    public static readonly uint IOCTL_DISK_GET_LENGTH_INFO = IoCtl.CTL_CODE(FILE_DEVICE.FILE_DEVICE_DISK, 0x0017, IoCtl.METHOD_BUFFERED, IoCtl.FILE_READ_ACCESS);
}
