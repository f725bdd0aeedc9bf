using System.Text;
using SharpNT.Cli;
using SharpNT.Drivers.Filters;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Win32;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// Byte-range locks end to end: user-mode programs call LockFile / LockFileEx / UnlockFile(Ex) on a FAT
/// volume (NtLockFile, FastIoLock or IRP_MJ_LOCK_CONTROL, fastfat, the FsRtl package), and reads and writes
/// through other handles meet the locks; the image stays what mtools and fsck.fat expect.
/// </summary>
public sealed class FatLockTests
{
    private const string Content = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private sealed class LockProgram(Func<int> main) : Win32Program
    {
        public override string Name => "locker";

        public override string Description => "a lock test's program";

        public override int Main(string[] args) => main();
    }

    private static FatImage MakeImage()
    {
        var image = FatImage.CreateSmall(16);
        var host = image.Scratch("host");
        File.WriteAllText(Path.Combine(host, "DATA.TXT"), string.Concat(Enumerable.Repeat(Content, 4)));
        FatTools.Run("mcopy", "-i", image.Path, Path.Combine(host, "DATA.TXT"), "::/");
        return image;
    }

    /// <summary>`sharpnt run --disk IMAGE` for a program written here: fastfat on C:, the program's exit code.</summary>
    private static uint RunOn(FatImage image, Func<int> main)
    {
        using var machine = Machine.Boot(
            new MachineDescription { Name = "locks", Processors = 2, Seed = 1, MemoryMiB = 64, PagefileMiB = 16, Disks = [image.Path] },
            new MachineOptions { DriverPackages = SharpNT.Drivers.Storage.StorageDrivers.Packages() });
        return machine.Run(() =>
        {
            ProgramHost.LoadFileSystems(machine);
            return ProgramHost.Run(machine, new LockProgram(main), []);
        });
    }

    private static nint Open(uint flags = 0) =>
        CreateFile(@"C:\DATA.TXT", WinBase.GENERIC_READ | WinBase.GENERIC_WRITE, WinBase.FILE_SHARE_READ | WinBase.FILE_SHARE_WRITE, 0, OPEN_EXISTING, flags, 0);

    /// <summary>User memory for buffers and OVERLAPPEDs.</summary>
    private static ulong Alloc() => VirtualAlloc(0, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);

    private static ulong Overlapped(ulong at, uint offset, nint evt = 0)
    {
        Memory.Fill(at, SizeOfOVERLAPPED, 0);
        Memory.Write(at + OVERLAPPED_Offset, offset);
        Memory.Write(at + OVERLAPPED_hEvent, (ulong)evt);
        return at;
    }

    /// <summary>A write at an offset (through an OVERLAPPED on a synchronous handle): TRUE, or FALSE and the last error.</summary>
    private static (bool Ok, uint Error) WriteAt(nint file, ulong memory, uint offset, string text)
    {
        Memory.Write(memory + 0x100, Encoding.ASCII.GetBytes(text));
        var ok = WriteFile(file, memory + 0x100, (uint)text.Length, out _, Overlapped(memory, offset));
        return (ok, ok ? 0 : GetLastError());
    }

    private static (bool Ok, uint Error) ReadAt(nint file, ulong memory, uint offset, uint length)
    {
        var ok = ReadFile(file, memory + 0x100, length, out _, Overlapped(memory, offset));
        return (ok, ok ? 0 : GetLastError());
    }

    private static (bool Ok, uint Error) Result(bool ok) => (ok, ok ? 0 : GetLastError());

