using SharpNT.Kernel;

namespace SharpNT.Cli.Demos;

/// <summary>A scenario's machine description and the host resources (files) to remove when it is done.</summary>
internal sealed record ScenarioSetup(MachineDescription Description, IDisposable? Resources);
