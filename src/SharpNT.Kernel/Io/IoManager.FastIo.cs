using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// Fast I/O: a read or write on a cached file done by a direct call into the file system (through the
/// filters above it), with no IRP. NtReadFile and NtWriteFile try it first when the file object is
/// synchronous and caching has been set up on it (FileObject->PrivateCacheMap), calling the FastIoRead /
/// FastIoWrite of the driver of the top device of the file's stack. FALSE, or a status other than the
/// straightforward ones, means the request goes down as an IRP instead, as if fast I/O had never been tried.
/// </summary>
internal sealed partial class IoManager
{
    /// <summary>The code address of <paramref name="routine"/> in the image of the driver whose code is running (it fills its table).</summary>
    internal ulong RegisterCallerRoutine(Delegate? routine) => Thunks.Register(_machine.Ke.CurrentModule(), routine);

    /// <summary>
    /// Calls the top driver's FastIoRead or FastIoWrite for a synchronous, cached file object. True when the
    /// fast path did the request: <paramref name="status"/> and <paramref name="information"/> are its result
    /// (a read: STATUS_SUCCESS or STATUS_END_OF_FILE; a write: STATUS_SUCCESS). False: build an IRP.
    /// </summary>
    private bool TryFastIo(bool read, DEVICE_OBJECT device, FILE_OBJECT file, long offset, uint length, uint key, ulong buffer,
        out NTSTATUS status, out ulong information)
    {
        status = NTSTATUS.STATUS_SUCCESS;
        information = 0;
        var mm = Mm;
        var driver = mm.Read<ulong>(device.Address + DeviceObjectLayout.DriverObject);
        var table = new FAST_IO_DISPATCH(mm.Read<ulong>(driver + DriverObjectLayout.FastIoDispatch));
        if (table.IsNull)
        {
            return false;
        }

        var routine = table.AddressOf(read ? FastIoDispatchLayout.FastIoRead : FastIoDispatchLayout.FastIoWrite);
        var entry = routine == 0 ? null : Thunks.Describe(routine);
        if (entry is null)
        {
            return false;
        }

        // The IO_STATUS_BLOCK the routine fills is the I/O manager's own (a local on NT's kernel stack); the
        // caller's is written only once the fast path has done the request.
        var iosbAddress = AllocateNonPaged(IoStatusBlockLayout.Size, TagSystemBuffer);
        if (iosbAddress == 0)
        {
            return false;
        }

        var iosb = new IO_STATUS_BLOCK(iosbAddress);
        var thread = KTHREAD.Current!;
        var fileOffset = new LARGE_INTEGER(offset);
        bool done;
        thread.PushFrame(entry.Frame);
        try
        {
            done = entry.Routine switch
            {
                FAST_IO_READ fastRead when read => fastRead(file, in fileOffset, length, true, key, buffer, iosb, device),
                FAST_IO_WRITE fastWrite when !read => fastWrite(file, in fileOffset, length, true, key, buffer, iosb, device),
                _ => false,
            };
        }
        finally
        {
            thread.PopFrame();
        }

        if (done)
        {
            status = iosb.Status;
            information = iosb.Information;
        }

        FreePool(iosbAddress);

        // Only a straightforward outcome is taken (as NtReadFile does); anything else is left to the IRP path,
        // which reports it with the file system's full error handling.
        return done && (status == NTSTATUS.STATUS_SUCCESS
            || (read && (status == NTSTATUS.STATUS_END_OF_FILE || status == NTSTATUS.STATUS_BUFFER_OVERFLOW)));
    }
}
