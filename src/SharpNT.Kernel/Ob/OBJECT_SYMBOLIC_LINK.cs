using System.Diagnostics;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// A symbolic link's body (OBJECT_SYMBOLIC_LINK): the name it stands for. Looking up a name through the
/// link substitutes the target for the link's part of the name and reparses ("\??\C:\x" through "C:" to
/// "\Device\HarddiskVolume1" becomes "\Device\HarddiskVolume1\x").
/// </summary>
[DebuggerDisplay("OBJECT_SYMBOLIC_LINK -> {LinkTarget}")]
internal sealed class OBJECT_SYMBOLIC_LINK
{
    internal OBJECT_SYMBOLIC_LINK(string linkTarget, long creationTime)
    {
        LinkTarget = linkTarget;
        CreationTime = creationTime;
    }

    internal string LinkTarget { get; }

    /// <summary>System time (100 ns units since 1601) at creation.</summary>
    internal long CreationTime { get; }
}
