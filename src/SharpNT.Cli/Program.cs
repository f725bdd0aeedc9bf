using System.CommandLine;

namespace SharpNT.Cli;

internal static class Program
{
    private static int Main(string[] args) => SharpNtCommand.Create(Console.Out, Console.Error).Parse(args).Invoke();
}
