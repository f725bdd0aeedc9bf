using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

public sealed partial class FatDriver
{
    private const uint FILE_DIRECTORY_FILE = 0x00000001;
    private const uint FILE_NON_DIRECTORY_FILE = 0x00000040;
    private const uint FILE_DELETE_ON_CLOSE = 0x00001000;

    /// <summary>Access a read-only file refuses (fastfat: anything that would change its data or add to it).</summary>
    private const uint ReadOnlyRefusedAccess = AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA | AccessMask.FILE_DELETE_CHILD;

    /// <summary>
    /// IRP_MJ_CREATE: FileObject->FileName names the file below the volume (or, with a RelatedFileObject,
    /// below that directory); Parameters.Create.Options holds the disposition in its high byte and the
    /// create options below; SecurityContext->DesiredAccess and Parameters.Create.ShareAccess decide sharing.
    /// Information is FILE_OPENED, FILE_CREATED, FILE_OVERWRITTEN or FILE_SUPERSEDED.
    /// </summary>
    private NTSTATUS FatFsdCreate(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (DeviceObject == _controlDevice)
        {
            // An open of \Fat itself: the file system's control device, no volume.
            return Complete(Irp, STATUS_SUCCESS, (ulong)FatCreateAction.FILE_OPENED);
        }

        return VolumeRequest(DeviceObject, Irp, FatCommonCreate);
    }

    private NTSTATUS FatCommonCreate(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var name = FsRtlGetFileName(file);
        var options = irpSp.Parameters.Create.Options;
        var disposition = (FatCreateDisposition)(options >> 24);
        var createOptions = options & 0x00FFFFFF;
        var access = new IO_SECURITY_CONTEXT(irpSp.Parameters.Create.SecurityContext).DesiredAccess;
        uint share = irpSp.Parameters.Create.ShareAccess;
        var attributes = (FatAttributes)(irpSp.Parameters.Create.FileAttributes & 0x27);
        if (disposition > FatCreateDisposition.FILE_OVERWRITE_IF)
        {
            return STATUS_INVALID_PARAMETER;
        }

        FatFcb? related = null;
        var relatedFile = file.RelatedFileObject;
        if (!relatedFile.IsNull)
        {
            var relatedCcb = CcbOf(vcb, relatedFile);
            if (relatedCcb?.Fcb is null)
            {
                return STATUS_INVALID_PARAMETER;
            }

            related = relatedCcb.Fcb;
        }

        if (name.Length == 0 && related is null)
        {
            return OpenVolume(vcb, file, access, out information);
        }

        var engineOptions = (FatCreateOptions)(createOptions & (FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE));
        var deleteOnClose = (createOptions & FILE_DELETE_ON_CLOSE) != 0;
        if (deleteOnClose && (access & AccessMask.DELETE) == 0)
        {
            // FILE_DELETE_ON_CLOSE needs DELETE access (ZwCreateFile).
            return STATUS_ACCESS_DENIED;
        }

        // The existing file is opened first, so access and sharing are checked before an overwrite changes anything.
        var status = vcb.Volume.Create(related, name, FatCreateDisposition.FILE_OPEN, engineOptions, FatAttributes.None, out var probe, out _);
        FatFcb? fcb;
        FatCreateAction action;
        if (status.IsSuccess())
        {
            try
            {
                status = CheckExistingOpen(vcb, probe!, file, disposition, access, share, deleteOnClose);
                if (!status.IsSuccess())
                {
                    return status;
                }

                if (disposition is FatCreateDisposition.FILE_SUPERSEDE or FatCreateDisposition.FILE_OVERWRITE or FatCreateDisposition.FILE_OVERWRITE_IF)
                {
                    status = vcb.Volume.Create(related, name, disposition, engineOptions, attributes, out fcb, out action);
                    if (!status.IsSuccess())
                    {
                        return status;
                    }
                }
                else
                {
                    // The probe's open becomes this open.
                    fcb = probe;
                    probe = null;
                    action = FatCreateAction.FILE_OPENED;
                }
            }
            finally
            {
                if (probe is not null)
                {
                    vcb.Volume.Close(probe);
                }
            }
        }
        else if (status == STATUS_OBJECT_NAME_NOT_FOUND)
        {
            status = vcb.Volume.Create(related, name, disposition, engineOptions, attributes, out fcb, out action);
            if (!status.IsSuccess())
            {
                return status;
            }
        }
        else
        {
            return status;
        }

        var block = GetFcbBlock(vcb, fcb!);
        var ccb = block is null ? null : NewCcb(vcb, fcb, access, deleteOnClose);
        if (ccb is null)
        {
            vcb.Volume.Close(fcb!);
            if (block is not null)
            {
                ReleaseFcbBlockIfUnused(vcb, fcb!);
            }

            return STATUS_INSUFFICIENT_RESOURCES;
        }

        if (block!.Uncleaned == 0)
        {
            IoSetShareAccess(access, share, file, block.ShareAccess);
        }
        else
        {
            IoCheckShareAccess(access, share, file, block.ShareAccess, true);
        }

        block.Opens++;
        block.Uncleaned++;
        file.FsContext = block.Address;
        file.FsContext2 = ccb.Address;
        file.SectionObjectPointer = block.SectionObjectPointers;
        information = (ulong)action;
        return STATUS_SUCCESS;
    }

