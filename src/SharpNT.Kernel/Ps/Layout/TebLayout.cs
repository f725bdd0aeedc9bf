namespace SharpNT.Kernel.Ps.Layout;

/// <summary>The x64 TEB fields (NT_TIB first), offsets as the WDK's ntddk/winternl definitions give them.</summary>
public static class TebLayout
{
    public const int ExceptionList = 0x000;
    public const int StackBase = 0x008;
    public const int StackLimit = 0x010;
    public const int Self = 0x030;
    public const int ClientIdUniqueProcess = 0x040;
    public const int ClientIdUniqueThread = 0x048;
    public const int ProcessEnvironmentBlock = 0x060;
    public const int LastErrorValue = 0x068;
    public const int LastStatusValue = 0x1250;

    /// <summary>The TEB occupies two pages on x64.</summary>
    public const int Size = 0x2000;
}
