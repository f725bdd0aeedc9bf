using static SharpNT.Kernel.Se.SePrivileges;

namespace SharpNT.Kernel.Se;

/// <summary>
/// The logon tokens of the accounts a SharpNT machine offers (`sharpnt run --user NAME`): SYSTEM, the
/// built-in Administrator (an elevated administrator token) and "user" (a standard user). Each call makes a
/// new token, so adjusting one machine's token never touches another's.
/// </summary>
public static class WellKnownTokens
{
    /// <summary>The account names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> AccountNames { get; } = ["SYSTEM", "Administrator", "user"];

    /// <summary>The RID of the standard "user" account (the first account Windows setup creates is 1001).</summary>
    public const uint StandardUserRid = 1001;

    /// <summary>A token for <paramref name="accountName"/> (case-insensitive), or null for an unknown account.</summary>
    public static TOKEN? Create(string accountName) => accountName.ToUpperInvariant() switch
    {
        "SYSTEM" => System(),
        "ADMINISTRATOR" => Administrator(),
        "USER" => StandardUser(),
        _ => null,
    };

    /// <summary>
    /// Local System: user S-1-5-18, member of BUILTIN\Administrators (the default owner of what it creates),
    /// Everyone and Authenticated Users, every privilege held and enabled.
    /// </summary>
    public static TOKEN System()
    {
        var privileges = new List<LUID_AND_ATTRIBUTES>();
        for (var p = SE_MIN_WELL_KNOWN_PRIVILEGE; p <= SE_MAX_WELL_KNOWN_PRIVILEGE; p++)
        {
            privileges.Add(new(Luid(p), SE_PRIVILEGE_ENABLED_BY_DEFAULT | SE_PRIVILEGE_ENABLED));
        }

        return new TOKEN("SYSTEM", WellKnownSids.LocalSystem,
            [
                new(WellKnownSids.BuiltinAdministrators, SE_GROUP.Default | SE_GROUP.SE_GROUP_OWNER),
                new(WellKnownSids.World, SE_GROUP.Default),
                new(WellKnownSids.AuthenticatedUsers, SE_GROUP.Default),
            ],
            privileges, owner: WellKnownSids.BuiltinAdministrators, primaryGroup: WellKnownSids.LocalSystem);
    }

    /// <summary>
    /// The built-in Administrator, elevated: user S-1-5-21-domain-500, member of BUILTIN\Administrators,
    /// BUILTIN\Users, Everyone and Authenticated Users, with the administrator privileges. As in an elevated
    /// Windows token, SeChangeNotify, SeImpersonate and SeCreateGlobal are enabled and the rest are held but
    /// disabled until the program enables them.
    /// </summary>
    public static TOKEN Administrator()
    {
        uint[] enabled = [SE_CHANGE_NOTIFY_PRIVILEGE, SE_IMPERSONATE_PRIVILEGE, SE_CREATE_GLOBAL_PRIVILEGE];
        uint[] held =
        [
            SE_INCREASE_QUOTA_PRIVILEGE, SE_SECURITY_PRIVILEGE, SE_TAKE_OWNERSHIP_PRIVILEGE, SE_LOAD_DRIVER_PRIVILEGE,
            SE_SYSTEM_PROFILE_PRIVILEGE, SE_SYSTEMTIME_PRIVILEGE, SE_PROF_SINGLE_PROCESS_PRIVILEGE,
            SE_INC_BASE_PRIORITY_PRIVILEGE, SE_CREATE_PAGEFILE_PRIVILEGE, SE_BACKUP_PRIVILEGE, SE_RESTORE_PRIVILEGE,
            SE_SHUTDOWN_PRIVILEGE, SE_DEBUG_PRIVILEGE, SE_SYSTEM_ENVIRONMENT_PRIVILEGE, SE_REMOTE_SHUTDOWN_PRIVILEGE,
            SE_UNDOCK_PRIVILEGE, SE_MANAGE_VOLUME_PRIVILEGE, SE_INC_WORKING_SET_PRIVILEGE, SE_TIME_ZONE_PRIVILEGE,
            SE_CREATE_SYMBOLIC_LINK_PRIVILEGE, SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE,
        ];
        var privileges = enabled.Select(p => new LUID_AND_ATTRIBUTES(Luid(p), SE_PRIVILEGE_ENABLED_BY_DEFAULT | SE_PRIVILEGE_ENABLED))
            .Concat(held.Select(p => new LUID_AND_ATTRIBUTES(Luid(p), 0)))
            .OrderBy(p => p.Luid.LowPart);

        return new TOKEN("Administrator", WellKnownSids.Account(WellKnownSids.DOMAIN_USER_RID_ADMIN),
            [
                new(WellKnownSids.BuiltinAdministrators, SE_GROUP.Default | SE_GROUP.SE_GROUP_OWNER),
                new(WellKnownSids.BuiltinUsers, SE_GROUP.Default),
                new(WellKnownSids.World, SE_GROUP.Default),
                new(WellKnownSids.AuthenticatedUsers, SE_GROUP.Default),
                new(WellKnownSids.Interactive, SE_GROUP.Default),
            ],
            privileges, owner: WellKnownSids.BuiltinAdministrators);
    }

    /// <summary>
    /// A standard user: S-1-5-21-domain-1001, member of BUILTIN\Users, Everyone and Authenticated Users, with
    /// SeChangeNotifyPrivilege (bypass traverse checking) only.
    /// </summary>
    public static TOKEN StandardUser() =>
        new("user", WellKnownSids.Account(StandardUserRid),
            [
                new(WellKnownSids.BuiltinUsers, SE_GROUP.Default),
                new(WellKnownSids.World, SE_GROUP.Default),
                new(WellKnownSids.AuthenticatedUsers, SE_GROUP.Default),
                new(WellKnownSids.Interactive, SE_GROUP.Default),
            ],
            [new(Luid(SE_CHANGE_NOTIFY_PRIVILEGE), SE_PRIVILEGE_ENABLED_BY_DEFAULT | SE_PRIVILEGE_ENABLED)]);
}
