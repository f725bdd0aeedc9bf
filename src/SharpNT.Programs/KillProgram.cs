using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>
/// kill PID [CODE]: ends another process (OpenProcess with PROCESS_TERMINATE and SYNCHRONIZE, TerminateProcess,
/// then waits for it to end). Exits 0, or with the Win32 error that stopped it (5 when the process belongs to
/// another user, 87 for an unknown id).
/// </summary>
public sealed class KillProgram : Win32Program
{
    public override string Name => "kill";

    public override string Description => "ends the process with the id given (kill PID [EXITCODE])";

    public override int Main(string[] args)
    {
        if (args.Length < 1 || !uint.TryParse(args[0], out var pid))
        {
            Crt.PrintLine("usage: kill PID [EXITCODE]");
            return (int)WinError.ERROR_INVALID_PARAMETER;
        }

        var code = args.Length > 1 && uint.TryParse(args[1], out var c) ? c : 1;
        var process = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, false, pid);
        if (process == 0)
        {
            var error = GetLastError();
            Crt.PrintLine($"kill: OpenProcess({pid}) failed, GetLastError() = {error}");
            return (int)error;
        }

        if (!TerminateProcess(process, code))
        {
            var error = GetLastError();
            Crt.PrintLine($"kill: TerminateProcess failed, GetLastError() = {error}");
            CloseHandle(process);
            return (int)error;
        }

        WaitForSingleObject(process, INFINITE);
        CloseHandle(process);
        Crt.PrintLine($"kill: process {pid} ended with exit code {code}");
        return 0;
    }
}
