namespace SharpNT.Kernel.Ps.Layout;

/// <summary>THREAD_BASIC_INFORMATION on x64 (NtQueryInformationThread's ThreadBasicInformation), as winternl/ntddk give it.</summary>
public static class ThreadBasicInformationLayout
{
    public const int ExitStatus = 0x00;
    public const int TebBaseAddress = 0x08;
    public const int ClientIdUniqueProcess = 0x10;
    public const int ClientIdUniqueThread = 0x18;
    public const int AffinityMask = 0x20;
    public const int Priority = 0x28;
    public const int BasePriority = 0x2C;
    public const int Size = 0x30;

    /// <summary>A thread of a normal-priority process at THREAD_PRIORITY_NORMAL: priority 8.</summary>
    public const int NormalPriority = 8;
}
