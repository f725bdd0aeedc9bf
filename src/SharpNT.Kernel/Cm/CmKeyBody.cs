using System.Diagnostics;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// The body of a Key object (CM_KEY_BODY): what one open of a registry key gives, and what a key handle
/// refers to. Every open makes a new one, as CmpParseKey does, all of them naming the one
/// <see cref="CmKey"/> of the key; so closing a handle never touches the key, and a deleted key is seen
/// through every body that names it.
/// </summary>
[DebuggerDisplay("CM_KEY_BODY {Key.FullPath,nq}")]
internal sealed class CmKeyBody(CmKey key)
{
    /// <summary>The key this open refers to.</summary>
    internal CmKey Key { get; } = key;
}
