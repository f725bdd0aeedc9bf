namespace SharpNT.Win32;

/// <summary>ExitProcess on its way to the process start routine, which ends the process from its own frame.</summary>
internal sealed class ExitProcessException : Exception
{
    public ExitProcessException(uint exitCode)
        : base($"ExitProcess({exitCode})") => ExitCode = exitCode;

    public ExitProcessException()
    {
    }

    public ExitProcessException(string message)
        : base(message)
    {
    }

    public ExitProcessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public uint ExitCode { get; }
}
