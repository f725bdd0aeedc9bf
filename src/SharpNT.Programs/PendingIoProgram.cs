using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>
/// pending [--leave N]: overlapped reads on the pending-timer sample (\Device\PendingTimer). Three reads
/// are issued at once with their own events (each FALSE with ERROR_IO_PENDING), the first is awaited with
/// GetOverlappedResult, the others cancelled with CancelIo (ERROR_OPERATION_ABORTED). With --leave N the
/// program then issues N more reads and exits without waiting: the process exit cancels them.
/// </summary>
public sealed class PendingIoProgram : Win32Program
{
    public const string DevicePath = @"\\.\GLOBALROOT\Device\PendingTimer";

    public override string Name => "pending";

    public override string Description => "pending [--leave N]: overlapped reads, GetOverlappedResult, CancelIo; --leave exits with reads in flight";

    public override int Main(string[] args)
    {
        var leave = args.Length == 2 && args[0] == "--leave" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
        var device = CreateFile(DevicePath, GENERIC_READ, 0, 0, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, 0);
        if (device == INVALID_HANDLE_VALUE)
        {
            Crt.PrintLine($"pending: CreateFile failed, GetLastError() = {GetLastError()}");
            return (int)GetLastError();
        }

        var memory = VirtualAlloc(0, 0x1000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var failures = 0;
        var overlapped = new ulong[3];
        for (var i = 0; i < overlapped.Length; i++)
        {
            overlapped[i] = memory + (ulong)(i * 0x100);
            Memory.Write(overlapped[i] + OVERLAPPED_hEvent, (ulong)CreateEvent(0, true, false, null));
            var started = ReadFile(device, memory + 0x800 + (ulong)i, 1, out _, overlapped[i]);
            var error = GetLastError();
            Crt.PrintLine($"pending: read {i}: ReadFile -> {(started ? "TRUE" : "FALSE")}, GetLastError() = {error}");
            failures += !started && error == WinError.ERROR_IO_PENDING ? 0 : 1;
        }

        var done = GetOverlappedResult(device, overlapped[0], out var bytes, bWait: true);
        Crt.PrintLine($"pending: read 0 completed: {done}, {bytes} byte, value {Memory.Read<byte>(memory + 0x800)}");
        failures += done && bytes == 1 ? 0 : 1;

        CancelIo(device);
        for (var i = 1; i < overlapped.Length; i++)
        {
            var ok = GetOverlappedResult(device, overlapped[i], out _, bWait: true);
            var error = GetLastError();
            // A read the timer completed before the cancel got to it is a success; the rest are aborted.
            Crt.PrintLine($"pending: read {i} after CancelIo: {(ok ? "completed" : $"GetLastError() = {error}")}");
            failures += ok || error == WinError.ERROR_OPERATION_ABORTED ? 0 : 1;
        }

        for (var i = 0; i < leave; i++)
        {
            var extra = memory + 0x400 + (ulong)(i * 0x20);
            ReadFile(device, memory + 0x900 + (ulong)i, 1, out _, extra);
        }

        if (leave > 0)
        {
            Crt.PrintLine($"pending: exiting with {leave} read(s) in flight");
        }

        return failures;
    }
}
