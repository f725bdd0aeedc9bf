namespace SharpNT.Win32;

/// <summary>
/// A structured exception raised in a program: what __except sees (the exception code, and for an access
/// violation the address and whether it was a write). Unhandled, it ends the process with its code.
/// </summary>
public sealed class SehException : Exception
{
    public SehException(uint exceptionCode, ulong address, bool isWrite)
        : base($"Exception 0x{exceptionCode:X8} at address 0x{address:x16} ({(isWrite ? "write" : "read")})")
    {
        ExceptionCode = exceptionCode;
        Address = address;
        IsWrite = isWrite;
    }

    public SehException()
        : this(EXCEPTION_ACCESS_VIOLATION, 0, false)
    {
    }

    public SehException(string message)
        : base(message) => ExceptionCode = EXCEPTION_ACCESS_VIOLATION;

    public SehException(string message, Exception innerException)
        : base(message, innerException) => ExceptionCode = EXCEPTION_ACCESS_VIOLATION;

    /// <summary>EXCEPTION_RECORD.ExceptionCode.</summary>
    public uint ExceptionCode { get; }

    /// <summary>The address referenced (ExceptionInformation[1] of an access violation).</summary>
    public ulong Address { get; }

    /// <summary>Whether the faulting access was a write (ExceptionInformation[0]).</summary>
    public bool IsWrite { get; }

    public const uint EXCEPTION_ACCESS_VIOLATION = 0xC0000005;
    public const uint EXCEPTION_DATATYPE_MISALIGNMENT = 0x80000002;
    public const uint EXCEPTION_STACK_OVERFLOW = 0xC00000FD;
    public const uint EXCEPTION_INT_DIVIDE_BY_ZERO = 0xC0000094;
}
