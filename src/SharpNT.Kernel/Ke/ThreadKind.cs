using System.Diagnostics;

namespace SharpNT.Kernel.Ke;

/// <summary>What a thread is for; decides which bug check an unhandled exception becomes.</summary>
internal enum ThreadKind
{
    /// <summary>The host thread that drives a machine through Machine.Run: a system thread.</summary>
    Initial,

    /// <summary>Created by PsCreateSystemThread.</summary>
    System,

    /// <summary>A user-mode program's thread, in the kernel only during a system service.</summary>
    User,

    /// <summary>A processor's idle thread; runs DPCs when no thread holds its processor.</summary>
    Idle,
}
