using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;

namespace SharpNT.Programs;

/// <summary>hello: prints a greeting with its process and thread ids and its arguments.</summary>
public sealed class HelloProgram : Win32Program
{
    public override string Name => "hello";

    public override string Description => "prints a greeting, its process id and its arguments";

    public override int Main(string[] args)
    {
        Crt.PrintLine($"Hello from user mode: process {GetCurrentProcessId()}, thread {GetCurrentThreadId()}");
        for (var i = 0; i < args.Length; i++)
        {
            Crt.PrintLine($"  argv[{i + 1}] = {args[i]}");
        }

        return 0;
    }
}
