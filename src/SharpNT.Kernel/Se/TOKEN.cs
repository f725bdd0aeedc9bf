using System.Diagnostics;

namespace SharpNT.Kernel.Se;

/// <summary>
/// An access token (the kernel's TOKEN object, reduced to what access checks read): the user, the groups
/// with their SE_GROUP_* attributes, the privileges with their SE_PRIVILEGE_* attributes, the default owner
/// and primary group. A token belongs to one machine; privileges and groups change through the adjust
/// routines only.
/// </summary>
[DebuggerDisplay("TOKEN {AccountName} {User.Sid}")]
public sealed class TOKEN
{
    private readonly List<SID_AND_ATTRIBUTES> _groups;
    private readonly List<LUID_AND_ATTRIBUTES> _privileges;

    public TOKEN(string accountName, SID user, IEnumerable<SID_AND_ATTRIBUTES> groups,
        IEnumerable<LUID_AND_ATTRIBUTES> privileges, SID? owner = null, SID? primaryGroup = null,
        TOKEN_TYPE tokenType = TOKEN_TYPE.TokenPrimary)
    {
        ArgumentNullException.ThrowIfNull(user);
        AccountName = accountName;
        User = new SID_AND_ATTRIBUTES(user, 0);
        _groups = [.. groups];
        _privileges = [.. privileges];
        Owner = owner ?? user;
        PrimaryGroup = primaryGroup ?? user;
        TokenType = tokenType;
    }

    /// <summary>The account name the token was made for ("SYSTEM", "Administrator", "user").</summary>
    public string AccountName { get; }

    /// <summary>TokenUser.</summary>
    public SID_AND_ATTRIBUTES User { get; }

    /// <summary>TokenGroups.</summary>
    public IReadOnlyList<SID_AND_ATTRIBUTES> Groups => _groups;

    /// <summary>TokenPrivileges.</summary>
    public IReadOnlyList<LUID_AND_ATTRIBUTES> Privileges => _privileges;

    /// <summary>TokenOwner: the owner given to objects this token creates.</summary>
    public SID Owner { get; }

    /// <summary>TokenPrimaryGroup.</summary>
    public SID PrimaryGroup { get; }

    /// <summary>TokenType.</summary>
    public TOKEN_TYPE TokenType { get; }

    /// <summary>
    /// Whether <paramref name="sid"/> names this token for an ACE: the user, or a group that is enabled
    /// (for allow ACEs) or enabled or deny-only (for deny ACEs), as SeAccessCheck matches.
    /// </summary>
    public bool Matches(SID sid, bool forDeny)
    {
        if (User.Sid == sid)
        {
            return true;
        }

        foreach (var group in _groups)
        {
            if ((forDeny ? group.MatchesDeny : group.IsEnabled) && group.Sid == sid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the token holds <paramref name="privilege"/> (enabled or not).</summary>
    public bool HasPrivilege(LUID privilege) => _privileges.Exists(p => p.Luid == privilege);

    /// <summary>SePrivilegeCheck for one privilege: held and enabled.</summary>
    public bool IsPrivilegeEnabled(LUID privilege) => _privileges.Exists(p => p.Luid == privilege && p.IsEnabled);

    /// <summary>
    /// NtAdjustPrivilegesToken for one privilege: enables or disables it. STATUS_NOT_ALL_ASSIGNED (a success
    /// code, as NT returns it) when the token does not hold the privilege.
    /// </summary>
    public NTSTATUS AdjustPrivilege(LUID privilege, bool enable)
    {
        var index = _privileges.FindIndex(p => p.Luid == privilege);
        if (index < 0)
        {
            return NTSTATUS.STATUS_NOT_ALL_ASSIGNED;
        }

        var entry = _privileges[index];
        var attributes = enable
            ? entry.Attributes | SePrivileges.SE_PRIVILEGE_ENABLED
            : entry.Attributes & ~SePrivileges.SE_PRIVILEGE_ENABLED;
        _privileges[index] = entry with { Attributes = attributes };
        return NTSTATUS.STATUS_SUCCESS;
    }
}
