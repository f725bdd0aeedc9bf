using SharpNT.Kernel.FsRtl;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.FsRtl;

/// <summary>
/// The FsRtl file-lock package rule by rule, as a file system calls it: FsRtlFastLock, the fast read/write
/// checks, the unlocks, FsRtlAreThereCurrentFileLocks, and the FILE_LOCK's life in pool. Owners are (file
/// object, process) with the key; the process is given as an EPROCESS address, as NT passes it.
/// </summary>
public sealed class FileLockPackageTests
{
    private static readonly FILE_OBJECT FileA = new(0xFFFF_A000_0000_1000);
    private static readonly FILE_OBJECT FileB = new(0xFFFF_A000_0000_2000);
    private const ulong ProcessA = 0xFFFF_B000_0000_1000;
    private const ulong ProcessB = 0xFFFF_B000_0000_2000;

    /// <summary>Runs <paramref name="body"/> in a machine with a fresh FILE_LOCK and an IO_STATUS_BLOCK.</summary>
    private static void WithLock(Action<Machine, FILE_LOCK, IO_STATUS_BLOCK> body)
    {
        using var machine = TestMachines.Boot();
        machine.Run(() =>
        {
            var fileLock = FsRtlAllocateFileLock(null, null);
            Assert.False(fileLock.IsNull);
            var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test")));
            body(machine, fileLock, iosb);
            FsRtlFreeFileLock(fileLock);
            ExFreePool(iosb.Address);
        });
    }

    /// <summary>FsRtlFastLock that may not wait: the status it decided.</summary>
    private static NTSTATUS Lock(Machine machine, FILE_LOCK fileLock, IO_STATUS_BLOCK iosb, long offset, long length, bool exclusive,
        FILE_OBJECT? file = null, ulong process = ProcessA, uint key = 0)
    {
        Assert.True(machine.FsRtl.FastLock(fileLock, file ?? FileA, offset, length, process, key, true, exclusive, iosb, null));
        return iosb.Status;
    }

    private static bool CanRead(Machine machine, FILE_LOCK fileLock, long offset, long length, FILE_OBJECT? file = null, ulong process = ProcessA,
        uint key = 0) => machine.FsRtl.FastCheckLockForRead(fileLock, offset, length, key, file ?? FileA, process);

    private static bool CanWrite(Machine machine, FILE_LOCK fileLock, long offset, long length, FILE_OBJECT? file = null, ulong process = ProcessA,
        uint key = 0) => machine.FsRtl.FastCheckLockForWrite(fileLock, offset, length, key, file ?? FileA, process);

