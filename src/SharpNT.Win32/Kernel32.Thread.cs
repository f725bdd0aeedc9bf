using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps.Layout;
using static SharpNT.Win32.Ntdll;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Win32;

public static partial class Kernel32
{
    private const uint THREAD_ALL_ACCESS = 0x1FFFFF;
    private const int ThreadBasicInformation = 0;
    private const uint THREAD_CREATE_FLAGS_CREATE_SUSPENDED = 0x1;

    /// <summary>
    /// The start of every thread CreateThread makes (kernel32's BaseThreadInitThunk with ntdll's
    /// RtlUserThreadStart): it runs the routine; the routine's return value is the thread's exit code
    /// (RtlExitUserThread; the last thread's ends the process). ExitProcess called on this thread, or a
    /// structured exception nobody handled, ends the whole process with its code.
    /// </summary>
    private static readonly Func<ulong, uint> s_baseThreadStart = BaseThreadStart;

    /// <summary>
    /// CreateThread: a thread of this process running <paramref name="lpStartAddress"/>(<paramref name="lpParameter"/>);
    /// returns its handle (THREAD_ALL_ACCESS) and id, or 0 with the last error set. CREATE_SUSPENDED is not
    /// supported (ERROR_NOT_SUPPORTED). <paramref name="lpThreadAttributes"/> is not used: the thread gets the
    /// default security, and no child process could inherit the handle here.
    /// </summary>
    public static nint CreateThread(ulong lpThreadAttributes, ulong dwStackSize, Func<ulong, uint> lpStartAddress, ulong lpParameter,
        uint dwCreationFlags, out uint lpThreadId)
    {
        ArgumentNullException.ThrowIfNull(lpStartAddress);
        lpThreadId = 0;

        // The routine and its parameter travel in a block of the process's memory the new thread frees.
        var block = VirtualAlloc(0, 16, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        if (block == 0)
        {
            return 0;
        }

        Memory.Write(block, Ring3.CodeAddress(lpStartAddress));
        Memory.Write(block + 8, lpParameter);
        using var frame = UserStack.Frame();
        var handle = frame.Alloc(8);
        var flags = (dwCreationFlags & CREATE_SUSPENDED) != 0 ? THREAD_CREATE_FLAGS_CREATE_SUSPENDED : 0;
        var status = NtCreateThreadEx(handle, THREAD_ALL_ACCESS, 0, NtCurrentProcess, Ring3.CodeAddress(s_baseThreadStart), block,
            flags, 0, dwStackSize, 0, 0);
        if (!NT_SUCCESS(status))
        {
            VirtualFree(block, 0, MEM_RELEASE);
            BaseSetLastNTError(status);
            return 0;
        }

        var thread = (nint)Memory.Read<ulong>(handle);
        lpThreadId = QueryThread(thread, ThreadBasicInformationLayout.ClientIdUniqueThread, out var id) ? (uint)id : 0;
        return thread;
    }

    private static uint BaseThreadStart(ulong block)
    {
        var routine = Memory.Read<ulong>(block);
        var parameter = Memory.Read<ulong>(block + 8);
        VirtualFree(block, 0, MEM_RELEASE);
        uint exitCode;
        try
        {
            exitCode = Ring3.Call(routine, parameter);
        }
        catch (ExitProcessException exit)
        {
            NtTerminateProcess(NtCurrentProcess, (int)exit.ExitCode);
            throw;
        }
        catch (SehException e)
        {
            NtTerminateProcess(NtCurrentProcess, (int)e.ExceptionCode);
            throw;
        }

        NtTerminateThread(NtCurrentThread, (int)exitCode);
        return exitCode;
    }

    /// <summary>ExitThread: the calling thread ends with <paramref name="dwExitCode"/> (the last thread ends the process); does not return.</summary>
    public static void ExitThread(uint dwExitCode) => NtTerminateThread(NtCurrentThread, (int)dwExitCode);

    /// <summary>TerminateThread: the thread ends with <paramref name="dwExitCode"/> (THREAD_TERMINATE access).</summary>
    public static bool TerminateThread(nint hThread, uint dwExitCode) => Check(NtTerminateThread(hThread, (int)dwExitCode));

    /// <summary>GetExitCodeThread: the thread's exit code, or STILL_ACTIVE while it runs.</summary>
    public static bool GetExitCodeThread(nint hThread, out uint lpExitCode)
    {
        var ok = QueryThread(hThread, ThreadBasicInformationLayout.ExitStatus, out var exitStatus);
        lpExitCode = (uint)exitStatus;
        return ok;
    }

    /// <summary>
    /// OpenProcess: a handle to the process with id <paramref name="dwProcessId"/>, with the access asked for
    /// (checked against the process's security; SeDebugPrivilege passes); 0 with the last error set.
    /// </summary>
    public static nint OpenProcess(uint dwDesiredAccess, bool bInheritHandle, uint dwProcessId)
    {
        using var frame = UserStack.Frame();
        var handle = frame.Alloc(8);
        var clientId = frame.Alloc(16);
        Memory.Write(clientId, (ulong)dwProcessId);
        Memory.Write(clientId + 8, 0UL);
        var oa = frame.ObjectAttributes(null, bInheritHandle ? 0x2u /* OBJ_INHERIT */ : 0);
        var status = NtOpenProcess(handle, dwDesiredAccess, oa, clientId);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return 0;
        }

        return (nint)Memory.Read<ulong>(handle);
    }

    /// <summary>TerminateProcess: ends every thread of the process with <paramref name="uExitCode"/> (PROCESS_TERMINATE access).</summary>
    public static bool TerminateProcess(nint hProcess, uint uExitCode) => Check(NtTerminateProcess(hProcess, (int)uExitCode));

    /// <summary>GetCurrentThread: the pseudo-handle NtCurrentThread().</summary>
    public static nint GetCurrentThread() => NtCurrentThread;

    /// <summary>One 64-bit field of the thread's THREAD_BASIC_INFORMATION; false with the last error set if the query fails.</summary>
    private static bool QueryThread(nint thread, int offset, out ulong value)
    {
        value = 0;
        using var frame = UserStack.Frame();
        var info = frame.Alloc(ThreadBasicInformationLayout.Size);
        var status = NtQueryInformationThread(thread, ThreadBasicInformation, info, ThreadBasicInformationLayout.Size, 0);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return false;
        }

        value = Memory.Read<ulong>(info + (ulong)offset);
        return true;
    }
}
