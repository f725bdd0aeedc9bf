namespace SharpNT.Kernel.Se;

/// <summary>
/// The well-known SIDs (winnt.h SECURITY_*_RID values, the SeExports table ntoskrnl publishes) and the
/// account domain of the simulated machine. Each is immutable, so sharing them across machines is safe.
/// </summary>
public static class WellKnownSids
{
    /// <summary>SECURITY_NULL_SID_AUTHORITY.</summary>
    public const ulong SECURITY_NULL_SID_AUTHORITY = 0;

    /// <summary>SECURITY_WORLD_SID_AUTHORITY.</summary>
    public const ulong SECURITY_WORLD_SID_AUTHORITY = 1;

    /// <summary>SECURITY_LOCAL_SID_AUTHORITY.</summary>
    public const ulong SECURITY_LOCAL_SID_AUTHORITY = 2;

    /// <summary>SECURITY_CREATOR_SID_AUTHORITY.</summary>
    public const ulong SECURITY_CREATOR_SID_AUTHORITY = 3;

    /// <summary>SECURITY_NT_AUTHORITY.</summary>
    public const ulong SECURITY_NT_AUTHORITY = 5;

    /// <summary>SECURITY_MANDATORY_LABEL_AUTHORITY.</summary>
    public const ulong SECURITY_MANDATORY_LABEL_AUTHORITY = 16;

    public const uint SECURITY_INTERACTIVE_RID = 4;
    public const uint SECURITY_SERVICE_RID = 6;
    public const uint SECURITY_AUTHENTICATED_USER_RID = 11;
    public const uint SECURITY_LOCAL_SYSTEM_RID = 18;
    public const uint SECURITY_LOCAL_SERVICE_RID = 19;
    public const uint SECURITY_NETWORK_SERVICE_RID = 20;
    public const uint SECURITY_NT_NON_UNIQUE = 21;
    public const uint SECURITY_BUILTIN_DOMAIN_RID = 32;
    public const uint DOMAIN_USER_RID_ADMIN = 500;
    public const uint DOMAIN_USER_RID_GUEST = 501;
    public const uint DOMAIN_ALIAS_RID_ADMINS = 544;
    public const uint DOMAIN_ALIAS_RID_USERS = 545;
    public const uint DOMAIN_ALIAS_RID_GUESTS = 546;
    public const uint DOMAIN_ALIAS_RID_POWER_USERS = 547;

    /// <summary>S-1-0-0, the NULL SID.</summary>
    public static SID Null { get; } = new(SECURITY_NULL_SID_AUTHORITY, 0);

    /// <summary>S-1-1-0, Everyone (SeWorldSid).</summary>
    public static SID World { get; } = new(SECURITY_WORLD_SID_AUTHORITY, 0);

    /// <summary>S-1-2-0, LOCAL.</summary>
    public static SID Local { get; } = new(SECURITY_LOCAL_SID_AUTHORITY, 0);

    /// <summary>S-1-3-0, CREATOR OWNER.</summary>
    public static SID CreatorOwner { get; } = new(SECURITY_CREATOR_SID_AUTHORITY, 0);

    /// <summary>S-1-3-1, CREATOR GROUP.</summary>
    public static SID CreatorGroup { get; } = new(SECURITY_CREATOR_SID_AUTHORITY, 1);

    /// <summary>S-1-5-4, INTERACTIVE.</summary>
    public static SID Interactive { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_INTERACTIVE_RID);

    /// <summary>S-1-5-6, SERVICE.</summary>
    public static SID Service { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_SERVICE_RID);

    /// <summary>S-1-5-11, Authenticated Users (SeAuthenticatedUsersSid).</summary>
    public static SID AuthenticatedUsers { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_AUTHENTICATED_USER_RID);

    /// <summary>S-1-5-18, Local System (SeLocalSystemSid).</summary>
    public static SID LocalSystem { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_LOCAL_SYSTEM_RID);

    /// <summary>S-1-5-19, LOCAL SERVICE (SeLocalServiceSid).</summary>
    public static SID LocalService { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_LOCAL_SERVICE_RID);

    /// <summary>S-1-5-20, NETWORK SERVICE (SeNetworkServiceSid).</summary>
    public static SID NetworkService { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_NETWORK_SERVICE_RID);

    /// <summary>S-1-5-32-544, BUILTIN\Administrators (SeAliasAdminsSid).</summary>
    public static SID BuiltinAdministrators { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS);

    /// <summary>S-1-5-32-545, BUILTIN\Users (SeAliasUsersSid).</summary>
    public static SID BuiltinUsers { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS);

    /// <summary>S-1-5-32-546, BUILTIN\Guests (SeAliasGuestsSid).</summary>
    public static SID BuiltinGuests { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_GUESTS);

    /// <summary>S-1-5-32-547, BUILTIN\Power Users.</summary>
    public static SID BuiltinPowerUsers { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_POWER_USERS);

    /// <summary>
    /// The simulated machine's account domain, S-1-5-21-a-b-c. Real machines draw the three numbers at setup;
    /// SharpNT fixes them so that a run replays with the same account SIDs.
    /// </summary>
    public static SID AccountDomain { get; } = new(SECURITY_NT_AUTHORITY, SECURITY_NT_NON_UNIQUE, 2718281828, 3141592653, 1618033988);

    /// <summary>A local account's SID: the account domain followed by <paramref name="rid"/>.</summary>
    public static SID Account(uint rid) => AccountDomain.WithRid(rid);
}