    [Fact]
    public void A_range_locked_through_one_handle_refuses_the_other_handle_until_unlocked_and_the_image_stays_clean()
    {
        using var image = MakeImage();
        var results = new List<(string Step, bool Ok, uint Error)>();
        void Step(string step, (bool Ok, uint Error) r) => results.Add((step, r.Ok, r.Error));
        var exit = RunOn(image, () =>
        {
            var memory = Alloc();
            var first = Open();
            var second = Open();
            Step("lock first 100+50", Result(LockFile(first, 100, 0, 50, 0)));
            Step("write second 120", WriteAt(second, memory, 120, "XX"));
            Step("read second 120", ReadAt(second, memory, 120, 4));
            Step("read second 150", ReadAt(second, memory, 150, 4));
            Step("write first 120", WriteAt(first, memory, 120, "LOCKEDBYH1"));
            Step("lock second 140+20", Result(LockFile(second, 140, 0, 20, 0)));
            Step("unlock first 100+10", Result(UnlockFile(first, 100, 0, 10, 0)));
            Step("unlock first 100+50", Result(UnlockFile(first, 100, 0, 50, 0)));
            Step("write second 130", WriteAt(second, memory, 130, "H2"));
            Step("shared lock second 0+10", Result(LockFileEx(second, 0, 0, 10, 0, Overlapped(memory + 0x800, 0))));
            Step("write second 5 (own shared lock)", WriteAt(second, memory, 5, "Z"));
            Step("read first 0", ReadAt(first, memory, 0, 10));
            Step("unlock second 0+10", Result(UnlockFileEx(second, 0, 10, 0, Overlapped(memory + 0x800, 0))));
            Step("write second 5", WriteAt(second, memory, 5, "Z"));
            CloseHandle(first);
            CloseHandle(second);
            return 0;
        });

        Assert.Equal(0u, exit);
        const uint Violation = WinError.ERROR_LOCK_VIOLATION;
        Assert.Equal(
        [
            ("lock first 100+50", true, 0u),
            ("write second 120", false, Violation),
            ("read second 120", false, Violation),
            ("read second 150", true, 0u),
            ("write first 120", true, 0u),
            ("lock second 140+20", false, Violation),
            ("unlock first 100+10", false, WinError.ERROR_NOT_LOCKED),
            ("unlock first 100+50", true, 0u),
            ("write second 130", true, 0u),
            ("shared lock second 0+10", true, 0u),
            ("write second 5 (own shared lock)", false, Violation),
            ("read first 0", true, 0u),
            ("unlock second 0+10", true, 0u),
            ("write second 5", true, 0u),
        ], results);
        var expected = new StringBuilder(string.Concat(Enumerable.Repeat(Content, 4)));
        expected[5] = 'Z';
        expected.Remove(120, 12).Insert(120, "LOCKEDBYH1H2");
        Assert.Equal(expected.ToString(), FatTools.Run("mtype", "-i", image.Path, "::/DATA.TXT"));
        FatTools.AssertClean(image.Path);
    }

    [Fact]
    public void A_lock_needs_a_handle_with_read_or_write_access_and_LockFileEx_checks_its_reserved_parameter()
    {
        using var image = MakeImage();
        var results = new List<(bool Ok, uint Error)>();
        var exit = RunOn(image, () =>
        {
            var memory = Alloc();
            var attributesOnly = CreateFile(@"C:\DATA.TXT", WinBase.FILE_READ_ATTRIBUTES, WinBase.FILE_SHARE_READ | WinBase.FILE_SHARE_WRITE, 0, OPEN_EXISTING, 0, 0);
            var readOnly = CreateFile(@"C:\DATA.TXT", WinBase.GENERIC_READ, WinBase.FILE_SHARE_READ | WinBase.FILE_SHARE_WRITE, 0, OPEN_EXISTING, 0, 0);
            results.Add(Result(LockFile(attributesOnly, 0, 0, 1, 0)));
            results.Add(Result(LockFile(readOnly, 0, 0, 1, 0)));
            results.Add(Result(LockFileEx(readOnly, 0, 1, 1, 0, Overlapped(memory, 8))));
            results.Add(Result(UnlockFileEx(readOnly, 1, 1, 0, Overlapped(memory, 0))));
            results.Add(Result(UnlockFileEx(readOnly, 0, 1, 0, Overlapped(memory, 0))));
            CloseHandle(attributesOnly);
            CloseHandle(readOnly);
            return 0;
        });

        Assert.Equal(0u, exit);
        Assert.Equal(
            [(false, WinError.ERROR_ACCESS_DENIED), (true, 0u), (false, WinError.ERROR_INVALID_PARAMETER), (false, WinError.ERROR_INVALID_PARAMETER), (true, 0u)],
            results);
    }

