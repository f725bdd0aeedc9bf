namespace SharpNT.Kernel.Se;

/// <summary>A SID with its SE_GROUP_* attributes (winnt.h SID_AND_ATTRIBUTES).</summary>
public readonly record struct SID_AND_ATTRIBUTES(SID Sid, uint Attributes)
{
    /// <summary>SE_GROUP_ENABLED and not deny-only: the group grants access through allow ACEs.</summary>
    public bool IsEnabled => (Attributes & (SE_GROUP.SE_GROUP_ENABLED | SE_GROUP.SE_GROUP_USE_FOR_DENY_ONLY)) == SE_GROUP.SE_GROUP_ENABLED;

    /// <summary>Enabled or deny-only: the group is matched by deny ACEs.</summary>
    public bool MatchesDeny => (Attributes & (SE_GROUP.SE_GROUP_ENABLED | SE_GROUP.SE_GROUP_USE_FOR_DENY_ONLY)) != 0;
}
