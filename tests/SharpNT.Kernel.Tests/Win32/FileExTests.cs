using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>
/// I/O completion through user APCs: ReadFileEx / WriteFileEx on the pending-timer sample (pendtimer.sys pends
/// each read; its timer DPC completes one every PeriodMs) and NtDeviceIoControlFile's ApcRoutine on the sample
/// stack: the I/O manager queues the routine to the requesting thread as a user APC, which runs only when that
/// thread waits alertably; and a user APC that ends the wait of a synchronous request on an alertable file object.
/// </summary>
public sealed class FileExTests
{
    public static TheoryData<ulong> Seeds => [1UL, 2UL, 3UL, 7UL, 42UL];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_pended_ReadFileEx_completes_through_its_routine_only_in_an_alertable_wait(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var calls = new List<(uint Error, uint Bytes, ulong Overlapped)>();
        uint statusBeforeAlertableWait = 0;
        ulong overlapped = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var device = CreateFile(SharpNT.Programs.PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
            Assert.NotEqual(INVALID_HANDLE_VALUE, device);
            var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            overlapped = memory;
            Assert.True(ReadFileEx(device, memory + 0x800, 1, overlapped, (error, bytes, o) => calls.Add((error, bytes, o))));
            Assert.Equal(0x103u, Memory.Read<uint>(overlapped + OVERLAPPED_Internal));

            // The timer completes the read meanwhile; a non-alertable sleep does not call the routine.
            Sleep(10 * SharpNT.Drivers.Samples.PendingTimerDriver.PeriodMs);
            statusBeforeAlertableWait = Memory.Read<uint>(overlapped + OVERLAPPED_Internal);
            Assert.Empty(calls);
            var result = SleepEx(INFINITE, true);
            CloseHandle(device);
            return (int)result;
        }));
        Assert.Equal(WAIT_IO_COMPLETION, exit);
        Assert.Equal(0u, statusBeforeAlertableWait);
        Assert.Equal([(0u, 1u, overlapped)], calls);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void An_alertable_wait_ends_when_a_read_completes_and_a_cancelled_read_reports_ERROR_OPERATION_ABORTED(ulong seed)
    {
        using var m = new UserModeMachine(seed);
        var calls = new List<(uint Error, uint Bytes, ulong Overlapped)>();
        var results = new List<uint>();
        ulong memory = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var device = CreateFile(SharpNT.Programs.PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
            memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var never = CreateEvent(0, true, false, null);
            Assert.True(ReadFileEx(device, memory + 0x800, 1, memory, (error, bytes, o) => calls.Add((error, bytes, o))));
            results.Add(WaitForSingleObjectEx(never, INFINITE, true));
            Assert.True(ReadFileEx(device, memory + 0x801, 1, memory + 0x40, (error, bytes, o) => calls.Add((error, bytes, o))));
            CancelIo(device);
            results.Add(SleepEx(INFINITE, true));
            CloseHandle(device);
            return 0;
        }));
        Assert.Equal(0u, exit);
        Assert.Equal([WAIT_IO_COMPLETION, WAIT_IO_COMPLETION], results);
        Assert.Equal(2, calls.Count);
        Assert.Equal((0u, 1u, memory), calls[0]);

        // A read the timer completed before the cancel reached it is a success; otherwise it was aborted.
        Assert.Equal(memory + 0x40, calls[1].Overlapped);
        Assert.True(calls[1] == (WinError.ERROR_OPERATION_ABORTED, 0u, memory + 0x40) || calls[1] == (0u, 1u, memory + 0x40), $"{calls[1]}");
    }

    [Fact]
    public void A_WriteFileEx_the_device_refuses_at_once_returns_FALSE_and_never_calls_its_routine()
    {
        using var m = new UserModeMachine();
        var called = false;
        var exit = m.Run(new TestProgram(args =>
        {
            var device = CreateFile(SharpNT.Programs.PendingIoProgram.DevicePath, GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING,
                FILE_FLAG_OVERLAPPED, 0);
            var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            Assert.False(WriteFileEx(device, memory + 0x800, 1, memory, (_, _, _) => called = true));
            var error = GetLastError();
            Assert.Equal(0u, SleepEx(5, true));
            CloseHandle(device);
            return (int)error;
        }));
        Assert.Equal(WinError.ERROR_INVALID_FUNCTION, exit);
        Assert.False(called);
    }

    [Fact]
    public void A_thread_that_ends_before_its_read_completes_never_calls_the_routine()
    {
        using var m = new UserModeMachine();
        var called = false;
        var exit = m.Run(new TestProgram(args =>
        {
            var device = CreateFile(SharpNT.Programs.PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
            var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var reader = CreateThread(0, 0, _ =>
            {
                ReadFileEx(device, memory + 0x800, 1, memory, (_, _, _) => called = true);
                return 6;
            }, 0, 0, out _);
            WaitForSingleObject(reader, INFINITE);
            Assert.Equal(0u, SleepEx(5 * SharpNT.Drivers.Samples.PendingTimerDriver.PeriodMs, true));
            GetExitCodeThread(reader, out var code);
            CloseHandle(device);
            return (int)code;
        }));
        Assert.Equal(6u, exit);
        Assert.False(called);
    }
    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_user_APC_ends_a_synchronous_read_on_an_alertable_file_object_by_cancelling_it(ulong seed)
    {
        var (status, ranWhenReadReturned) = SynchronousReadWithAnApcQueued(seed, FILE_SYNCHRONOUS_IO_ALERT);

        // The APC reaches the read's alertable wait well before the timer's next tick: the read is cancelled, and the
        // APC runs on the way out of NtReadFile.
        Assert.True(status == STATUS_CANCELLED && ranWhenReadReturned, $"status 0x{status:X8}, APC ran: {ranWhenReadReturned}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_user_APC_does_not_end_a_synchronous_read_on_a_non_alertable_file_object(ulong seed)
    {
        var (status, ranWhenReadReturned) = SynchronousReadWithAnApcQueued(seed, FILE_SYNCHRONOUS_IO_NONALERT);
        Assert.Equal(0, status);
        Assert.False(ranWhenReadReturned);
    }

    private const uint FILE_SYNCHRONOUS_IO_ALERT = 0x10;
    private const uint FILE_SYNCHRONOUS_IO_NONALERT = 0x20;
    private const int STATUS_CANCELLED = unchecked((int)0xC0000120);

    /// <summary>A worker reads one byte synchronously from pendtimer.sys opened with the option given; an APC is queued to it meanwhile.</summary>
    private static (int Status, bool RanWhenReadReturned) SynchronousReadWithAnApcQueued(ulong seed, uint synchronousOption)
    {
        using var m = new UserModeMachine(seed);
        var status = -1;
        var ran = false;
        var ranWhenReadReturned = false;
        var exit = m.Run(new TestProgram(args =>
        {
            nint file;
            using (var frame = UserStack.Frame())
            {
                var handle = frame.Alloc(8);
                var iosb = frame.Alloc(16);
                var oa = frame.ObjectAttributes(@"\Device\PendingTimer", 0x40 /* OBJ_CASE_INSENSITIVE */);
                Assert.Equal(0, Ntdll.NtCreateFile(handle, GENERIC_READ | SYNCHRONIZE, oa, iosb, 0, 0, 0, 1 /* FILE_OPEN */, synchronousOption, 0, 0));
                file = (nint)Memory.Read<ulong>(handle);
            }

            var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            var reading = CreateEvent(0, true, false, null);
            var worker = CreateThread(0, 0, _ =>
            {
                SetEvent(reading);
                status = Ntdll.NtReadFile(file, 0, 0, 0, memory, memory + 0x800, 1, 0, 0);
                ranWhenReadReturned = ran;
                SleepEx(0, true);
                return 0;
            }, 0, 0, out _);
            WaitForSingleObject(reading, INFINITE);
            QueueUserAPC(_ => ran = true, worker, 0);
            WaitForSingleObject(worker, INFINITE);
            CloseHandle(file);
            return ran ? 0 : 1;
        }));
        Assert.Equal(0u, exit);
        return (status, ranWhenReadReturned);
    }
    [Fact]
    public void NtDeviceIoControlFile_queues_its_ApcRoutine_with_the_context_and_the_status_block()
    {
        using var m = new UserModeMachine();
        (ulong Context, ulong Iosb, ulong Reserved, ulong Bytes) seen = default;
        var seenBeforeAlertableWait = true;
        ulong iosb = 0;
        var exit = m.Run(new TestProgram(args =>
        {
            var device = CreateFile(@"\\.\Sample", GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
            Assert.NotEqual(INVALID_HANDLE_VALUE, device);
            var page = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            iosb = page + 0x200;
            var text = System.Text.Encoding.ASCII.GetBytes("hello, driver");
            Memory.Write(page, text);
            var routine = SharpNT.Kernel.Ke.Ring3.CodeAddress((ulong context, ulong statusBlock, ulong reserved) =>
                seen = (context, statusBlock, reserved, Memory.Read<ulong>(statusBlock + 8)));
            var status = Ntdll.NtDeviceIoControlFile(device, 0, routine, 0x1234, iosb, SharpNT.Programs.IoctlProgram.IOCTL_SAMPLE_BUFFERED, page,
                (uint)text.Length, page + 0x100, 64);
            Assert.Equal(0, status);
            seenBeforeAlertableWait = seen != default;
            var result = SleepEx(0, true);
            CloseHandle(device);
            return (int)result;
        }));
        Assert.Equal(WAIT_IO_COMPLETION, exit);
        Assert.False(seenBeforeAlertableWait);
        Assert.Equal((0x1234UL, iosb, 0UL, 14UL), seen);
    }
}
