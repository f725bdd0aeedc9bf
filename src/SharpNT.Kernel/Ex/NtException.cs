namespace SharpNT.Kernel;

/// <summary>
/// A structured exception raised in the simulated machine (ExRaiseStatus, an access violation on a user
/// address, a probe failure). Code that would use __try/__except catches it; an unhandled one becomes the
/// bug check NT raises for the context it escapes from.
/// </summary>
public sealed class NtException : Exception
{
    public NtException(NTSTATUS status)
        : base(status.Describe()) => Status = status;

    public NtException(NTSTATUS status, ulong address, bool write)
        : base($"{status.Describe()} at 0x{address:x16} ({(write ? "write" : "read")})")
    {
        Status = status;
        FaultAddress = address;
        IsWrite = write;
    }

    public NtException()
        : this(NTSTATUS.STATUS_UNSUCCESSFUL)
    {
    }

    public NtException(string message)
        : base(message) => Status = NTSTATUS.STATUS_UNSUCCESSFUL;

    public NtException(string message, Exception innerException)
        : base(message, innerException) => Status = NTSTATUS.STATUS_UNSUCCESSFUL;

    /// <summary>The exception code (EXCEPTION_RECORD.ExceptionCode).</summary>
    public NTSTATUS Status { get; }

    /// <summary>For an access violation: the address referenced (ExceptionInformation[1]).</summary>
    public ulong FaultAddress { get; }

    /// <summary>For an access violation: whether it was a write (ExceptionInformation[0]).</summary>
    public bool IsWrite { get; }

    /// <summary>
    /// The exception code NT would report for an exception thrown by managed driver code: a null
    /// dereference is an access violation, a division by zero STATUS_INTEGER_DIVIDE_BY_ZERO, and anything
    /// else the CLR's own exception code.
    /// </summary>
    public static NTSTATUS CodeFor(Exception e) => e switch
    {
        NtException nt => nt.Status,
        NullReferenceException or AccessViolationException => NTSTATUS.STATUS_ACCESS_VIOLATION,
        DivideByZeroException => NTSTATUS.STATUS_INTEGER_DIVIDE_BY_ZERO,
        IndexOutOfRangeException or ArgumentOutOfRangeException => NTSTATUS.STATUS_ARRAY_BOUNDS_EXCEEDED,
        OverflowException => NTSTATUS.STATUS_INTEGER_OVERFLOW,
        InsufficientExecutionStackException => NTSTATUS.STATUS_STACK_OVERFLOW,
        _ => NTSTATUS.STATUS_CLR_EXCEPTION,
    };
}
