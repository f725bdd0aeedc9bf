using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps.Layout;
using static SharpNT.Win32.Ntdll;

namespace SharpNT.Win32;

/// <summary>
/// The kernel32 surface programs call: the documented Win32 names, parameters and return conventions
/// (BOOL as bool, HANDLE as nint, INVALID_HANDLE_VALUE, GetLastError). Each routine calls ntdll's stubs and
/// turns a failing NTSTATUS into the Win32 error NT maps it to (RtlNtStatusToDosError), kept in the TEB.
/// </summary>
public static partial class Kernel32
{
    /// <summary>GetLastError: the calling thread's last error (TEB.LastErrorValue).</summary>
    public static uint GetLastError() => Memory.Read<uint>(Ring3.Teb + TebLayout.LastErrorValue);

    /// <summary>SetLastError.</summary>
    public static void SetLastError(uint dwErrCode) => Memory.Write(Ring3.Teb + TebLayout.LastErrorValue, dwErrCode);

    /// <summary>BaseSetLastNTError: the Win32 error for a status becomes the last error; returns it.</summary>
    internal static uint BaseSetLastNTError(int status)
    {
        Memory.Write(Ring3.Teb + TebLayout.LastStatusValue, status);
        var error = RtlNtStatusToDosError(status);
        SetLastError(error);
        return error;
    }

    /// <summary>RtlNtStatusToDosError, as ntdll exports it.</summary>
    public static uint RtlNtStatusToDosError(int Status) => Kernel.Ddi.Wdm.RtlNtStatusToDosError((NTSTATUS)(uint)Status);

    /// <summary>GetStdHandle: STD_INPUT_HANDLE, STD_OUTPUT_HANDLE or STD_ERROR_HANDLE from the process parameters.</summary>
    public static nint GetStdHandle(uint nStdHandle)
    {
        var offset = nStdHandle switch
        {
            WinBase.STD_INPUT_HANDLE => ProcessParametersLayout.StandardInput,
            WinBase.STD_OUTPUT_HANDLE => ProcessParametersLayout.StandardOutput,
            WinBase.STD_ERROR_HANDLE => ProcessParametersLayout.StandardError,
            _ => -1,
        };
        if (offset < 0)
        {
            SetLastError(WinError.ERROR_INVALID_HANDLE);
            return WinBase.INVALID_HANDLE_VALUE;
        }

        return (nint)Memory.Read<ulong>(ProcessParameters + (ulong)offset);
    }

    /// <summary>GetCommandLineW: the command line the process was started with.</summary>
    public static string GetCommandLine() => ReadUnicodeString(ProcessParameters + ProcessParametersLayout.CommandLine);

    /// <summary>GetCurrentProcessId: the TEB's ClientId.UniqueProcess.</summary>
    public static uint GetCurrentProcessId() => (uint)Memory.Read<ulong>(Ring3.Teb + TebLayout.ClientIdUniqueProcess);

    /// <summary>GetCurrentThreadId: the TEB's ClientId.UniqueThread.</summary>
    public static uint GetCurrentThreadId() => (uint)Memory.Read<ulong>(Ring3.Teb + TebLayout.ClientIdUniqueThread);

    /// <summary>
    /// ExitProcess: ends the process with <paramref name="uExitCode"/>. The process start routine unwinds
    /// the program to its frame first and then asks the kernel (NtTerminateProcess); does not return.
    /// </summary>
    public static void ExitProcess(uint uExitCode) => throw new ExitProcessException(uExitCode);

    /// <summary>Sleep: NtDelayExecution for the milliseconds given (INFINITE waits forever).</summary>
    public static void Sleep(uint dwMilliseconds)
    {
        using var frame = UserStack.Frame();
        var interval = frame.Alloc(8);
        Memory.Write(interval, dwMilliseconds == WinBase.INFINITE ? long.MinValue : -10_000L * dwMilliseconds);
        NtDelayExecution(false, interval);
    }

    private static ulong ProcessParameters =>
        Memory.Read<ulong>(Memory.Read<ulong>(Ring3.Teb + TebLayout.ProcessEnvironmentBlock) + PebLayout.ProcessParameters);

    private static string ReadUnicodeString(ulong address)
    {
        var length = Memory.Read<ushort>(address);
        var buffer = Memory.Read<ulong>(address + 8);
        return System.Text.Encoding.Unicode.GetString(Memory.ReadBytes(buffer, length));
    }
}
