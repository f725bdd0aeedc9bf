using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Fastfat;

public sealed partial class FatDriver
{
    /// <summary>ByteOffset FILE_USE_FILE_POINTER_POSITION (LowPart 0xFFFFFFFE, HighPart -1): at the file object's current offset.</summary>
    private const long FILE_USE_FILE_POINTER_POSITION = -2;

    /// <summary>ByteOffset FILE_WRITE_TO_END_OF_FILE (LowPart 0xFFFFFFFF, HighPart -1): append.</summary>
    private const long FILE_WRITE_TO_END_OF_FILE = -1;

    /// <summary>
    /// IRP_MJ_READ: Parameters.Read.Length bytes at Parameters.Read.ByteOffset into the request's buffer.
    /// Information is the count read (short at end of file); at or past the end, STATUS_END_OF_FILE with 0. A
    /// synchronous file object's CurrentByteOffset moves past what was read. A byte-range lock in the way is
    /// STATUS_FILE_LOCK_CONFLICT.
    /// </summary>
    private NTSTATUS FatFsdRead(DEVICE_OBJECT DeviceObject, IRP Irp) => VolumeRequest(DeviceObject, Irp, FatCommonRead);

    private static NTSTATUS FatCommonRead(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var ccb = CcbOf(vcb, file);
        if (ccb?.Fcb is not { } fcb)
        {
            return STATUS_INVALID_DEVICE_REQUEST;
        }

        var length = irpSp.Parameters.Read.Length;
        var offset = irpSp.Parameters.Read.ByteOffset;
        if (offset == FILE_USE_FILE_POINTER_POSITION)
        {
            offset = file.CurrentByteOffset;
        }

        if (length == 0)
        {
            return STATUS_SUCCESS;
        }

        if (!FatCheckLockAccess(vcb, fcb, irp, irpSp, offset, length, write: false))
        {
            return STATUS_FILE_LOCK_CONFLICT;
        }

        var buffer = MapUserBuffer(irp);
        if (buffer == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        // A cached read sets up caching on the open at its first read (fastfat's FatCommonRead calls
        // CcInitializeCacheMap there), which lets later reads on it take the fast I/O path.
        if ((irp.Flags & IRP_FLAGS.IRP_NOCACHE) == 0)
        {
            FatInitializeCacheMap(vcb, file, ccb);
        }

        var status = FatCopyRead(vcb, fcb, offset, length, buffer, out information);
        if (status.IsSuccess() && (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)
        {
            file.CurrentByteOffset = offset + (long)information;
        }

        return status;
    }

    /// <summary>
    /// IRP_MJ_WRITE: Parameters.Write.Length bytes at Parameters.Write.ByteOffset, or at the end of file for
    /// FILE_WRITE_TO_END_OF_FILE (an append). Information is the count written; a byte-range lock in the way is
    /// STATUS_FILE_LOCK_CONFLICT.
    /// </summary>
    private NTSTATUS FatFsdWrite(DEVICE_OBJECT DeviceObject, IRP Irp) => VolumeRequest(DeviceObject, Irp, FatCommonWrite);

    private static NTSTATUS FatCommonWrite(FatVcb vcb, IRP irp, IO_STACK_LOCATION irpSp, out ulong information)
    {
        information = 0;
        var file = irpSp.FileObject;
        var ccb = CcbOf(vcb, file);
        if (ccb?.Fcb is not { } fcb)
        {
            return STATUS_INVALID_DEVICE_REQUEST;
        }

        var length = irpSp.Parameters.Write.Length;
        var offset = irpSp.Parameters.Write.ByteOffset;
        if (offset == FILE_USE_FILE_POINTER_POSITION)
        {
            offset = file.CurrentByteOffset;
        }

        var append = offset == FILE_WRITE_TO_END_OF_FILE;
        if (append)
        {
            offset = fcb.FileSize;
        }

        if (offset < 0)
        {
            return STATUS_INVALID_PARAMETER;
        }

        if (length == 0)
        {
            return STATUS_SUCCESS;
        }

        if (!FatCheckLockAccess(vcb, fcb, irp, irpSp, offset, length, write: true))
        {
            return STATUS_FILE_LOCK_CONFLICT;
        }

        var buffer = MapUserBuffer(irp);
        if (buffer == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        if ((irp.Flags & IRP_FLAGS.IRP_NOCACHE) == 0)
        {
            FatInitializeCacheMap(vcb, file, ccb);
        }

        var status = FatCopyWrite(vcb, fcb, offset, length, buffer, out information);

        if (information != 0)
        {
            file.Flags |= FO_FLAGS.FO_FILE_MODIFIED;
        }

        if (status.IsSuccess() && (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)
        {
            file.CurrentByteOffset = offset + (long)information;
        }

        return status;
    }
}
