using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

public sealed partial class FatDriver
{
    // FILE_INFORMATION_CLASS (wdm.h / ntifs.h).
    internal const int FileDirectoryInformation = 1;
    internal const int FileFullDirectoryInformation = 2;
    internal const int FileBothDirectoryInformation = 3;
    internal const int FileBasicInformation = 4;
    internal const int FileStandardInformation = 5;
    internal const int FileInternalInformation = 6;
    internal const int FileEaInformation = 7;
    internal const int FileAccessInformation = 8;
    internal const int FileNameInformation = 9;
    internal const int FileRenameInformation = 10;
    internal const int FileNamesInformation = 12;
    internal const int FileDispositionInformation = 13;
    internal const int FilePositionInformation = 14;
    internal const int FileModeInformation = 16;
    internal const int FileAlignmentInformation = 17;
    internal const int FileAllInformation = 18;
    internal const int FileEndOfFileInformation = 20;

    /// <summary>
    /// IRP_MJ_QUERY_INFORMATION: Parameters.QueryFile.FileInformationClass into the system buffer of
    /// Parameters.QueryFile.Length bytes. Information is the bytes filled; a name that does not fit is cut
    /// and the status is STATUS_BUFFER_OVERFLOW.
    /// </summary>
    private NTSTATUS FatFsdQueryInformation(DEVICE_OBJECT DeviceObject, IRP Irp) => VolumeRequest(DeviceObject, Irp, FatCommonQueryInformation);