    /// <summary>The checks an open of an existing file passes before anything changes: disposition, read-only, sharing.</summary>
    private static NTSTATUS CheckExistingOpen(FatVcb vcb, FatFcb existing, FILE_OBJECT file, FatCreateDisposition disposition, uint access,
        uint share, bool deleteOnClose)
    {
        if (disposition == FatCreateDisposition.FILE_CREATE)
        {
            return STATUS_OBJECT_NAME_COLLISION;
        }

        var readOnly = (existing.Attributes & FatAttributes.ReadOnly) != 0;
        if (readOnly && !existing.IsDirectory && (access & ReadOnlyRefusedAccess) != 0)
        {
            return STATUS_ACCESS_DENIED;
        }

        if (readOnly && deleteOnClose)
        {
            return STATUS_CANNOT_DELETE;
        }

        if (vcb.Fcbs.TryGetValue(existing, out var block) && block.Uncleaned > 0)
        {
            return IoCheckShareAccess(access, share, file, block.ShareAccess, false);
        }

        return STATUS_SUCCESS;
    }

    /// <summary>An open of the volume itself (no name after the volume's device name): volume queries and flushes.</summary>
    private static NTSTATUS OpenVolume(FatVcb vcb, FILE_OBJECT file, uint access, out ulong information)
    {
        information = 0;
        var ccb = NewCcb(vcb, null, access, false);
        if (ccb is null)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        file.FsContext = vcb.VolumeFcbAddress;
        file.FsContext2 = ccb.Address;
        information = (ulong)FatCreateAction.FILE_OPENED;
        return STATUS_SUCCESS;
    }

    /// <summary>
    /// IRP_MJ_CLEANUP (the last handle to the file object closed): the open's sharing no longer counts, the
    /// closing process's byte-range locks through it are released, and a file marked for deletion (FileDispositionInformation or FILE_DELETE_ON_CLOSE) goes when its last
    /// open is cleaned up.
    /// </summary>
    private NTSTATUS FatFsdCleanup(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (DeviceObject == _controlDevice)
        {
            return Complete(Irp, STATUS_SUCCESS, 0);
        }

        return VolumeRequest(DeviceObject, Irp, FatCommonCleanup, evenIfDismounted: true);
    }

    private static NTSTATUS FatCommonCleanup(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var ccb = CcbOf(vcb, file);
        if (ccb is null || ccb.CleanupDone)
        {
            return STATUS_SUCCESS;
        }

        ccb.CleanupDone = true;
        if (ccb.Fcb is { } fcb && vcb.Fcbs.TryGetValue(fcb, out var block))
        {
            // CcUninitializeCacheMap at cleanup, as fastfat does: the open's cache map goes with its last handle.
            FatUninitializeCacheMap(file, ccb, block);
            IoRemoveShareAccess(file, block.ShareAccess);

            // The closing process's byte-range locks through this file object go with its last handle.
            FsRtlFastUnlockAll(block.FileLock, file, IoGetRequestorProcess(irp), null);
            block.Uncleaned--;
            if (!vcb.Dismounted)
            {
                if (ccb.DeleteOnClose && !fcb.IsDeleted)
                {
                    vcb.Volume.SetDispositionInformation(fcb, true);
                }

                if (block.Uncleaned == 0 && fcb.DeletePending && !fcb.IsDeleted && !vcb.Volume.Delete(fcb).IsSuccess())
                {
                    fcb.DeletePending = false;
                }
            }
        }

        file.Flags |= FO_FLAGS.FO_CLEANUP_COMPLETE;
        return STATUS_SUCCESS;
    }

    /// <summary>IRP_MJ_CLOSE (the last reference to the file object gone): the CCB goes, and the FCB with its last open.</summary>
    private NTSTATUS FatFsdClose(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        if (DeviceObject == _controlDevice)
        {
            return Complete(Irp, STATUS_SUCCESS, 0);
        }

        return VolumeRequest(DeviceObject, Irp, FatCommonClose, evenIfDismounted: true);
    }

    private static NTSTATUS FatCommonClose(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var ccb = CcbOf(vcb, file);
        if (ccb is null)
        {
            return STATUS_SUCCESS;
        }

        vcb.Ccbs.Remove(ccb.Address);
        ExFreePoolWithTag(ccb.Address, TagCcb);
        if (ccb.Fcb is { } fcb)
        {
            vcb.Volume.Close(fcb);
            if (vcb.Fcbs.TryGetValue(fcb, out var block))
            {
                FatUninitializeCacheMap(file, ccb, block);
                block.Opens--;
                ReleaseFcbBlockIfUnused(vcb, fcb);
            }
        }

        file.FsContext = 0;
        file.FsContext2 = 0;
        file.SectionObjectPointer = 0;
        return STATUS_SUCCESS;
    }
}
