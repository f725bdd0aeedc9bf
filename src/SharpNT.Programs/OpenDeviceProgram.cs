using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>opendev PATH: opens a file or device for read and write and reports the outcome (the Win32 error on failure).</summary>
public sealed class OpenDeviceProgram : Win32Program
{
    public override string Name => "opendev";

    public override string Description => @"opendev PATH: opens PATH (e.g. \\.\SampleSecure) for read/write; exit code is the Win32 error";

    public override int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Crt.PrintError("usage: opendev PATH");
            return (int)WinError.ERROR_INVALID_PARAMETER;
        }

        var handle = CreateFile(args[0], GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        if (handle == INVALID_HANDLE_VALUE)
        {
            var error = GetLastError();
            Crt.PrintLine($"opendev: CreateFile({args[0]}) failed, GetLastError() = {error}{(error == WinError.ERROR_ACCESS_DENIED ? " (access denied)" : "")}");
            return (int)error;
        }

        Crt.PrintLine($"opendev: opened {args[0]} as handle 0x{handle:x}");
        CloseHandle(handle);
        return 0;
    }
}
