using System.Collections.Immutable;

namespace SharpNT.Kernel.Se;

/// <summary>
/// The privilege LUIDs (wdm.h SE_*_PRIVILEGE, low parts 2 to 36) and their names (winnt.h SE_*_NAME), and the
/// privilege attribute bits (SE_PRIVILEGE_*).
/// </summary>
public static class SePrivileges
{
    public const uint SE_MIN_WELL_KNOWN_PRIVILEGE = 2;
    public const uint SE_CREATE_TOKEN_PRIVILEGE = 2;
    public const uint SE_ASSIGNPRIMARYTOKEN_PRIVILEGE = 3;
    public const uint SE_LOCK_MEMORY_PRIVILEGE = 4;
    public const uint SE_INCREASE_QUOTA_PRIVILEGE = 5;
    public const uint SE_MACHINE_ACCOUNT_PRIVILEGE = 6;
    public const uint SE_TCB_PRIVILEGE = 7;
    public const uint SE_SECURITY_PRIVILEGE = 8;
    public const uint SE_TAKE_OWNERSHIP_PRIVILEGE = 9;
    public const uint SE_LOAD_DRIVER_PRIVILEGE = 10;
    public const uint SE_SYSTEM_PROFILE_PRIVILEGE = 11;
    public const uint SE_SYSTEMTIME_PRIVILEGE = 12;
    public const uint SE_PROF_SINGLE_PROCESS_PRIVILEGE = 13;
    public const uint SE_INC_BASE_PRIORITY_PRIVILEGE = 14;
    public const uint SE_CREATE_PAGEFILE_PRIVILEGE = 15;
    public const uint SE_CREATE_PERMANENT_PRIVILEGE = 16;
    public const uint SE_BACKUP_PRIVILEGE = 17;
    public const uint SE_RESTORE_PRIVILEGE = 18;
    public const uint SE_SHUTDOWN_PRIVILEGE = 19;
    public const uint SE_DEBUG_PRIVILEGE = 20;
    public const uint SE_AUDIT_PRIVILEGE = 21;
    public const uint SE_SYSTEM_ENVIRONMENT_PRIVILEGE = 22;
    public const uint SE_CHANGE_NOTIFY_PRIVILEGE = 23;
    public const uint SE_REMOTE_SHUTDOWN_PRIVILEGE = 24;
    public const uint SE_UNDOCK_PRIVILEGE = 25;
    public const uint SE_SYNC_AGENT_PRIVILEGE = 26;
    public const uint SE_ENABLE_DELEGATION_PRIVILEGE = 27;
    public const uint SE_MANAGE_VOLUME_PRIVILEGE = 28;
    public const uint SE_IMPERSONATE_PRIVILEGE = 29;
    public const uint SE_CREATE_GLOBAL_PRIVILEGE = 30;
    public const uint SE_TRUSTED_CREDMAN_ACCESS_PRIVILEGE = 31;
    public const uint SE_RELABEL_PRIVILEGE = 32;
    public const uint SE_INC_WORKING_SET_PRIVILEGE = 33;
    public const uint SE_TIME_ZONE_PRIVILEGE = 34;
    public const uint SE_CREATE_SYMBOLIC_LINK_PRIVILEGE = 35;
    public const uint SE_DELEGATE_SESSION_USER_IMPERSONATE_PRIVILEGE = 36;
    public const uint SE_MAX_WELL_KNOWN_PRIVILEGE = 36;

    // ---- LUID_AND_ATTRIBUTES.Attributes ------------------------------------------------------------------
    public const uint SE_PRIVILEGE_ENABLED_BY_DEFAULT = 0x00000001;
    public const uint SE_PRIVILEGE_ENABLED = 0x00000002;
    public const uint SE_PRIVILEGE_REMOVED = 0x00000004;
    public const uint SE_PRIVILEGE_USED_FOR_ACCESS = 0x80000000;

    private static readonly ImmutableArray<string> s_names =
    [
        "SeCreateTokenPrivilege", "SeAssignPrimaryTokenPrivilege", "SeLockMemoryPrivilege", "SeIncreaseQuotaPrivilege",
        "SeMachineAccountPrivilege", "SeTcbPrivilege", "SeSecurityPrivilege", "SeTakeOwnershipPrivilege",
        "SeLoadDriverPrivilege", "SeSystemProfilePrivilege", "SeSystemtimePrivilege", "SeProfileSingleProcessPrivilege",
        "SeIncreaseBasePriorityPrivilege", "SeCreatePagefilePrivilege", "SeCreatePermanentPrivilege", "SeBackupPrivilege",
        "SeRestorePrivilege", "SeShutdownPrivilege", "SeDebugPrivilege", "SeAuditPrivilege",
        "SeSystemEnvironmentPrivilege", "SeChangeNotifyPrivilege", "SeRemoteShutdownPrivilege", "SeUndockPrivilege",
        "SeSyncAgentPrivilege", "SeEnableDelegationPrivilege", "SeManageVolumePrivilege", "SeImpersonatePrivilege",
        "SeCreateGlobalPrivilege", "SeTrustedCredManAccessPrivilege", "SeRelabelPrivilege", "SeIncreaseWorkingSetPrivilege",
        "SeTimeZonePrivilege", "SeCreateSymbolicLinkPrivilege", "SeDelegateSessionUserImpersonatePrivilege",
    ];

    /// <summary>The LUID of a well-known privilege (RtlConvertLongToLuid(SE_..._PRIVILEGE)).</summary>
    public static LUID Luid(uint privilege) => new(privilege, 0);

    /// <summary>LookupPrivilegeName: the privilege's name, or null for an unknown LUID.</summary>
    public static string? Name(LUID privilege) =>
        privilege.HighPart == 0 && privilege.LowPart is >= SE_MIN_WELL_KNOWN_PRIVILEGE and <= SE_MAX_WELL_KNOWN_PRIVILEGE
            ? s_names[(int)(privilege.LowPart - SE_MIN_WELL_KNOWN_PRIVILEGE)]
            : null;

    /// <summary>LookupPrivilegeValue: the LUID of a privilege name (case-insensitive), or null.</summary>
    public static LUID? FromName(string name)
    {
        for (var i = 0; i < s_names.Length; i++)
        {
            if (string.Equals(s_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return Luid((uint)i + SE_MIN_WELL_KNOWN_PRIVILEGE);
            }
        }

        return null;
    }
}
