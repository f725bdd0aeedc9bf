namespace SharpNT.Kernel.Se;

/// <summary>A privilege LUID with its SE_PRIVILEGE_* attributes (winnt.h LUID_AND_ATTRIBUTES).</summary>
public readonly record struct LUID_AND_ATTRIBUTES(LUID Luid, uint Attributes)
{
    /// <summary>SE_PRIVILEGE_ENABLED.</summary>
    public bool IsEnabled => (Attributes & SePrivileges.SE_PRIVILEGE_ENABLED) != 0;
}