    private static NTSTATUS FatCommonQueryInformation(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var ccb = CcbOf(vcb, file);
        if (ccb?.Fcb is not { } fcb)
        {
            return STATUS_INVALID_PARAMETER;
        }

        var buffer = irp.AssociatedIrp.SystemBuffer;
        var length = (int)irpSp.Parameters.QueryFile.Length;
        var infoClass = irpSp.Parameters.QueryFile.FileInformationClass;
        var fixedSize = infoClass switch
        {
            FileBasicInformation => FileBasicInformationLayout.Size,
            FileStandardInformation => FileStandardInformationLayout.Size,
            FileInternalInformation or FilePositionInformation => 8,
            FileEaInformation or FileAccessInformation or FileModeInformation or FileAlignmentInformation => 4,
            FileNameInformation => FileNameInformationLayout.FileName,
            FileAllInformation => FileAllInformationLayout.NameInformation + FileNameInformationLayout.FileName,
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

        switch (infoClass)
        {
            case FileBasicInformation:
                WriteBasic(vcb, fcb, buffer);
                information = FileBasicInformationLayout.Size;
                return STATUS_SUCCESS;
            case FileStandardInformation:
                WriteStandard(fcb, buffer);
                information = FileStandardInformationLayout.Size;
                return STATUS_SUCCESS;
            case FileInternalInformation:
                WriteMemory(buffer, IndexNumber(fcb));
                information = 8;
                return STATUS_SUCCESS;
            case FileEaInformation:
                WriteMemory(buffer, 0u);
                information = 4;
                return STATUS_SUCCESS;
            case FileAccessInformation:
                WriteMemory(buffer, ccb.GrantedAccess);
                information = 4;
                return STATUS_SUCCESS;
            case FilePositionInformation:
                WriteMemory(buffer + FilePositionInformationLayout.CurrentByteOffset, file.CurrentByteOffset);
                information = 8;
                return STATUS_SUCCESS;
            case FileModeInformation:
                WriteMemory(buffer, ModeOf(file));
                information = 4;
                return STATUS_SUCCESS;
            case FileAlignmentInformation:
                WriteMemory(buffer, vcb.VolumeDevice.AlignmentRequirement);
                information = 4;
                return STATUS_SUCCESS;
            case FileNameInformation:
                return WriteNameInformation(fcb, buffer, length, out information);
            default:
                WriteBasic(vcb, fcb, buffer + FileAllInformationLayout.BasicInformation);
                WriteStandard(fcb, buffer + FileAllInformationLayout.StandardInformation);
                WriteMemory(buffer + FileAllInformationLayout.InternalInformation, IndexNumber(fcb));
                WriteMemory(buffer + FileAllInformationLayout.EaInformation, 0u);
                WriteMemory(buffer + FileAllInformationLayout.AccessInformation, ccb.GrantedAccess);
                WriteMemory(buffer + FileAllInformationLayout.PositionInformation, file.CurrentByteOffset);
                WriteMemory(buffer + FileAllInformationLayout.ModeInformation, ModeOf(file));
                WriteMemory(buffer + FileAllInformationLayout.AlignmentInformation, vcb.VolumeDevice.AlignmentRequirement);
                var status = WriteNameInformation(fcb, buffer + FileAllInformationLayout.NameInformation,
                    length - FileAllInformationLayout.NameInformation, out var nameBytes);
                information = FileAllInformationLayout.NameInformation + nameBytes;
                return status;
        }
    }

    private static void WriteBasic(FatVcb vcb, FatFcb fcb, ulong address)
    {
        var basic = vcb.Volume.QueryBasicInformation(fcb);
        WriteMemory(address + FileBasicInformationLayout.CreationTime, basic.CreationTime);
        WriteMemory(address + FileBasicInformationLayout.LastAccessTime, basic.LastAccessTime);
        WriteMemory(address + FileBasicInformationLayout.LastWriteTime, basic.LastWriteTime);
        WriteMemory(address + FileBasicInformationLayout.ChangeTime, basic.ChangeTime);
        WriteMemory(address + FileBasicInformationLayout.FileAttributes, basic.FileAttributes);
    }

    private static void WriteStandard(FatFcb fcb, ulong address)
    {
        WriteMemory(address + FileStandardInformationLayout.AllocationSize, fcb.IsDeleted ? 0 : fcb.AllocationSize);
        WriteMemory(address + FileStandardInformationLayout.EndOfFile, fcb.IsDeleted ? 0 : fcb.FileSize);
        WriteMemory(address + FileStandardInformationLayout.NumberOfLinks, fcb.IsDeleted ? 0u : 1u);
        WriteMemory(address + FileStandardInformationLayout.DeletePending, (byte)(fcb.DeletePending ? 1 : 0));
        WriteMemory(address + FileStandardInformationLayout.Directory, (byte)(fcb.IsDirectory ? 1 : 0));
    }

    /// <summary>FILE_INTERNAL_INFORMATION.IndexNumber: where the file's entry is (parent's first cluster, slot), unique on the volume.</summary>
    private static long IndexNumber(FatFcb fcb) =>
        fcb.IsRoot ? 0 : ((long)fcb.Parent!.FirstCluster << 32) | (uint)fcb.DirentShortSlot;

    /// <summary>FILE_MODE_INFORMATION.Mode: the create options the file object keeps (FILE_SYNCHRONOUS_IO_*, FILE_WRITE_THROUGH, ...).</summary>
    private static uint ModeOf(FILE_OBJECT file)
    {
        uint mode = 0;
        var flags = file.Flags;
        if ((flags & FO_FLAGS.FO_WRITE_THROUGH) != 0)
        {
            mode |= 0x2;
        }

        if ((flags & FO_FLAGS.FO_SEQUENTIAL_ONLY) != 0)
        {
            mode |= 0x4;
        }

        if ((flags & FO_FLAGS.FO_NO_INTERMEDIATE_BUFFERING) != 0)
        {
            mode |= 0x8;
        }

        if ((flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)
        {
            mode |= (flags & FO_FLAGS.FO_ALERTABLE_IO) != 0 ? 0x10u : 0x20u;
        }

        return mode;
    }

    /// <summary>FILE_NAME_INFORMATION: the full path from the volume's root; cut to fit with STATUS_BUFFER_OVERFLOW.</summary>
    private static NTSTATUS WriteNameInformation(FatFcb fcb, ulong address, int length, out ulong information)
    {
        var name = fcb.FullPath;
        var nameBytes = name.Length * 2;
        var room = length - FileNameInformationLayout.FileName;
        WriteMemory(address + FileNameInformationLayout.FileNameLength, (uint)nameBytes);
        var copied = Math.Min(nameBytes, room) & ~1;
        WriteName(address + FileNameInformationLayout.FileName, name, copied);
        information = (ulong)(FileNameInformationLayout.FileName + copied);
        return copied < nameBytes ? STATUS_BUFFER_OVERFLOW : STATUS_SUCCESS;
    }

    /// <summary>
    /// IRP_MJ_SET_INFORMATION: FileBasicInformation (times, attributes), FileEndOfFileInformation (truncate or
    /// extend), FileDispositionInformation (delete at last cleanup), FileRenameInformation (a new name, in the
    /// target directory the I/O manager opened as Parameters.SetFile.FileObject or in the same directory),
    /// FilePositionInformation.
    /// </summary>
    private NTSTATUS FatFsdSetInformation(DEVICE_OBJECT DeviceObject, IRP Irp) => VolumeRequest(DeviceObject, Irp, FatCommonSetInformation);

    private static NTSTATUS FatCommonSetInformation(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var ccb = CcbOf(vcb, file);
        if (ccb?.Fcb is not { } fcb)
        {
            return STATUS_INVALID_PARAMETER;
        }

        var buffer = irp.AssociatedIrp.SystemBuffer;
        var length = (int)irpSp.Parameters.SetFile.Length;
        var infoClass = irpSp.Parameters.SetFile.FileInformationClass;
        var fixedSize = infoClass switch
        {
            FileBasicInformation => FileBasicInformationLayout.Size,
            FileEndOfFileInformation => FileEndOfFileInformationLayout.Size,
            FileDispositionInformation => FileDispositionInformationLayout.Size,
            FileRenameInformation => FileRenameInformationLayout.FileName,
            FilePositionInformation => FilePositionInformationLayout.Size,
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

        switch (infoClass)
        {
            case FileBasicInformation:
                return vcb.Volume.SetBasicInformation(fcb, new FatBasicInformation(
                    ReadMemory<long>(buffer + FileBasicInformationLayout.CreationTime),
                    ReadMemory<long>(buffer + FileBasicInformationLayout.LastAccessTime),
                    ReadMemory<long>(buffer + FileBasicInformationLayout.LastWriteTime),
                    ReadMemory<long>(buffer + FileBasicInformationLayout.ChangeTime),
                    ReadMemory<uint>(buffer + FileBasicInformationLayout.FileAttributes)));
            case FileEndOfFileInformation:
                return vcb.Volume.SetEndOfFile(fcb, ReadMemory<long>(buffer + FileEndOfFileInformationLayout.EndOfFile));
            case FileDispositionInformation:
            {
                var delete = ReadMemory<byte>(buffer + FileDispositionInformationLayout.DeleteFile) != 0;
                var status = vcb.Volume.SetDispositionInformation(fcb, delete);
                if (status.IsSuccess())
                {
                    file.DeletePending = delete;
                }

                return status;
            }

            case FilePositionInformation:
            {
                var position = ReadMemory<long>(buffer + FilePositionInformationLayout.CurrentByteOffset);
                if (position < 0)
                {
                    return STATUS_INVALID_PARAMETER;
                }

                file.CurrentByteOffset = position;
                return STATUS_SUCCESS;
            }

            default:
                return SetRename(vcb, fcb, irpSp, buffer, length);
        }
    }

    private static NTSTATUS SetRename(FatVcb vcb, FatFcb fcb, IO_STACK_LOCATION irpSp, ulong buffer, int length)
    {
        var nameLength = ReadMemory<uint>(buffer + FileRenameInformationLayout.FileNameLength);
        if (nameLength == 0 || nameLength % 2 != 0 || nameLength > length - FileRenameInformationLayout.FileName)
        {
            return STATUS_INVALID_PARAMETER;
        }

        var newName = ReadName(buffer + FileRenameInformationLayout.FileName, (int)nameLength);
        var replace = ReadMemory<byte>(buffer + FileRenameInformationLayout.ReplaceIfExists) != 0 || irpSp.Parameters.SetFile.ReplaceIfExists != 0;
        var target = new FILE_OBJECT(irpSp.Parameters.SetFile.FileObject);
        if (!target.IsNull)
        {
            // The I/O manager opened the target's directory (IopOpenLinkOrRenameTarget): the name's last component goes there.
            if (CcbOf(vcb, target)?.Fcb is not { IsDirectory: true } directory)
            {
                return STATUS_NOT_SAME_DEVICE;
            }

            return vcb.Volume.Rename(fcb, directory, newName[(newName.LastIndexOf('\\') + 1)..], replace);
        }

        // No target file object: a simple name renames in place; a path from the volume's root moves the file.
        return newName.Contains('\\', StringComparison.Ordinal)
            ? vcb.Volume.Rename(fcb, newName, replace)
            : vcb.Volume.Rename(fcb, fcb.Parent ?? fcb, newName, replace);
    }
}
