using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Win32;

/// <summary>
/// The start of a program's initial thread (kernel32's BaseProcessStart with the C runtime's
/// mainCRTStartup): the command line is split into arguments, Main runs, and the process ends with its
/// return value, the code ExitProcess gave, or the code of an exception nobody handled (the default
/// unhandled-exception filter's choice). Does not return.
/// </summary>
public static class ProcessStartup
{
    public static void Run(Win32Program program)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!Ring3.IsUserThread)
        {
            throw new InvalidOperationException("A program starts on a user thread of a machine.");
        }

        uint exitCode;
        try
        {
            var argv = Crt.SplitCommandLine(Kernel32.GetCommandLine());
            exitCode = (uint)program.Main(argv.Length > 1 ? argv[1..] : []);
        }
        catch (ExitProcessException exit)
        {
            exitCode = exit.ExitCode;
        }
        catch (SehException e)
        {
            exitCode = e.ExceptionCode;
        }
        catch (Exception e) when (e is not MachineHaltedException)
        {
            exitCode = (uint)NtException.CodeFor(e);
        }

        Ntdll.NtTerminateProcess(Ntdll.NtCurrentProcess, (int)exitCode);
    }
}
