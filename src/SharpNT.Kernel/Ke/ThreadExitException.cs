namespace SharpNT.Kernel.Ke;

/// <summary>
/// Unwinds a system thread that called PsTerminateSystemThread: the thread ends where it stands, with
/// the exit status it gave.
/// </summary>
internal sealed class ThreadExitException : Exception
{
    public ThreadExitException(NTSTATUS exitStatus)
        : base($"PsTerminateSystemThread({exitStatus.Describe()})") => ExitStatus = exitStatus;

    public ThreadExitException()
        : this(NTSTATUS.STATUS_SUCCESS)
    {
    }

    public ThreadExitException(string message)
        : base(message)
    {
    }

    public ThreadExitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NTSTATUS ExitStatus { get; }
}
