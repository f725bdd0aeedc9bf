namespace SharpNT.Kernel.Se;

/// <summary>winnt.h TOKEN_TYPE.</summary>
public enum TOKEN_TYPE
{
    TokenPrimary = 1,
    TokenImpersonation = 2,
}
