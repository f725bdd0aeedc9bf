namespace SharpNT.Kernel.Se;

/// <summary>
/// The subject of an access check (wdm.h SECURITY_SUBJECT_CONTEXT): the thread's impersonation token, if
/// any, and its process's primary token. Checks use the client token when there is one.
/// </summary>
public sealed class SECURITY_SUBJECT_CONTEXT
{
    public SECURITY_SUBJECT_CONTEXT(TOKEN primaryToken, TOKEN? clientToken = null)
    {
        ArgumentNullException.ThrowIfNull(primaryToken);
        PrimaryToken = primaryToken;
        ClientToken = clientToken;
    }

    /// <summary>SECURITY_SUBJECT_CONTEXT.ClientToken: the impersonation token, or null.</summary>
    public TOKEN? ClientToken { get; }

    /// <summary>SECURITY_SUBJECT_CONTEXT.PrimaryToken.</summary>
    public TOKEN PrimaryToken { get; }

    /// <summary>SeQuerySubjectContextToken: the token access checks use.</summary>
    public TOKEN EffectiveToken => ClientToken ?? PrimaryToken;
}
