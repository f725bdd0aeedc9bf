using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Cli.Demos;

/// <summary>One demo scenario: what it shows, and how it drives a booted machine.</summary>
internal abstract class Scenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The stop code the scenario is meant to end with, or null if it should end normally.</summary>
    public virtual BugCheckCode? ExpectedBugCheck => null;

    /// <summary>
    /// The Driver Verifier settings the scenario runs with (as `verifier` takes them) unless the command line
    /// gives its own with --verifier; null for none.
    /// </summary>
    public virtual string? Verifier => null;

    /// <summary>
    /// What the scenario needs before the machine boots (disk images, say): the description to boot and what
    /// to clean up after the run.
    /// </summary>
    public virtual ScenarioSetup Prepare(MachineDescription description) => new(description, null);

    /// <summary>Runs the scenario in <paramref name="machine"/>, writing its trace to <paramref name="output"/>.</summary>
    public abstract void Run(Machine machine, TextWriter output);
}
