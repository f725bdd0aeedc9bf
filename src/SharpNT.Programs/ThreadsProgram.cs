using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>
/// threads [N]: starts N worker threads (3 by default), each with one read pending in pendtimer.sys's
/// cancel-safe queue; once the driver's timer has completed the first read, the workers still waiting are
/// terminated, and their reads are cancelled as their threads end. Prints each thread's exit code.
/// </summary>
public sealed class ThreadsProgram : Win32Program
{
    /// <summary>The exit code TerminateThread gives the workers still waiting.</summary>
    public const uint TerminatedExitCode = 99;

    public override string Name => "threads";

    public override string Description => "worker threads with reads pending in pendtimer.sys; the ones still waiting are terminated";

    public override int Main(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], out var n) && n is > 0 and <= 16 ? n : 3;
        var device = CreateFile(PendingIoProgram.DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
        if (device == INVALID_HANDLE_VALUE)
        {
            Crt.PrintLine($"threads: CreateFile failed, GetLastError() = {GetLastError()}");
            return (int)GetLastError();
        }

        var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var workers = new nint[count];
        for (var i = 0; i < count; i++)
        {
            // Each worker gets its OVERLAPPED and a byte of buffer in this block; the parameter is its index.
            workers[i] = CreateThread(0, 0, index => Worker(device, memory, index), (ulong)i, 0, out var id);
            Crt.PrintLine($"threads: started worker {i} (thread {id})");
        }

        var first = -1;
        while (first < 0)
        {
            Sleep(5);
            for (var i = 0; i < count && first < 0; i++)
            {
                if (GetExitCodeThread(workers[i], out var code) && code != STILL_ACTIVE)
                {
                    first = i;
                }
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (i != first)
            {
                TerminateThread(workers[i], TerminatedExitCode);
            }
        }

        for (var i = 0; i < count; i++)
        {
            WaitForSingleObject(workers[i], INFINITE);
            GetExitCodeThread(workers[i], out var code);
            Crt.PrintLine($"threads: worker {i} ended with exit code {code}{(code == TerminatedExitCode ? " (terminated; its read was cancelled)" : "")}");
            CloseHandle(workers[i]);
        }

        CloseHandle(device);
        return 0;
    }

    /// <summary>One read on the pending device, waited for: the exit code is 100 + the worker's index.</summary>
    private static uint Worker(nint device, ulong memory, ulong index)
    {
        var overlapped = memory + (index * 0x40);
        var byteAt = memory + 0x800 + index;
        Memory.Write(overlapped + (ulong)OVERLAPPED_hEvent, (ulong)CreateEvent(0, true, false, null));
        ReadFile(device, byteAt, 1, out _, overlapped);
        WaitForSingleObject((nint)Memory.Read<ulong>(overlapped + (ulong)OVERLAPPED_hEvent), INFINITE);
        Crt.PrintLine($"threads: worker {index} (thread {GetCurrentThreadId()}) read completed, value {Memory.Read<byte>(byteAt)}");
        return 100 + (uint)index;
    }
}
