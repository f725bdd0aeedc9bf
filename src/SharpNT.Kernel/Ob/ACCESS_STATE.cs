using System.Diagnostics;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// The state of one access request while an object is opened (wdm.h ACCESS_STATE): what was asked for,
/// what is granted so far, what remains to be granted. The Object Manager creates one per open and hands
/// it to parse procedures; the I/O manager passes it to file systems in IRP_MJ_CREATE's security context.
/// Security descriptors and tokens arrive with the Security Reference Monitor; until then kernel-mode
/// requests are granted in full.
/// </summary>
[DebuggerDisplay("ACCESS_STATE desired {OriginalDesiredAccess,h} granted {PreviouslyGrantedAccess,h}")]
public sealed class ACCESS_STATE
{
    internal ACCESS_STATE(uint desiredAccess, GENERIC_MAPPING? mapping)
    {
        var mapped = mapping is { } m ? m.Map(desiredAccess) : desiredAccess;
        OriginalDesiredAccess = mapped;
        RemainingDesiredAccess = mapped;
    }

    /// <summary>The access the caller asked for, after generic mapping.</summary>
    public uint OriginalDesiredAccess { get; internal set; }

    /// <summary>The access not granted yet.</summary>
    public uint RemainingDesiredAccess { get; internal set; }

    /// <summary>The access already granted (by privileges or earlier checks).</summary>
    public uint PreviouslyGrantedAccess { get; internal set; }

    /// <summary>ACCESS_STATE.Flags (TOKEN_HAS_TRAVERSE_PRIVILEGE and friends).</summary>
    public uint Flags { get; internal set; }

    /// <summary>The security descriptor the object is created with, if any (OBJECT_ATTRIBUTES.SecurityDescriptor).</summary>
    public object? SecurityDescriptor { get; internal set; }

    /// <summary>The name being opened, for auditing and for parse procedures that report it.</summary>
    public string? ObjectName { get; internal set; }

    /// <summary>The name of the type being opened, when the caller named one.</summary>
    public string? ObjectTypeName { get; internal set; }

    /// <summary>Grants <paramref name="access"/>: moves it from the remaining to the granted rights.</summary>
    internal void Grant(uint access)
    {
        PreviouslyGrantedAccess |= access;
        RemainingDesiredAccess &= ~access;
    }
}
