using SharpNT.Cli;

namespace SharpNT.Kernel.Tests.Cli;

/// <summary>Runs sharpnt in-process the way a person runs it from a shell: arguments in, text and exit status out.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Out, string Error) Run(params string[] args) => RunWithInput("", args);

    /// <summary>Runs sharpnt with <paramref name="input"/> as its standard input (for interactive verbs).</summary>
    public static (int ExitCode, string Out, string Error) RunWithInput(string input, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = SharpNtCommand.Create(stdout, stderr, new StringReader(input)).Parse(args).Invoke();
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
