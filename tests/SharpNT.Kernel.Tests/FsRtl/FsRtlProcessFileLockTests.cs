using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.Io.IRP_MN;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.FsRtl;

/// <summary>
/// Requester half: IRP_MJ_LOCK_CONTROL IRPs (IoAllocateIrp, so of no thread and no process) sent to a driver
/// that hands them to FsRtlProcessFileLock: a lock that conflicts and may wait is pended and granted by the
/// unlock that clears its range, cancelled by IoCancelIrp, or ended by FsRtlUninitializeFileLock.
/// </summary>
public sealed class FsRtlProcessFileLockTests
{
    private sealed record Sent(IRP Irp, KEVENT Done, NTSTATUS Returned, ulong Length)
    {
        public bool Completed => Done.SignalState != 0;
    }

    /// <summary>A nonpaged block standing for a file object (FsRtl only compares file objects).</summary>
    private static FILE_OBJECT NewFileObject() => new(ExAllocatePool2(POOL_FLAG_NON_PAGED, 0xD8, PoolTag("Test")));

    private static Sent Send(DEVICE_OBJECT device, FILE_OBJECT file, byte minor, long offset, long length, uint key = 0, byte flags = 0)
    {
        var lengthBuffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 8, PoolTag("Test"));
        WriteMemory(lengthBuffer, length);
        var irp = IoAllocateIrp(device.StackSize, false);
        var sl = IoGetNextIrpStackLocation(irp);
        sl.MajorFunction = IRP_MJ_LOCK_CONTROL;
        sl.MinorFunction = minor;
        sl.Flags = flags;
        sl.FileObject = file;
        sl.Parameters.LockControl.Length = lengthBuffer;
        sl.Parameters.LockControl.ByteOffset = offset;
        sl.Parameters.LockControl.Key = key;
        var done = new KEVENT();
        KeInitializeEvent(done, NotificationEvent, false);
        IoSetCompletionRoutine(irp, (d, i, c) =>
        {
            KeSetEvent(done, IO_NO_INCREMENT, false);
            return STATUS_MORE_PROCESSING_REQUIRED;
        }, null, true, true, true);
        return new Sent(irp, done, IoCallDriver(device, irp), lengthBuffer);
    }

    private static NTSTATUS Finish(Sent sent)
    {
        Assert.True(sent.Completed);
        var status = sent.Irp.IoStatus.Status;
        IoFreeIrp(sent.Irp);
        ExFreePool(sent.Length);
        return status;
    }

    /// <summary>A read or write IRP of no thread through <paramref name="file"/>: what the driver's lock check answered.</summary>
    private static NTSTATUS Transfer(DEVICE_OBJECT device, FILE_OBJECT file, byte major, long offset, uint length, uint key)
    {
        var irp = IoAllocateIrp(device.StackSize, false);
        var sl = IoGetNextIrpStackLocation(irp);
        sl.MajorFunction = major;
        sl.FileObject = file;
        sl.Parameters.Read.ByteOffset = offset;
        sl.Parameters.Read.Length = length;
        sl.Parameters.Read.Key = key;
        IoSetCompletionRoutine(irp, (d, i, c) => STATUS_MORE_PROCESSING_REQUIRED, null, true, true, true);
        IoCallDriver(device, irp);
        var status = irp.IoStatus.Status;
        IoFreeIrp(irp);
        return status;
    }

    [Fact]
    public void A_conflicting_lock_that_may_wait_is_pended_and_granted_when_the_range_is_unlocked()
    {
        using var machine = TestMachines.Boot();
        var driver = new FileLockDriver();
        var log = machine.Run(() =>
        {
            var device = Tests.Io.Requester.Load(machine, driver);
            var a = NewFileObject();
            var b = NewFileObject();
            var first = Send(device, a, IRP_MN_LOCK, 0, 10, flags: SL_FLAGS.SL_EXCLUSIVE_LOCK);
            var waiting = Send(device, b, IRP_MN_LOCK, 5, 10, flags: SL_FLAGS.SL_EXCLUSIVE_LOCK);
            var refused = Send(device, b, IRP_MN_LOCK, 5, 10, flags: SL_FLAGS.SL_EXCLUSIVE_LOCK | SL_FLAGS.SL_FAIL_IMMEDIATELY);
            var log = new List<string>
            {
                $"first {first.Returned}",
                $"waiting {waiting.Returned} completed={waiting.Completed}",
                $"refused {refused.Returned}",
                $"read b 0: {Transfer(device, b, IRP_MJ_READ, 0, 4, 0)}",
                $"write a 0 key 0: {Transfer(device, a, IRP_MJ_WRITE, 0, 4, 0)}",
                $"write a 0 key 1: {Transfer(device, a, IRP_MJ_WRITE, 0, 4, 1)}",
            };
            var wrongUnlock = Send(device, a, IRP_MN_UNLOCK_SINGLE, 0, 9);
            log.Add($"unlock 0+9 {wrongUnlock.Returned} waiting completed={waiting.Completed}");
            var unlock = Send(device, a, IRP_MN_UNLOCK_ALL, 0, 0);
            log.Add($"unlock all {unlock.Returned} waiting completed={waiting.Completed} {waiting.Irp.IoStatus.Status} pending-returned={waiting.Irp.PendingReturned}");
            log.Add($"write a 0: {Transfer(device, a, IRP_MJ_WRITE, 0, 4, 0)}; write b 5: {Transfer(device, b, IRP_MJ_WRITE, 5, 4, 0)}");
            log.Add($"locks: {FsRtlAreThereCurrentFileLocks(driver.FileLock)}");
            foreach (var sent in new[] { first, waiting, refused, wrongUnlock, unlock })
            {
                Finish(sent);
            }

            return log;
        });

        Assert.Equal(
        [
            "first STATUS_SUCCESS",
            "waiting STATUS_PENDING completed=False",
            "refused STATUS_LOCK_NOT_GRANTED",
            "read b 0: STATUS_FILE_LOCK_CONFLICT",
            "write a 0 key 0: STATUS_SUCCESS",
            "write a 0 key 1: STATUS_FILE_LOCK_CONFLICT",
            "unlock 0+9 STATUS_RANGE_NOT_LOCKED waiting completed=False",
            "unlock all STATUS_SUCCESS waiting completed=True STATUS_SUCCESS pending-returned=True",
            "write a 0: STATUS_SUCCESS; write b 5: STATUS_SUCCESS",
            "locks: True",
        ], log);

        // Every completion went through the FILE_LOCK's CompleteLockIrpRoutine with FsRtlProcessFileLock's context,
        // the waiter's among them (completed by the unlock request, in its thread).
        Assert.Equal(
            ["ctx STATUS_SUCCESS", "ctx STATUS_LOCK_NOT_GRANTED", "ctx STATUS_RANGE_NOT_LOCKED", "ctx STATUS_SUCCESS", "ctx STATUS_SUCCESS"],
            driver.Completions);
    }

    [Fact]
    public void A_waiting_lock_is_cancelled_by_IoCancelIrp_and_one_left_waiting_ends_with_the_file_lock()
    {
        using var machine = TestMachines.Boot();
        var driver = new FileLockDriver();
        var log = machine.Run(() =>
        {
            var device = Tests.Io.Requester.Load(machine, driver);
            var a = NewFileObject();
            var b = NewFileObject();
            var held = Send(device, a, IRP_MN_LOCK, 100, 1, flags: SL_FLAGS.SL_EXCLUSIVE_LOCK);
            var cancelled = Send(device, b, IRP_MN_LOCK, 100, 1, flags: 0);
            var leftWaiting = Send(device, b, IRP_MN_LOCK, 100, 1, flags: SL_FLAGS.SL_EXCLUSIVE_LOCK);
            var log = new List<string> { $"{cancelled.Returned} {leftWaiting.Returned}" };
            log.Add($"cancel routine called: {IoCancelIrp(cancelled.Irp)}; completed={cancelled.Completed} {cancelled.Irp.IoStatus.Status}");
            log.Add($"cancel again: {IoCancelIrp(cancelled.Irp)}");
            FsRtlUninitializeFileLock(driver.FileLock);
            log.Add($"uninitialized: completed={leftWaiting.Completed} {leftWaiting.Irp.IoStatus.Status}; locks {FsRtlAreThereCurrentFileLocks(driver.FileLock)}");
            foreach (var sent in new[] { held, cancelled, leftWaiting })
            {
                Finish(sent);
            }

            return log;
        });

        Assert.Equal(
        [
            "STATUS_PENDING STATUS_PENDING",
            "cancel routine called: True; completed=True STATUS_CANCELLED",
            "cancel again: False",
            "uninitialized: completed=True STATUS_RANGE_NOT_LOCKED; locks False",
        ], log);
    }
}