    [Fact]
    public void Overlapping_shared_locks_are_granted_and_let_everyone_read_and_nobody_write_the_owner_included() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 100, 50, exclusive: false));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 120, 50, exclusive: false, FileB, ProcessB));
        Assert.True(CanRead(m, fl, 100, 10));
        Assert.True(CanRead(m, fl, 140, 10, FileB, ProcessB, key: 9));
        Assert.False(CanWrite(m, fl, 100, 1));
        Assert.False(CanWrite(m, fl, 149, 1, FileB, ProcessB));
        Assert.False(CanWrite(m, fl, 50, 51));

        // Bytes outside every lock: the range ends at offset + length - 1.
        Assert.True(CanWrite(m, fl, 170, 10));
        Assert.True(CanWrite(m, fl, 90, 10));
    });

    [Fact]
    public void An_exclusive_lock_lets_only_its_owner_read_and_write_the_same_file_object_process_and_key() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 0, 10, exclusive: true, key: 7));
        Assert.True(CanRead(m, fl, 0, 10, key: 7));
        Assert.True(CanWrite(m, fl, 5, 5, key: 7));
        Assert.False(CanRead(m, fl, 9, 1, FileB, ProcessA, key: 7));
        Assert.False(CanWrite(m, fl, 0, 1, FileA, ProcessB, key: 7));
        Assert.False(CanWrite(m, fl, 0, 1, FileA, ProcessA, key: 8));
        Assert.False(CanRead(m, fl, 0, 1, FileA, ProcessA, key: 8));
        Assert.True(CanRead(m, fl, 10, 100, FileB, ProcessB));
    });

    [Fact]
    public void An_exclusive_request_conflicts_with_any_overlap_and_a_shared_one_with_an_exclusive_lock() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 0, 10, exclusive: false));
        Assert.Equal(STATUS_LOCK_NOT_GRANTED, Lock(m, fl, iosb, 5, 10, exclusive: true));
        Assert.Equal(STATUS_LOCK_NOT_GRANTED, Lock(m, fl, iosb, 9, 1, exclusive: true, FileB, ProcessB));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 10, 10, exclusive: true, FileB, ProcessB));
        Assert.Equal(STATUS_LOCK_NOT_GRANTED, Lock(m, fl, iosb, 15, 1, exclusive: false));
        Assert.Equal(STATUS_LOCK_NOT_GRANTED, Lock(m, fl, iosb, 15, 1, exclusive: false, FileB, ProcessB));

        // A fast lock that could wait is not decided: it needs an IRP.
        iosb.Status = STATUS_PENDING;
        Assert.False(m.FsRtl.FastLock(fl, FileA, 15, 1, ProcessA, 0, false, true, iosb, null));
        Assert.Equal(STATUS_PENDING, iosb.Status);
        Assert.Equal(2, m.FsRtl.GrantedLocks(fl).Count);
    });

    [Fact]
    public void Zero_length_locks_are_granted_anywhere_and_never_conflict() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 0, 100, exclusive: true));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 50, 0, exclusive: true, FileB, ProcessB));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 200, 0, exclusive: true));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 200, 10, exclusive: true, FileB, ProcessB));
        Assert.True(CanWrite(m, fl, 150, 50, FileB, ProcessB));
        Assert.True(CanRead(m, fl, 50, 0, FileB, ProcessB));
        Assert.Equal(STATUS_SUCCESS, m.FsRtl.UnlockSingle(fl, FileB, 50, 0, ProcessB, 0, null));
    });

    [Fact]
    public void An_unlock_must_name_exactly_a_range_its_owner_locked_with_its_key() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 100, 20, exclusive: true, key: 3));
        Assert.Equal(STATUS_RANGE_NOT_LOCKED, m.FsRtl.UnlockSingle(fl, FileA, 100, 10, ProcessA, 3, null));
        Assert.Equal(STATUS_RANGE_NOT_LOCKED, m.FsRtl.UnlockSingle(fl, FileA, 101, 20, ProcessA, 3, null));
        Assert.Equal(STATUS_RANGE_NOT_LOCKED, m.FsRtl.UnlockSingle(fl, FileB, 100, 20, ProcessA, 3, null));
        Assert.Equal(STATUS_RANGE_NOT_LOCKED, m.FsRtl.UnlockSingle(fl, FileA, 100, 20, ProcessB, 3, null));
        Assert.Equal(STATUS_RANGE_NOT_LOCKED, m.FsRtl.UnlockSingle(fl, FileA, 100, 20, ProcessA, 4, null));
        Assert.True(FsRtlAreThereCurrentFileLocks(fl));
        Assert.Equal(STATUS_SUCCESS, m.FsRtl.UnlockSingle(fl, FileA, 100, 20, ProcessA, 3, null));
        Assert.False(FsRtlAreThereCurrentFileLocks(fl));
        Assert.Equal(STATUS_RANGE_NOT_LOCKED, m.FsRtl.UnlockSingle(fl, FileA, 100, 20, ProcessA, 3, null));
        Assert.True(CanWrite(m, fl, 100, 20, FileB, ProcessB));
    });

    [Fact]
    public void Unlock_all_releases_the_file_object_s_locks_for_the_process_and_by_key_only_those_with_the_key() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 0, 10, exclusive: true, key: 1));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 10, 10, exclusive: true, key: 2));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 20, 10, exclusive: true, FileA, ProcessB, key: 1));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, 30, 10, exclusive: true, FileB, ProcessA, key: 1));

        Assert.Equal(STATUS_SUCCESS, m.FsRtl.UnlockAll(fl, FileA, ProcessA, 1, byKey: true, null));
        Assert.Equal([10L, 20L, 30L], m.FsRtl.GrantedLocks(fl).Select(l => l.StartingByte));
        Assert.Equal(STATUS_SUCCESS, m.FsRtl.UnlockAll(fl, FileA, ProcessA, 0, byKey: false, null));
        Assert.Equal([20L, 30L], m.FsRtl.GrantedLocks(fl).Select(l => l.StartingByte));
        Assert.Equal(STATUS_SUCCESS, FsRtlFastUnlockAll(fl, FileB, null, null));
        Assert.Equal(STATUS_SUCCESS, m.FsRtl.UnlockAll(fl, FileB, ProcessA, 0, byKey: false, null));
        Assert.Equal(STATUS_SUCCESS, m.FsRtl.UnlockAll(fl, FileA, ProcessB, 0, byKey: false, null));
        Assert.Empty(m.FsRtl.GrantedLocks(fl));
        Assert.False(FsRtlAreThereCurrentFileLocks(fl));
    });

    [Fact]
    public void A_range_whose_last_byte_wraps_past_the_end_of_the_offsets_is_an_invalid_lock_range() => WithLock((m, fl, iosb) =>
    {
        Assert.Equal(STATUS_INVALID_LOCK_RANGE, Lock(m, fl, iosb, -10, 20, exclusive: true));
        Assert.Equal(STATUS_SUCCESS, Lock(m, fl, iosb, -10, 10, exclusive: true));
        Assert.Single(m.FsRtl.GrantedLocks(fl));
    });

    [Fact]
    public void The_unlock_routine_hears_of_each_lock_released_and_the_file_lock_goes_back_to_pool()
    {
        using var machine = TestMachines.Boot();
        var released = new List<FILE_LOCK_INFO>();
        machine.Run(() =>
        {
            var before = machine.Mm.QueryPoolUsage().Where(u => u.Tag == "FSfl").Sum(u => u.Outstanding);
            var fl = FsRtlAllocateFileLock(null, (object? context, in FILE_LOCK_INFO info) =>
            {
                Assert.Equal("ctx", context);
                released.Add(info);
            });
            Assert.Equal(before + 1, machine.Mm.QueryPoolUsage().Where(u => u.Tag == "FSfl").Sum(u => u.Outstanding));
            var iosb = new IO_STATUS_BLOCK(ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, PoolTag("Test")));
            var offset = new LARGE_INTEGER(4);
            var length = new LARGE_INTEGER(8);
            Assert.True(FsRtlFastLock(fl, FileA, in offset, in length, null, 5, true, false, iosb, null, false));
            Assert.Equal(STATUS_SUCCESS, iosb.Status);
            Assert.Equal(STATUS_SUCCESS, FsRtlFastUnlockSingle(fl, FileA, in offset, in length, null, 5, "ctx", false));
            Assert.Equal(STATUS_RANGE_NOT_LOCKED, FsRtlFastUnlockSingle(fl, FileA, in offset, in length, null, 5, "ctx", false));
            FsRtlFreeFileLock(fl);
            Assert.Equal(before, machine.Mm.QueryPoolUsage().Where(u => u.Tag == "FSfl").Sum(u => u.Outstanding));
            ExFreePool(iosb.Address);
        });

        var info = Assert.Single(released);
        Assert.Equal((4L, 8L, 11L, false, 5u, FileA), (info.StartingByte, info.Length, info.EndingByte, info.ExclusiveLock, info.Key, info.FileObject));
    }

    [Fact]
    public void The_file_lock_routines_above_APC_LEVEL_are_IRQL_NOT_LESS_OR_EQUAL_naming_the_FILE_LOCK()
    {
        using var machine = TestMachines.Boot();
        FILE_LOCK fileLock = default;
        var e = Assert.Throws<Kernel.Ke.BugCheckException>(() => machine.Run(() =>
        {
            fileLock = FsRtlAllocateFileLock(null, null);
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            FsRtlFastCheckLockForRead(fileLock, new LARGE_INTEGER(0), new LARGE_INTEGER(1), 0, FileA, null);
        }));
        Assert.Equal(Kernel.Ke.BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(fileLock.Address, e.Info.Parameters[0]);
        Assert.Equal(2UL, e.Info.Parameters[1]);
    }
}
