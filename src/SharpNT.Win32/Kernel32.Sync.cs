using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

public static partial class Kernel32
{
    private const uint EVENT_ALL_ACCESS = 0x1F0003;
    private const int NotificationEvent = 0;
    private const int SynchronizationEvent = 1;
    private const int STATUS_TIMEOUT = 0x102;
    private const int STATUS_ABANDONED = 0x80;
    private const int STATUS_USER_APC = 0xC0;

    /// <summary>CreateEventW: a manual-reset (notification) or auto-reset (synchronization) event, named under \BaseNamedObjects if named.</summary>
    public static nint CreateEvent(ulong lpEventAttributes, bool bManualReset, bool bInitialState, string? lpName)
    {
        using var frame = UserStack.Frame();
        var handle = frame.Alloc(8);
        var oa = lpName is null ? 0 : frame.ObjectAttributes(@"\BaseNamedObjects\" + lpName, OBJ_CASE_INSENSITIVE | 0x80 /* OBJ_OPENIF */);
        var status = NtCreateEvent(handle, EVENT_ALL_ACCESS, oa, bManualReset ? NotificationEvent : SynchronizationEvent, bInitialState);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return 0;
        }

        SetLastError(status == 0x40000000 /* STATUS_OBJECT_NAME_EXISTS */ ? WinError.ERROR_ALREADY_EXISTS : WinError.ERROR_SUCCESS);
        return (nint)Memory.Read<ulong>(handle);
    }

    /// <summary>SetEvent.</summary>
    public static bool SetEvent(nint hEvent) => Check(NtSetEvent(hEvent, 0));

    /// <summary>ResetEvent.</summary>
    public static bool ResetEvent(nint hEvent) => Check(NtResetEvent(hEvent, 0));

    /// <summary>
    /// WaitForSingleObject: WAIT_OBJECT_0, WAIT_TIMEOUT, WAIT_ABANDONED, or WAIT_FAILED with the last error
    /// set. <paramref name="dwMilliseconds"/> INFINITE waits forever.
    /// </summary>
    public static uint WaitForSingleObject(nint hHandle, uint dwMilliseconds)
    {
        using var frame = UserStack.Frame();
        var timeout = 0UL;
        if (dwMilliseconds != INFINITE)
        {
            timeout = frame.Alloc(8);
            Memory.Write(timeout, -10_000L * dwMilliseconds);
        }

        var status = NtWaitForSingleObject(hHandle, false, timeout);
        switch (status)
        {
            case 0:
                return WAIT_OBJECT_0;
            case STATUS_TIMEOUT:
                return WAIT_TIMEOUT;
            case STATUS_ABANDONED:
                return WAIT_ABANDONED;
            case STATUS_USER_APC:
                return WAIT_IO_COMPLETION;
            default:
                BaseSetLastNTError(status);
                return WAIT_FAILED;
        }
    }
}
