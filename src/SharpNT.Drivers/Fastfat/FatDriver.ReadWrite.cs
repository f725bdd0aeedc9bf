using System.Buffers;
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

    /// <summary>Bytes copied between the engine and the request's buffer at a time.</summary>
    private const int CopyChunkBytes = 1024 * 1024;

    /// <summary>
    /// IRP_MJ_READ: Parameters.Read.Length bytes at Parameters.Read.ByteOffset into the request's buffer.
    /// Information is the count read (short at end of file); at or past the end, STATUS_END_OF_FILE with 0. A
    /// synchronous file object's CurrentByteOffset moves past what was read.
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

        var buffer = MapUserBuffer(irp);
        if (buffer == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var status = STATUS_SUCCESS;
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, CopyChunkBytes));
        try
        {
            while (information < length)
            {
                var piece = (int)Math.Min(length - information, (ulong)chunk.Length);
                status = vcb.Volume.Read(fcb, offset + (long)information, chunk.AsSpan(0, piece), out var read);
                if (!status.IsSuccess())
                {
                    break;
                }

                CopyFromHost(buffer + information, chunk.AsSpan(0, read));
                information += (ulong)read;
                if (read < piece)
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // End of file after some bytes is a short read, not an error.
        if (status == STATUS_END_OF_FILE && information != 0)
        {
            status = STATUS_SUCCESS;
        }

        if (status.IsSuccess() && (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0)
        {
            file.CurrentByteOffset = offset + (long)information;
        }

        return status;
    }

    /// <summary>
    /// IRP_MJ_WRITE: Parameters.Write.Length bytes at Parameters.Write.ByteOffset, or at the end of file for
    /// FILE_WRITE_TO_END_OF_FILE (an append). Information is the count written.
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

        var buffer = MapUserBuffer(irp);
        if (buffer == 0)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        var status = STATUS_SUCCESS;
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, CopyChunkBytes));
        try
        {
            while (information < length)
            {
                var piece = (int)Math.Min(length - information, (ulong)chunk.Length);
                CopyToHost(buffer + information, chunk.AsSpan(0, piece));
                status = vcb.Volume.Write(fcb, offset + (long)information, chunk.AsSpan(0, piece), out var written);
                information += (ulong)written;
                if (!status.IsSuccess())
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

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
