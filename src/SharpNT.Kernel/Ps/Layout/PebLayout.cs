namespace SharpNT.Kernel.Ps.Layout;

/// <summary>The x64 PEB fields the kernel fills in at process creation (offsets as winternl.h and the WDK give them).</summary>
public static class PebLayout
{
    public const int BeingDebugged = 0x002;
    public const int ImageBaseAddress = 0x010;
    public const int Ldr = 0x018;
    public const int ProcessParameters = 0x020;
    public const int ProcessHeap = 0x030;
    public const int OSMajorVersion = 0x118;
    public const int OSMinorVersion = 0x11C;
    public const int OSBuildNumber = 0x120;
    public const int SessionId = 0x2C0;

    /// <summary>The PEB occupies one page.</summary>
    public const int Size = 0x1000;
}
