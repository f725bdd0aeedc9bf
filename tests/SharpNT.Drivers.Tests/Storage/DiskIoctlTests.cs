using System.Buffers.Binary;
using System.Text;
using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Storage;

/// <summary>The disk and storage IOCTLs with their real codes and structure layouts.</summary>
public sealed class DiskIoctlTests
{
    private const long DiskBytes = 48L * 1024 * 1024;

    private static (NTSTATUS Status, byte[] Output) Ioctl(string device, uint code, int outputLength, byte[]? input = null) =>
        StorageMachine.Ioctl(StorageMachine.Open(device), code, input ?? [], outputLength);

    [Fact]
    public void The_codes_are_the_ones_ntdddisk_h_and_ntddstor_h_define()
    {
        Assert.Equal(0x00070000u, StorageIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY);
        Assert.Equal(0x000700A0u, StorageIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY_EX);
        Assert.Equal(0x00074004u, StorageIoctl.IOCTL_DISK_GET_PARTITION_INFO);
        Assert.Equal(0x00070048u, StorageIoctl.IOCTL_DISK_GET_PARTITION_INFO_EX);
        Assert.Equal(0x0007405Cu, StorageIoctl.IOCTL_DISK_GET_LENGTH_INFO);
        Assert.Equal(0x002D1400u, StorageIoctl.IOCTL_STORAGE_QUERY_PROPERTY);
        Assert.Equal(0x002D5140u, StorageIoctl.IOCTL_STORAGE_READ_CAPACITY);
    }

    [Fact]
    public void Geometry_length_and_partition_information_describe_the_disk_and_its_partition()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("d.raw", DiskBytes);
        DiskImages.Tool("sfdisk", "label: dos\nstart=2048,size=20480,type=c\n", "--no-reread", "--no-tell-kernel", image);
        using var machine = StorageMachine.Boot([image]);
        var r = machine.Run(() => new
        {
            Geometry = Ioctl(@"\Device\Harddisk0\DR0", StorageIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY, 24),
            GeometryEx = Ioctl(@"\Device\Harddisk0\Partition1", StorageIoctl.IOCTL_DISK_GET_DRIVE_GEOMETRY_EX, 64),
            DiskLength = Ioctl(@"\??\PhysicalDrive0", StorageIoctl.IOCTL_DISK_GET_LENGTH_INFO, 8),
            VolumeLength = Ioctl(@"\Device\HarddiskVolume1", StorageIoctl.IOCTL_DISK_GET_LENGTH_INFO, 8),
            Info = Ioctl(@"\Device\HarddiskVolume1", StorageIoctl.IOCTL_DISK_GET_PARTITION_INFO, 32),
            Small = Ioctl(@"\Device\HarddiskVolume1", StorageIoctl.IOCTL_DISK_GET_PARTITION_INFO_EX, 100),
            Unknown = Ioctl(@"\Device\HarddiskVolume1", SharpNT.Kernel.Io.IoCtl.CTL_CODE(7, 0x7FF, 0, 0), 16),
        });