    [Fact]
    public void A_waiting_LockFileEx_is_granted_when_another_thread_unlocks_the_range()
    {
        using var image = MakeImage();
        var order = new List<string>();
        var exit = RunOn(image, () =>
        {
            var memory = Alloc();
            var first = Open();
            var second = Open();
            if (!LockFileEx(first, LOCKFILE_EXCLUSIVE_LOCK, 0, 100, 0, Overlapped(memory, 0)))
            {
                return 10;
            }

            var waiter = CreateThread(0, 0, _ =>
            {
                // No LOCKFILE_FAIL_IMMEDIATELY on a synchronous handle: the call waits for the range.
                var granted = LockFileEx(second, LOCKFILE_EXCLUSIVE_LOCK, 0, 10, 0, Overlapped(memory + 0x200, 50));
                lock (order)
                {
                    order.Add(granted ? "granted" : $"refused {GetLastError()}");
                }

                return granted && UnlockFileEx(second, 0, 10, 0, Overlapped(memory + 0x200, 50)) ? 1u : 2u;
            }, 0, 0, out _);
            Sleep(100);
            lock (order)
            {
                order.Add(WaitForSingleObject(waiter, 0) == WAIT_TIMEOUT ? "still waiting" : "not waiting");
            }

            lock (order)
            {
                order.Add(UnlockFileEx(first, 0, 100, 0, Overlapped(memory, 0)) ? "unlocked" : "unlock failed");
            }

            WaitForSingleObject(waiter, INFINITE);
            GetExitCodeThread(waiter, out var code);
            return (int)code;
        });

        Assert.Equal(["still waiting", "unlocked", "granted"], order);
        Assert.Equal(1u, exit);
    }

    [Fact]
    public void Closing_a_handle_releases_the_locks_taken_through_it()
    {
        using var image = MakeImage();
        var results = new List<(bool Ok, uint Error)>();
        var exit = RunOn(image, () =>
        {
            var memory = Alloc();
            var first = Open();
            var second = Open();
            results.Add(Result(LockFile(first, 0, 0, 64, 0)));
            results.Add(Result(LockFile(second, 10, 0, 1, 0)));
            results.Add(WriteAt(second, memory, 10, "q"));
            results.Add(Result(CloseHandle(first)));
            results.Add(Result(LockFile(second, 10, 0, 1, 0)));
            results.Add(WriteAt(second, memory, 10, "q"));
            CloseHandle(second);
            return 0;
        });

        Assert.Equal(0u, exit);
        Assert.Equal(
            [(true, 0u), (false, WinError.ERROR_LOCK_VIOLATION), (false, WinError.ERROR_LOCK_VIOLATION), (true, 0u), (true, 0u), (true, 0u)],
            results);
        Assert.Equal('q', FatTools.Run("mtype", "-i", image.Path, "::/DATA.TXT")[10]);
    }

    [Fact]
    public void A_waiting_lock_is_cancelled_when_its_thread_is_terminated_and_is_never_granted()
    {
        using var image = MakeImage();
        var seen = new List<string>();
        var exit = RunOn(image, () =>
        {
            var memory = Alloc();
            var first = Open();
            var overlappedHandle = Open(FILE_FLAG_OVERLAPPED);
            var evt = CreateEvent(0, true, false, null);
            var ovl = Overlapped(memory + 0x400, 20, evt);
            LockFile(first, 0, 0, 64, 0);
            var started = CreateEvent(0, true, false, null);
            var waiter = CreateThread(0, 0, _ =>
            {
                var ok = LockFileEx(overlappedHandle, LOCKFILE_EXCLUSIVE_LOCK, 0, 4, 0, ovl);
                lock (seen)
                {
                    seen.Add(ok ? "granted at once" : $"error {GetLastError()}");
                }

                SetEvent(started);
                Sleep(INFINITE);
                return 0;
            }, 0, 0, out _);
            WaitForSingleObject(started, INFINITE);
            lock (seen)
            {
                seen.Add($"before: 0x{Memory.Read<uint>(ovl + OVERLAPPED_Internal):X8}");
            }

            TerminateThread(waiter, 9);
            WaitForSingleObject(waiter, INFINITE);
            lock (seen)
            {
                seen.Add($"after: 0x{Memory.Read<uint>(ovl + OVERLAPPED_Internal):X8} event {WaitForSingleObject(evt, 0)}");
                seen.Add(GetOverlappedResult(overlappedHandle, ovl, out _, false) ? "result ok" : $"result error {GetLastError()}");
            }

            // The cancelled request holds nothing: once the first handle lets go, the range is free for anyone.
            UnlockFile(first, 0, 0, 64, 0);
            var third = Open();
            lock (seen)
            {
                seen.Add(LockFile(third, 20, 0, 4, 0) ? "free" : $"held {GetLastError()}");
            }

            return 0;
        });

        Assert.Equal(0u, exit);
        Assert.Equal(
        [
            $"error {WinError.ERROR_IO_PENDING}",
            "before: 0x00000103",
            $"after: 0x{(uint)STATUS_CANCELLED:X8} event {WAIT_OBJECT_0}",
            $"result error {WinError.ERROR_OPERATION_ABORTED}",
            "free",
        ], seen);
    }

