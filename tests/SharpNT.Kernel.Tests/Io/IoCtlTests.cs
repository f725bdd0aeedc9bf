using FsCheck.Xunit;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>CTL_CODE and its decomposition against control code values the Windows documentation lists.</summary>
public sealed class IoCtlTests
{
    private const uint IOCTL_DISK_BASE = FILE_DEVICE.FILE_DEVICE_DISK;
    private const uint IOCTL_STORAGE_BASE = FILE_DEVICE.FILE_DEVICE_MASS_STORAGE;

    [Fact]
    public void IOCTL_DISK_GET_DRIVE_GEOMETRY_is_0x00070000()
    {
        Assert.Equal(0x00070000u, IoCtl.CTL_CODE(IOCTL_DISK_BASE, 0x0000, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS));
    }

    [Fact]
    public void IOCTL_STORAGE_QUERY_PROPERTY_is_0x002D1400()
    {
        Assert.Equal(0x002D1400u, IoCtl.CTL_CODE(IOCTL_STORAGE_BASE, 0x0500, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS));
    }

    [Fact]
    public void IOCTL_DISK_GET_LENGTH_INFO_is_0x0007405C()
    {
        Assert.Equal(0x0007405Cu, IoCtl.CTL_CODE(IOCTL_DISK_BASE, 0x0017, IoCtl.METHOD_BUFFERED, IoCtl.FILE_READ_ACCESS));
    }

    [Fact]
    public void FSCTL_LOCK_VOLUME_is_0x00090018()
    {
        Assert.Equal(0x00090018u, IoCtl.CTL_CODE(FILE_DEVICE.FILE_DEVICE_FILE_SYSTEM, 6, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS));
    }

    [Fact]
    public void A_control_code_decomposes_into_its_four_fields()
    {
        // IOCTL_DISK_GET_LENGTH_INFO: disk, function 0x17, buffered, read access.
        const uint code = 0x0007405C;

        Assert.Equal(FILE_DEVICE.FILE_DEVICE_DISK, IoCtl.DEVICE_TYPE_FROM_CTL_CODE(code));
        Assert.Equal(0x17u, IoCtl.FunctionFromCtlCode(code));
        Assert.Equal(IoCtl.METHOD_BUFFERED, IoCtl.METHOD_FROM_CTL_CODE(code));
        Assert.Equal(IoCtl.FILE_READ_ACCESS, IoCtl.AccessFromCtlCode(code));
    }

    [Fact]
    public void Vendor_codes_keep_their_high_bits()
    {
        // Vendor device types start at 0x8000 and vendor functions at 0x800.
        var code = IoCtl.CTL_CODE(0x8000, 0x800, IoCtl.METHOD_NEITHER, IoCtl.FILE_READ_ACCESS | IoCtl.FILE_WRITE_ACCESS);

        Assert.Equal(0x8000E003u, code);
        Assert.Equal(0x8000u, IoCtl.DEVICE_TYPE_FROM_CTL_CODE(code));
        Assert.Equal(0x800u, IoCtl.FunctionFromCtlCode(code));
        Assert.Equal(IoCtl.METHOD_NEITHER, IoCtl.METHOD_FROM_CTL_CODE(code));
        Assert.Equal(3u, IoCtl.AccessFromCtlCode(code));
    }

    [Property]
    public bool Fields_round_trip_through_CTL_CODE(ushort deviceType, ushort function, byte method, byte access)
    {
        var f = function & 0xFFFu;
        var m = method & 3u;
        var a = access & 3u;
        var code = IoCtl.CTL_CODE(deviceType, f, m, a);

        return IoCtl.DEVICE_TYPE_FROM_CTL_CODE(code) == deviceType
            && IoCtl.FunctionFromCtlCode(code) == f
            && IoCtl.METHOD_FROM_CTL_CODE(code) == m
            && IoCtl.AccessFromCtlCode(code) == a;
    }
}
