using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

public sealed partial class FatDriver
{
    // FS_INFORMATION_CLASS (wdm.h).
    internal const int FileFsVolumeInformation = 1;
    internal const int FileFsSizeInformation = 3;
    internal const int FileFsAttributeInformation = 5;

    // FILE_FS_ATTRIBUTE_INFORMATION.FileSystemAttributes fastfat reports.
    private const uint FILE_CASE_PRESERVED_NAMES = 0x00000002;
    private const uint FILE_UNICODE_ON_DISK = 0x00000004;

    /// <summary>
    /// IRP_MJ_FILE_SYSTEM_CONTROL. On the control device, IRP_MN_MOUNT_VOLUME: read the boot sector through
    /// the storage device (Parameters.MountVolume.DeviceObject) and, when it is a consistent FAT volume, make
    /// a volume device object and name it in the VPB. STATUS_UNRECOGNIZED_VOLUME for what is not FAT,
    /// STATUS_FILE_CORRUPT_ERROR for a FAT volume that cannot be trusted; the storage is never written then.
    /// </summary>
    private NTSTATUS FatFsdFileSystemControl(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        if (DeviceObject == _controlDevice && irpSp.MinorFunction == IRP_MN_MOUNT_VOLUME)
        {
            return Complete(Irp, FatMountVolume(new VPB(irpSp.Parameters.MountVolume.Vpb), new DEVICE_OBJECT(irpSp.Parameters.MountVolume.DeviceObject)), 0);
        }

        return Complete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }

    private NTSTATUS FatMountVolume(VPB vpb, DEVICE_OBJECT target)
    {
        var status = FatIrpBlockDevice.Open(target, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        var options = new FatMountOptions
        {
            SystemTime = () =>
            {
                KeQuerySystemTime(out var now);
                return now.QuadPart;
            },
        };
        status = FatVolume.Mount(device!, options, out var volume);
        if (!status.IsSuccess())
        {
            device!.Dispose();
            return status;
        }

        var vcb = new FatVcb { Volume = volume!, Device = device!, Vpb = vpb };
        KeInitializeMutex(vcb.Resource, 0);
        var volumeFcb = ExAllocatePool2(POOL_FLAG_NON_PAGED, 0x20, TagFcb);
        if (volumeFcb == 0)
        {
            device!.Dispose();
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        vcb.VolumeFcbAddress = volumeFcb;
        status = IoCreateDevice(_driverObject, vcb, null, FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM, 0, false, out var volumeDevice);
        if (!status.IsSuccess())
        {
            ExFreePoolWithTag(volumeFcb, TagFcb);
            device!.Dispose();
            return status;
        }

        // Room to pass a request on to the storage stack below, as fastfat sizes its volume device.
        volumeDevice.StackSize = (sbyte)(target.StackSize + 1);
        volumeDevice.SectorSize = (ushort)device!.SectorSize;
        volumeDevice.AlignmentRequirement = target.AlignmentRequirement;
        vcb.VolumeDevice = volumeDevice;
        if (volume!.QueryVolumeInformation(out var info).IsSuccess())
        {
            vpb.SerialNumber = info!.VolumeSerialNumber;
            vpb.VolumeLabel = info.VolumeLabel;
        }

        vpb.DeviceObject = volumeDevice;
        _data.Volumes.Add(vcb);
        volumeDevice.Flags &= ~DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    /// <summary>
    /// IRP_MJ_QUERY_VOLUME_INFORMATION: FileFsVolumeInformation (serial, label), FileFsSizeInformation
    /// (clusters, free clusters, sectors a cluster, bytes a sector), FileFsAttributeInformation ("FAT" or
    /// "FAT32", case-preserving Unicode names up to 255 characters), into the system buffer.
    /// </summary>
    private NTSTATUS FatFsdQueryVolumeInformation(DEVICE_OBJECT DeviceObject, IRP Irp) =>
        VolumeRequest(DeviceObject, Irp, FatCommonQueryVolumeInformation);

    private static NTSTATUS FatCommonQueryVolumeInformation(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var buffer = irp.AssociatedIrp.SystemBuffer;
        var length = (int)irpSp.Parameters.QueryVolume.Length;
        var infoClass = irpSp.Parameters.QueryVolume.FsInformationClass;
        var fixedSize = infoClass switch
        {
            FileFsVolumeInformation => FileFsVolumeInformationLayout.VolumeLabel,
            FileFsSizeInformation => FileFsSizeInformationLayout.Size,
            FileFsAttributeInformation => FileFsAttributeInformationLayout.FileSystemName,
            _ => -1,
        };
        if (fixedSize < 0)
        {
            return STATUS_INVALID_PARAMETER;
        }

        if (length < fixedSize || buffer == 0)
        {
            return STATUS_INFO_LENGTH_MISMATCH;
        }

        var status = vcb.Volume.QueryVolumeInformation(out var info);
        if (!status.IsSuccess())
        {
            return status;
        }

        switch (infoClass)
        {
            case FileFsSizeInformation:
                WriteMemory(buffer + FileFsSizeInformationLayout.TotalAllocationUnits, info!.TotalClusters);
                WriteMemory(buffer + FileFsSizeInformationLayout.AvailableAllocationUnits, info.FreeClusters);
                WriteMemory(buffer + FileFsSizeInformationLayout.SectorsPerAllocationUnit, (uint)info.SectorsPerCluster);
                WriteMemory(buffer + FileFsSizeInformationLayout.BytesPerSector, (uint)info.BytesPerSector);
                information = FileFsSizeInformationLayout.Size;
                return STATUS_SUCCESS;
            case FileFsVolumeInformation:
                return WriteVariable(buffer, length, FileFsVolumeInformationLayout.VolumeLabel, info!.VolumeLabel, out information, fixedPart: () =>
                {
                    WriteMemory(buffer + FileFsVolumeInformationLayout.VolumeCreationTime, 0L);
                    WriteMemory(buffer + FileFsVolumeInformationLayout.VolumeSerialNumber, info.VolumeSerialNumber);
                    WriteMemory(buffer + FileFsVolumeInformationLayout.VolumeLabelLength, (uint)(info.VolumeLabel.Length * 2));
                    WriteMemory(buffer + FileFsVolumeInformationLayout.SupportsObjects, (byte)0);
                });
            default:
                var name = info!.Type == FatType.Fat32 ? "FAT32" : "FAT";
                return WriteVariable(buffer, length, FileFsAttributeInformationLayout.FileSystemName, name, out information, fixedPart: () =>
                {
                    WriteMemory(buffer + FileFsAttributeInformationLayout.FileSystemAttributes, FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK);
                    WriteMemory(buffer + FileFsAttributeInformationLayout.MaximumComponentNameLength, 255u);
                    WriteMemory(buffer + FileFsAttributeInformationLayout.FileSystemNameLength, (uint)(name.Length * 2));
                });
        }
    }

    /// <summary>A structure ending in a name: the fixed part, then as much of the name as fits (STATUS_BUFFER_OVERFLOW when cut).</summary>
    private static NTSTATUS WriteVariable(ulong buffer, int length, int nameOffset, string name, out ulong information, Action fixedPart)
    {
        fixedPart();
        var nameBytes = name.Length * 2;
        var copied = Math.Min(nameBytes, length - nameOffset) & ~1;
        WriteName(buffer + (ulong)nameOffset, name, copied);
        information = (ulong)(nameOffset + copied);
        return copied < nameBytes ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    }
}