    [Fact]
    public void Fast_io_declines_a_read_a_lock_forbids_and_the_irp_path_reports_the_conflict()
    {
        using var image = MakeImage();
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        fsd.Run(() =>
        {
            var owner = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
            var other = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ);
            var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 256, PoolTag("Test"));
            var iosb = block;
            var offset = block + 16;
            var length = block + 24;
            var buffer = block + 64;

            // Caching is set up on both opens by a first read (an IRP each).
            WriteMemory(offset, 0L);
            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Io.NtReadFile(owner.Handle, HANDLE.NULL, 0, 0, iosb, buffer, 8, offset, 0));
            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Io.NtReadFile(other.Handle, HANDLE.NULL, 0, 0, iosb, buffer, 8, offset, 0));
            Assert.NotEqual(0UL, other.File.PrivateCacheMap);

            WriteMemory(length, 100L);
            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Io.NtLockFile(owner.Handle, HANDLE.NULL, 0, 0, iosb, offset, length, 0, true, true));
            Assert.Equal(STATUS_FILE_LOCK_CONFLICT, fsd.Machine.Io.NtReadFile(other.Handle, HANDLE.NULL, 0, 0, iosb, buffer, 8, offset, 0));
            Assert.Equal(STATUS_FILE_LOCK_CONFLICT, new IO_STATUS_BLOCK(iosb).Status);
            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Io.NtReadFile(owner.Handle, HANDLE.NULL, 0, 0, iosb, buffer, 8, offset, 0));

            // Asked directly, the stack says fast I/O could not read for the other open, but could for the owner.
            var top = IoGetRelatedDeviceObject(other.File);
            var check = top.DriverObject.FastIoDispatch.FastIoCheckIfPossible!;
            var checkIosb = new IO_STATUS_BLOCK(block + 32);
            Assert.False(check(other.File, new LARGE_INTEGER(10), 4, true, 0, true, checkIosb, top));
            Assert.True(check(owner.File, new LARGE_INTEGER(10), 4, true, 0, true, checkIosb, top));
            Assert.True(check(other.File, new LARGE_INTEGER(100), 4, true, 0, true, checkIosb, top));

            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Io.NtUnlockFile(owner.Handle, iosb, offset, length, 0));
            Assert.Equal(STATUS_RANGE_NOT_LOCKED, fsd.Machine.Io.NtUnlockFile(owner.Handle, iosb, offset, length, 0));
            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Io.NtReadFile(other.Handle, HANDLE.NULL, 0, 0, iosb, buffer, 8, offset, 0));
            ExFreePool(block);
            Close(owner);
            Close(other);
        });

        var log = monitor.Log.Where(r => r.FileName == @"\DATA.TXT" && r.MajorFunction is IRP_MJ_READ or IRP_MJ_LOCK_CONTROL or IRP_MJ_WRITE)
            .Select(r => r.ToString()).ToList();
        Assert.Equal(
        [
            "IRP_MJ_READ \\DATA.TXT STATUS_SUCCESS 8",
            "IRP_MJ_READ \\DATA.TXT STATUS_SUCCESS 8",
            "FASTIO_LOCK \\DATA.TXT STATUS_SUCCESS 0",
            "FASTIO_READ \\DATA.TXT FALSE",
            "IRP_MJ_READ \\DATA.TXT STATUS_FILE_LOCK_CONFLICT 0",
            "FASTIO_READ \\DATA.TXT STATUS_SUCCESS 8",
            "FASTIO_CHECK_IF_POSSIBLE \\DATA.TXT FALSE",
            "FASTIO_CHECK_IF_POSSIBLE \\DATA.TXT STATUS_SUCCESS 0",
            "FASTIO_CHECK_IF_POSSIBLE \\DATA.TXT STATUS_SUCCESS 0",
            "FASTIO_UNLOCK_SINGLE \\DATA.TXT STATUS_SUCCESS 0",
            "FASTIO_UNLOCK_SINGLE \\DATA.TXT STATUS_RANGE_NOT_LOCKED 0",
            "FASTIO_READ \\DATA.TXT STATUS_SUCCESS 8",
        ], log);
        var declined = monitor.Log.Single(r => r is { FastIo: "FASTIO_READ", FastIoResult: false });
        Assert.Equal(IRP_MJ_READ, declined.MajorFunction);
    }
    [Fact]
    public void Closing_one_of_two_handles_to_a_file_object_releases_the_closing_process_s_locks_through_fast_unlock_all()
    {
        using var image = MakeImage();
        var monitor = new ActivityMonitorDriver();
        using var fsd = new FsdMachine(image.Path, filter: monitor);
        var log = fsd.Run(() =>
        {
            var first = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
            var other = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
            Assert.Equal(STATUS_SUCCESS, ObReferenceObjectByHandle(first.Handle, 0, IoFileObjectType, KernelMode, out var body, out _));
            Assert.Equal(STATUS_SUCCESS, fsd.Machine.Ob.OpenObjectByPointer(body!, OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE, null,
                AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE, null, KernelMode, out var second));
            ObDereferenceObject(body!);
            var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 64, PoolTag("Test"));
            WriteMemory(block + 16, 0L);
            WriteMemory(block + 24, 10L);
            NTSTATUS LockThrough(HANDLE handle) => fsd.Machine.Io.NtLockFile(handle, HANDLE.NULL, 0, 0, block, block + 16, block + 24, 0, true, true);
            var log = new List<string>
            {
                $"lock through second: {LockThrough(second)}",
                $"lock through other: {LockThrough(other.Handle)}",
                $"close second: {ZwClose(second)}",
                $"lock through other: {LockThrough(other.Handle)}",
                $"lock through first: {LockThrough(first.Handle)}",
            };
            ExFreePool(block);
            Close(first);
            Close(other);
            return log;
        });

        Assert.Equal(
        [
            "lock through second: STATUS_SUCCESS",
            "lock through other: STATUS_LOCK_NOT_GRANTED",
            "close second: STATUS_SUCCESS",
            "lock through other: STATUS_SUCCESS",
            "lock through first: STATUS_LOCK_NOT_GRANTED",
        ], log);
        Assert.Contains(monitor.Log, r => r is { FastIo: "FASTIO_UNLOCK_ALL", FastIoResult: true, Status: STATUS_SUCCESS });
    }

    /// <summary>IRP_MJ_LOCK_CONTROL built with IoAllocateIrp (an IRP of no thread: its requestor process is NULL).</summary>
    private static NTSTATUS LockControl(FILE_OBJECT file, byte minor, long offset, long length, uint key, byte flags = 0) =>
        Request(file, IRP_MJ_LOCK_CONTROL, minor, 8, (sl, buffer) =>
        {
            WriteMemory(buffer, length);
            sl.Parameters.LockControl.Length = buffer;
            sl.Parameters.LockControl.ByteOffset = offset;
            sl.Parameters.LockControl.Key = key;
        }, flags: flags).Status;

    /// <summary>A noncached transfer (IRP_NOCACHE, as NT marks the IRPs of a FILE_NO_INTERMEDIATE_BUFFERING open): its status.</summary>
    private static NTSTATUS Noncached(FILE_OBJECT file, byte major, long offset, uint length)
    {
        var device = IoGetRelatedDeviceObject(file);
        var evt = new SharpNT.Kernel.Ke.KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        var block = ExAllocatePool2(POOL_FLAG_NON_PAGED, 512 + 16, PoolTag("Test"));
        var irp = IoBuildSynchronousFsdRequest(major, device, block + 16, length, new LARGE_INTEGER(offset), evt, new IO_STATUS_BLOCK(block));
        irp.Flags |= IRP_FLAGS.IRP_NOCACHE;
        IoGetNextIrpStackLocation(irp).FileObject = file;
        if (IoCallDriver(device, irp) == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
        }

        var status = new IO_STATUS_BLOCK(block).Status;
        ExFreePool(block);
        return status;
    }

    [Fact]
    public void Every_lock_control_minor_function_reaches_FsRtlProcessFileLock_through_fastfat_and_reads_and_writes_meet_the_locks()
    {
        using var image = MakeImage();
        List<string> results;
        using (var fsd = new FsdMachine(image.Path))
        {
            results = fsd.Run(() =>
            {
                const byte Exclusive = SL_FLAGS.SL_EXCLUSIVE_LOCK | SL_FLAGS.SL_FAIL_IMMEDIATELY;
                var a = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
                var b = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE);
                var noncached = fsd.OpenOk(@"\??\C:\DATA.TXT", AccessMask.FILE_GENERIC_READ | AccessMask.FILE_GENERIC_WRITE,
                    options: FILE_SYNCHRONOUS_IO_NONALERT | 0x8);
                var root = fsd.OpenOk(@"\??\C:\", AccessMask.FILE_GENERIC_READ, options: FILE_SYNCHRONOUS_IO_NONALERT | FILE_DIRECTORY_FILE);
                var r = new List<string>
                {
                    $"lock a 0+10 key 1: {LockControl(a.File, IRP_MN.IRP_MN_LOCK, 0, 10, 1, Exclusive)}",
                    $"lock a 20+10 key 2: {LockControl(a.File, IRP_MN.IRP_MN_LOCK, 20, 10, 2, Exclusive)}",
                    $"lock b 5+1: {LockControl(b.File, IRP_MN.IRP_MN_LOCK, 5, 1, 1, SL_FLAGS.SL_FAIL_IMMEDIATELY)}",
                    // A thread's read through the same file object is another owner (its process is not the IRP's NULL one).
                    $"read a 0: {Read(a.File, 0, 4).Status}",
                    $"noncached write 25: {Noncached(noncached.File, IRP_MJ_WRITE, 25, 1)}",
                    $"noncached read 28: {Noncached(noncached.File, IRP_MJ_READ, 28, 4)}",
                    $"noncached read 40: {Noncached(noncached.File, IRP_MJ_READ, 40, 4)}",
                    $"unlock a 0+9 key 1: {LockControl(a.File, IRP_MN.IRP_MN_UNLOCK_SINGLE, 0, 9, 1)}",
                    $"unlock all a key 1: {LockControl(a.File, IRP_MN.IRP_MN_UNLOCK_ALL_BY_KEY, 0, 0, 1)}",
                    $"lock b 5+1 again: {LockControl(b.File, IRP_MN.IRP_MN_LOCK, 5, 1, 1, Exclusive)}",
                    $"lock b 25+1: {LockControl(b.File, IRP_MN.IRP_MN_LOCK, 25, 1, 1, Exclusive)}",
                    $"unlock all a: {LockControl(a.File, IRP_MN.IRP_MN_UNLOCK_ALL, 0, 0, 0)}",
                    $"lock b 25+1 again: {LockControl(b.File, IRP_MN.IRP_MN_LOCK, 25, 1, 1, Exclusive)}",
                    $"unlock b 25+1: {LockControl(b.File, IRP_MN.IRP_MN_UNLOCK_SINGLE, 25, 1, 1)}",
                    $"minor 9: {LockControl(a.File, 9, 0, 1, 0)}",
                    $"directory: {LockControl(root.File, IRP_MN.IRP_MN_LOCK, 0, 1, 0, Exclusive)}",
                };
                Close(root);
                Close(noncached);
                Close(b);
                Close(a);
                return r;
            });
        }

        Assert.Equal(
        [
            "lock a 0+10 key 1: STATUS_SUCCESS",
            "lock a 20+10 key 2: STATUS_SUCCESS",
            "lock b 5+1: STATUS_LOCK_NOT_GRANTED",
            "read a 0: STATUS_FILE_LOCK_CONFLICT",
            "noncached write 25: STATUS_FILE_LOCK_CONFLICT",
            "noncached read 28: STATUS_FILE_LOCK_CONFLICT",
            "noncached read 40: STATUS_SUCCESS",
            "unlock a 0+9 key 1: STATUS_RANGE_NOT_LOCKED",
            "unlock all a key 1: STATUS_SUCCESS",
            "lock b 5+1 again: STATUS_SUCCESS",
            "lock b 25+1: STATUS_LOCK_NOT_GRANTED",
            "unlock all a: STATUS_SUCCESS",
            "lock b 25+1 again: STATUS_SUCCESS",
            "unlock b 25+1: STATUS_SUCCESS",
            "minor 9: STATUS_INVALID_DEVICE_REQUEST",
            "directory: STATUS_INVALID_PARAMETER",
        ], results);
        FatTools.AssertClean(image.Path);
    }
}