        Assert.Equal(STATUS_SUCCESS, r.Geometry.Status);
        Assert.Equal(DiskBytes / (255 * 63 * 512), BinaryPrimitives.ReadInt64LittleEndian(r.Geometry.Output));
        Assert.Equal(StorageIoctl.FixedMedia, BinaryPrimitives.ReadInt32LittleEndian(r.Geometry.Output.AsSpan(8)));
        Assert.Equal(255u, BinaryPrimitives.ReadUInt32LittleEndian(r.Geometry.Output.AsSpan(12)));
        Assert.Equal(63u, BinaryPrimitives.ReadUInt32LittleEndian(r.Geometry.Output.AsSpan(16)));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32LittleEndian(r.Geometry.Output.AsSpan(20)));

        Assert.Equal(STATUS_SUCCESS, r.GeometryEx.Status);
        Assert.Equal(64, r.GeometryEx.Output.Length); // as much of the 112 bytes as the buffer holds
        Assert.Equal(r.Geometry.Output, r.GeometryEx.Output.AsSpan(0, 24).ToArray());
        Assert.Equal(DiskBytes, BinaryPrimitives.ReadInt64LittleEndian(r.GeometryEx.Output.AsSpan(24)));
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32LittleEndian(r.GeometryEx.Output.AsSpan(32)));
        Assert.Equal(StorageIoctl.PARTITION_STYLE_MBR, BinaryPrimitives.ReadInt32LittleEndian(r.GeometryEx.Output.AsSpan(36)));
        var mbr = File.ReadAllBytes(image).AsSpan(0, 512);
        Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(mbr[440..]), BinaryPrimitives.ReadUInt32LittleEndian(r.GeometryEx.Output.AsSpan(40)));
        uint sum = 0;
        for (var i = 0; i < 128; i++)
        {
            sum += BinaryPrimitives.ReadUInt32LittleEndian(mbr[(i * 4)..]);
        }

        Assert.Equal(0u, sum + BinaryPrimitives.ReadUInt32LittleEndian(r.GeometryEx.Output.AsSpan(44)));
        Assert.Equal(56u, BinaryPrimitives.ReadUInt32LittleEndian(r.GeometryEx.Output.AsSpan(56)));

        Assert.Equal(DiskBytes, BinaryPrimitives.ReadInt64LittleEndian(r.DiskLength.Output));
        Assert.Equal(20480L * 512, BinaryPrimitives.ReadInt64LittleEndian(r.VolumeLength.Output));

        Assert.Equal(STATUS_SUCCESS, r.Info.Status);
        Assert.Equal(2048L * 512, BinaryPrimitives.ReadInt64LittleEndian(r.Info.Output));
        Assert.Equal(20480L * 512, BinaryPrimitives.ReadInt64LittleEndian(r.Info.Output.AsSpan(8)));
        Assert.Equal(2048u, BinaryPrimitives.ReadUInt32LittleEndian(r.Info.Output.AsSpan(16)));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(r.Info.Output.AsSpan(20)));
        Assert.Equal(0x0C, r.Info.Output[24]);
        Assert.Equal(1, r.Info.Output[26]); // recognized

        Assert.Equal(STATUS_BUFFER_TOO_SMALL, r.Small.Status);
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, r.Unknown.Status);
    }

    private static byte[] Query(int propertyId, int queryType)
    {
        var q = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(q, propertyId);
        BinaryPrimitives.WriteInt32LittleEndian(q.AsSpan(4), queryType);
        return q;
    }

    [Fact]
    public void Storage_query_property_returns_the_NVMe_device_descriptor_with_its_strings()
    {
        using var images = new DiskImages();
        var image = images.Zeroed("d.raw", 8L * 1024 * 1024);
        using var machine = StorageMachine.Boot([image]);
        var r = machine.Run(() => new
        {
            Header = Ioctl(@"\Device\Harddisk0\DR0", StorageIoctl.IOCTL_STORAGE_QUERY_PROPERTY, 8, Query(StorageIoctl.StorageDeviceProperty, 0)),
            Full = Ioctl(@"\Device\Harddisk0\DR0", StorageIoctl.IOCTL_STORAGE_QUERY_PROPERTY, 512, Query(StorageIoctl.StorageDeviceProperty, 0)),
            Exists = Ioctl(@"\Device\Harddisk0\DR0", StorageIoctl.IOCTL_STORAGE_QUERY_PROPERTY, 0, Query(StorageIoctl.StorageDeviceProperty, 1)),
            Unsupported = Ioctl(@"\Device\Harddisk0\DR0", StorageIoctl.IOCTL_STORAGE_QUERY_PROPERTY, 64, Query(42, 0)),
            TooSmall = Ioctl(@"\Device\Harddisk0\DR0", StorageIoctl.IOCTL_STORAGE_QUERY_PROPERTY, 4, Query(StorageIoctl.StorageDeviceProperty, 0)),
        });

        Assert.Equal(STATUS_SUCCESS, r.Header.Status);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(r.Header.Output.AsSpan(4));
        Assert.True(size > StorageIoctl.StorageDeviceDescriptorSize);
        Assert.Equal(STATUS_SUCCESS, r.Full.Status);
        Assert.Equal((int)size, r.Full.Output.Length);
        var d = r.Full.Output;
        Assert.Equal(StorageIoctl.BusTypeNvme, BinaryPrimitives.ReadInt32LittleEndian(d.AsSpan(28)));
        string At(int offsetField)
        {
            var offset = BinaryPrimitives.ReadInt32LittleEndian(d.AsSpan(offsetField));
            return Encoding.ASCII.GetString(d, offset, Array.IndexOf(d, (byte)0, offset) - offset);
        }

        Assert.Equal("SharpNT NVMe Controller", At(16));
        Assert.Equal("1.0", At(20));
        Assert.Equal("SHARPNT0000000000001", At(24));
        Assert.Equal(STATUS_SUCCESS, r.Exists.Status);
        Assert.Equal(STATUS_NOT_SUPPORTED, r.Unsupported.Status);
        Assert.Equal(STATUS_INFO_LENGTH_MISMATCH, r.TooSmall.Status);
    }
}
