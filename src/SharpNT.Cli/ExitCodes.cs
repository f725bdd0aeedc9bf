namespace SharpNT.Cli;

/// <summary>The exit statuses of sharpnt, as the README documents them.</summary>
internal static class ExitCodes
{
    /// <summary>The run ended normally (for demo: every scenario behaved as it should).</summary>
    public const int Success = 0;

    /// <summary>A scenario did not behave as it should, or a program failed.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or input file (a machine description, a dump).</summary>
    public const int BadInput = 2;

    /// <summary>The simulated machine stopped with a bug check (a blue screen was printed).</summary>
    public const int BugCheck = 3;

    /// <summary>The simulated machine hung: every thread waits and nothing can wake one.</summary>
    public const int Hung = 4;
}
