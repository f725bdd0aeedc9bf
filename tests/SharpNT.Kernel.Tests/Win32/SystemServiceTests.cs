using SharpNT.Kernel.Ke;
using SharpNT.Programs;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Kernel.Tests.Win32;

public sealed class SystemServiceTests
{
    private const int STATUS_ACCESS_VIOLATION = unchecked((int)0xC0000005);
    private const ulong KernelAddress = 0xFFFFFA80_04000000UL;
    private const ulong Unmapped = 0x0000_7000_0000_0000UL;

    /// <summary>Runs <paramref name="body"/> as a program with one scratch page; returns what it returned.</summary>
    private static T InProgram<T>(UserModeMachine m, Func<ulong, T> body)
    {
        T result = default!;
        var exit = m.Run(new TestProgram(_ =>
        {
            var page = VirtualAlloc(0, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
            result = body(page);
            return 0;
        }));
        Assert.Equal(0u, exit);
        return result;
    }

    private static nint OpenRecorder(uint flags = 0) => CreateFile(@"\\.\Recorder", GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, flags, 0);

    private static UserModeMachine WithRecorder(out RecordingDriver recorder)
    {
        var m = new UserModeMachine();
        var driver = recorder = new RecordingDriver();
        m.Machine.Run(() => Assert.Equal(NTSTATUS.STATUS_SUCCESS, m.Machine.Io.LoadDriver(driver, out _)));
        return m;
    }

    [Fact]
    public void Bad_user_pointers_are_STATUS_ACCESS_VIOLATION_and_never_crash_the_kernel()
    {
        using var m = WithRecorder(out _);
        var statuses = InProgram(m, page =>
        {
            var h = OpenRecorder();
            var iosb = page;
            var code = IoctlProgram.IOCTL_SAMPLE_BUFFERED;
            return new[]
            {
                NtReadFile(h, 0, 0, 0, KernelAddress, page + 0x100, 16, 0, 0),            // status block in kernel memory
                NtReadFile(h, 0, 0, 0, iosb, KernelAddress, 16, 0, 0),                    // buffer in kernel memory
                NtWriteFile(h, 0, 0, 0, iosb, Unmapped, 16, 0, 0),                        // buffer not mapped
                NtDeviceIoControlFile(h, 0, 0, 0, iosb, code, Unmapped, 8, page + 0x100, 8), // METHOD_BUFFERED input not mapped
                NtDeviceIoControlFile(h, 0, 0, 0, iosb, code, page, 8, KernelAddress, 8),    // output in kernel memory
                NtCreateFile(KernelAddress, GENERIC_READ, page + 0x200, iosb, 0, 0, 0, 1, 0, 0, 0),
                NtCreateFile(page + 0x300, GENERIC_READ, Unmapped, iosb, 0, 0, 0, 1, 0, 0, 0),
                NtWaitForSingleObject(h, false, KernelAddress),
                NtCreateEvent(KernelAddress, 0x1F0003, 0, 0, false),
            };
        });
        Assert.All(statuses, s => Assert.Equal(STATUS_ACCESS_VIOLATION, s));
        Assert.False(m.Machine.IsHalted);
    }

    [Fact]
    public void An_unknown_service_number_is_STATUS_INVALID_SYSTEM_SERVICE()
    {
        using var m = new UserModeMachine();
        var status = InProgram(m, _ => Ring3Call(999));
        Assert.Equal(unchecked((int)0xC000001C), status);
    }

    private static int Ring3Call(uint number) => Ring3.SystemCall((SystemService)number, [0, 0]);

    [Fact]
    public void Closing_a_bad_handle_from_user_mode_is_an_error_not_a_bug_check()
    {
        using var m = new UserModeMachine();
        var (ok, error) = InProgram(m, _ => (CloseHandle(0x1234), GetLastError()));
        Assert.False(ok);
        Assert.Equal(WinError.ERROR_INVALID_HANDLE, error);
        Assert.False(m.Machine.IsHalted);
    }

    [Fact]
    public void A_malformed_OBJECT_ATTRIBUTES_is_STATUS_INVALID_PARAMETER()
    {
        using var m = new UserModeMachine();
        var status = InProgram(m, page =>
        {
            Memory.Write(page, 0x20u); // Length must be sizeof(OBJECT_ATTRIBUTES), 0x30
            return NtCreateFile(page + 0x100, GENERIC_READ, page, page + 0x200, 0, 0, 0, 1, 0, 0, 0);
        });
        Assert.Equal(unchecked((int)0xC000000D), status);
    }

    [Theory]
    [InlineData(@"\\.\NoSuchDevice", WinError.ERROR_FILE_NOT_FOUND)]
    [InlineData(@"\\.\GLOBALROOT\Device\NoSuch", WinError.ERROR_FILE_NOT_FOUND)]
    [InlineData(@"\\.\GLOBALROOT\NoSuchDirectory\X", WinError.ERROR_PATH_NOT_FOUND)]
    public void CreateFile_failures_set_the_Win32_error_NT_maps(string path, uint expected)
    {
        using var m = new UserModeMachine();
        var (handle, error) = InProgram(m, _ => (CreateFile(path, GENERIC_READ, 0, 0, OPEN_EXISTING, 0, 0), GetLastError()));
        Assert.Equal(INVALID_HANDLE_VALUE, handle);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("user", 5u)]
    [InlineData("Administrator", 0u)]
    [InlineData("SYSTEM", 0u)]
    public void A_device_for_SYSTEM_and_Administrators_refuses_a_standard_user(string account, uint expected)
    {
        using var m = new UserModeMachine();
        Assert.Equal(expected, m.RunAs(account, new OpenDeviceProgram(), @"\\.\SampleSecure"));
        if (expected == 5)
        {
            Assert.Contains("GetLastError() = 5 (access denied)", m.Console, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FILE_DEVICE_SECURE_OPEN_protects_names_below_the_device_too()
    {
        using var m = new UserModeMachine();
        Assert.Equal(5u, m.RunAs("user", new OpenDeviceProgram(), @"\\.\SampleSecure\anything"));
    }

    [Fact]
    public void The_IOCTL_access_bits_are_checked_against_the_handle()
    {
        using var m = WithRecorder(out _);
        var (ok, error) = InProgram(m, page =>
        {
            var readOnly = CreateFile(@"\\.\Recorder", GENERIC_READ, 0, 0, OPEN_EXISTING, 0, 0);
            var writeCode = WinIoCtl.CTL_CODE(0x22, 0x900, WinIoCtl.METHOD_BUFFERED, WinIoCtl.FILE_WRITE_ACCESS);
            return (DeviceIoControl(readOnly, writeCode, page, 4, page + 0x100, 4, out _, 0), GetLastError());
        });
        Assert.False(ok);
        Assert.Equal(WinError.ERROR_ACCESS_DENIED, error);
    }

    [Fact]
    public void Query_and_set_information_go_to_the_driver_through_a_system_buffer()
    {
        using var m = WithRecorder(out var recorder);
        var (status, endOfFile, information) = InProgram(m, page =>
        {
            var h = OpenRecorder();
            var s = NtQueryInformationFile(h, page, page + 0x100, 24, 5 /* FileStandardInformation */);
            Memory.Write(page + 0x200, 777L);
            NtSetInformationFile(h, page + 0x300, page + 0x200, 8, 20 /* FileEndOfFileInformation */);
            return (s, Memory.Read<long>(page + 0x108), Memory.Read<ulong>(page + 8));
        });
        Assert.Equal(0, status);
        Assert.Equal(1234L, endOfFile);
        Assert.Equal(24UL, information);
        Assert.Equal(20, recorder.LastInformationClass);
        Assert.Equal(BitConverter.GetBytes(777L), recorder.LastSetBuffer);
    }

    [Fact]
    public void Information_class_and_length_are_checked_before_any_IRP()
    {
        using var m = WithRecorder(out var recorder);
        var (badClass, shortBuffer) = InProgram(m, page =>
        {
            var h = OpenRecorder();
            return (NtQueryInformationFile(h, page, page + 0x100, 64, 0), NtQueryInformationFile(h, page, page + 0x100, 8, 5));
        });
        Assert.Equal(unchecked((int)0xC0000003), badClass);
        Assert.Equal(unchecked((int)0xC0000004), shortBuffer);
        Assert.DoesNotContain("IRP_MJ_QUERY_INFORMATION", recorder.Majors);
    }

    [Fact]
    public void The_file_position_of_a_synchronous_handle_is_the_IO_managers()
    {
        using var m = WithRecorder(out var recorder);
        var position = InProgram(m, page =>
        {
            var h = OpenRecorder();
            Memory.Write(page + 0x100, 4096L);
            NtSetInformationFile(h, page, page + 0x100, 8, 14 /* FilePositionInformation */);
            NtQueryInformationFile(h, page, page + 0x200, 8, 14);
            return Memory.Read<long>(page + 0x200);
        });
        Assert.Equal(4096L, position);
        Assert.DoesNotContain("IRP_MJ_SET_INFORMATION", recorder.Majors);
    }

    [Fact]
    public void NtQueryDirectoryFile_captures_the_search_name_and_passes_the_flags()
    {
        using var m = WithRecorder(out var recorder);
        var status = InProgram(m, page =>
        {
            var h = OpenRecorder();
            var name = page + 0x400;
            var chars = page + 0x500;
            Memory.Write(chars, System.Text.Encoding.Unicode.GetBytes("*.TXT"));
            Memory.Write(name, (ushort)10);
            Memory.Write(name + 2, (ushort)10);
            Memory.Write(name + 8, chars);
            return NtQueryDirectoryFile(h, 0, 0, 0, page, page + 0x1000, 0x1000, 3 /* FileBothDirectoryInformation */, true, name, true);
        });
        Assert.Equal(unchecked((int)0x80000006), status); // STATUS_NO_MORE_FILES
        Assert.Equal("*.TXT", recorder.LastSearchName);
        Assert.Equal(3, recorder.LastInformationClass);
        Assert.Equal(0x03, recorder.LastFlags); // SL_RESTART_SCAN | SL_RETURN_SINGLE_ENTRY
    }

    [Fact]
    public void Events_signal_and_time_out()
    {
        using var m = new UserModeMachine();
        var results = InProgram(m, _ =>
        {
            var e = CreateEvent(0, true, false, null);
            var timedOut = WaitForSingleObject(e, 10);
            SetEvent(e);
            var signaled = WaitForSingleObject(e, INFINITE);
            ResetEvent(e);
            var again = WaitForSingleObject(e, 0);
            return new[] { timedOut, signaled, again };
        });
        Assert.Equal([WAIT_TIMEOUT, WAIT_OBJECT_0, WAIT_TIMEOUT], results);
    }

    [Fact]
    public void Overlapped_reads_pend_complete_and_cancel()
    {
        using var m = new UserModeMachine();
        Assert.Equal(0u, m.Run(new PendingIoProgram()));
        Assert.Contains("GetLastError() = 997", m.Console, StringComparison.Ordinal);
        Assert.Contains("read 0 completed: True, 1 byte", m.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void A_synchronous_handle_waits_for_a_read_the_driver_pends()
    {
        using var m = new UserModeMachine();
        var (ok, read, error) = InProgram(m, page =>
        {
            var h = CreateFile(PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, 0, 0);
            var result = ReadFile(h, page, 1, out var n, 0);
            return (result, n, GetLastError());
        });
        Assert.True(ok, $"error {error}");
        Assert.Equal(1u, read);
    }

    [Fact]
    public void A_program_polling_its_OVERLAPPED_sees_the_completion_without_entering_the_kernel()
    {
        using var m = new UserModeMachine(mode: SchedulingMode.Parallel);
        var (polls, status, bytes) = InProgram(m, page =>
        {
            var h = CreateFile(PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
            var overlapped = page;
            ReadFile(h, page + 0x100, 1, out _, overlapped);
            var n = 0L;
            while (Memory.Read<uint>(overlapped + OVERLAPPED_Internal) == 0x103)
            {
                n++;
            }

            return (n, Memory.Read<uint>(overlapped + OVERLAPPED_Internal), Memory.Read<ulong>(overlapped + OVERLAPPED_InternalHigh));
        });
        Assert.True(polls > 0);
        Assert.Equal(0u, status);
        Assert.Equal(1UL, bytes);
    }

    [Fact]
    public void Returning_to_user_mode_above_PASSIVE_LEVEL_is_bug_check_0x4A()
    {
        using var m = WithRecorder(out var recorder);
        recorder.LeaveIrqlRaised = true;
        var e = Assert.Throws<BugCheckException>(() => InProgram(m, page =>
            DeviceIoControl(OpenRecorder(), WinIoCtl.CTL_CODE(0x22, 0x900, 0, 0), page, 4, page + 0x100, 4, out _, 0)));
        Assert.Equal(BugCheckCode.IRQL_GT_ZERO_AT_SYSTEM_SERVICE, e.Code);
        Assert.Equal((ulong)Irql.DISPATCH_LEVEL, e.Info.Parameters[1]);
        Assert.Equal(m.Machine.Modules.Kernel.RoutineAddress("NtDeviceIoControlFile"), e.Info.Parameters[0]);
    }

    [Fact]
    public void An_exception_escaping_a_system_call_is_bug_check_0x3B_naming_the_driver()
    {
        using var m = WithRecorder(out var recorder);
        recorder.ThrowInDispatch = true;
        var e = Assert.Throws<BugCheckException>(() => InProgram(m, page =>
            DeviceIoControl(OpenRecorder(), WinIoCtl.CTL_CODE(0x22, 0x900, 0, 0), page, 4, page + 0x100, 4, out _, 0)));
        Assert.Equal(BugCheckCode.SYSTEM_SERVICE_EXCEPTION, e.Code);
        Assert.Equal(0xC0000005UL, e.Info.Parameters[0]);
        Assert.Equal("recorder.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Returning_to_user_mode_inside_a_critical_region_is_bug_check_0x1_with_the_combined_disable_count()
    {
        using var m = WithRecorder(out var recorder);
        recorder.StayInCriticalRegion = true;
        var e = Assert.Throws<BugCheckException>(() => InProgram(m, page =>
            DeviceIoControl(OpenRecorder(), WinIoCtl.CTL_CODE(0x22, 0x900, 0, 0), page, 4, page + 0x100, 4, out _, 0)));
        Assert.Equal(BugCheckCode.APC_INDEX_MISMATCH, e.Code);

        // The service, the APC state index, (SpecialApcDisable << 16) | KernelApcDisable as NT's 16-bit
        // counts (one region entered: 0xFFFF), and 0 for a system call.
        Assert.Equal(new[] { m.Machine.Modules.Kernel.RoutineAddress("NtDeviceIoControlFile"), 0UL, 0xFFFFUL, 0UL }, e.Info.Parameters);
    }
}
