namespace SharpNT.Cli.Demos;

/// <summary>Every demo scenario, in the order `sharpnt demo` runs them.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new SchedulerScenario(),
        new IrpStackScenario(),
        new PendingReadsScenario(),
        new PagedPoolAtDispatchScenario(),
        new IoctlScenario(),
        new UserCrashScenario(),
        new ReadFileScenario(),
        new MissingMarkPendingScenario(),
        new DoubleCompletionScenario(),
        new PoolLeakScenario(),
        new ListCorruptionScenario(),
        new LockOrderInversionScenario(),
        new BufferOverrunScenario(),
        new WaitAtDispatchScenario(),
        new NeitherFromDpcScenario(),
        new HotPlugScenario(),
    ];

    public static Scenario? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
