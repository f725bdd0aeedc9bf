namespace SharpNT.Kernel.Ke;

/// <summary>The machine stopped with a bug check; thrown to the host out of Machine.Run.</summary>
public sealed class BugCheckException : MachineHaltedException
{
    public BugCheckException(BugCheckInfo info)
        : base($"STOP 0x{info.Code:X8} {info.Name}") => Info = info;

    /// <summary>A bug check caused by an exception nobody handled; the exception is kept as the inner one.</summary>
    public BugCheckException(BugCheckInfo info, Exception cause)
        : base($"STOP 0x{info.Code:X8} {info.Name}: unhandled {cause.GetType().Name}: {cause.Message}", cause) => Info = info;

    public BugCheckException()
        : base() => Info = null!;

    public BugCheckException(string message)
        : base(message) => Info = null!;

    public BugCheckException(string message, Exception innerException)
        : base(message, innerException) => Info = null!;

    public BugCheckInfo Info { get; }

    public BugCheckCode Code => (BugCheckCode)Info.Code;
}
