using System.Diagnostics;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;

namespace SharpNT.Cli;

/// <summary>
/// `sharpnt bench irp`: the IRP round-trip figure measured in-process, for anyone without BenchmarkDotNet
/// (the benchmark project measures the same operation with a baseline beside it).
/// </summary>
internal static class BenchCommand
{
    public static int Irp(TextWriter output, int layers, int count, string? verifier)
    {
        var options = new MachineOptions { Verifier = verifier is null ? SharpNT.Kernel.Vf.VerifierSettings.None : SharpNT.Kernel.Vf.VerifierSettings.Parse(verifier) };
        using var machine = Machine.Boot(MachineDescription.Default with { Processors = 1 }, options);
        using var attachment = machine.AttachHostThread();
        var top = IrpRoundTrip.BuildStack(machine, layers);

        // Warm up: JIT, lookaside lists, thunk tables.
        for (var i = 0; i < 20_000; i++)
        {
            IrpRoundTrip.Send(top);
        }

        var best = double.MaxValue;
        long allocated = 0;
        for (var round = 0; round < 5; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                IrpRoundTrip.Send(top);
            }

            watch.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / count);
        }

        output.WriteLine($"IRP round trip through {layers} devices (allocate, IoCallDriver down with a completion routine per layer,");
        output.WriteLine($"IoCompleteRequest at the bottom, routines back up, free){(verifier is null ? "" : $" with the verifier \"{verifier}\"")}, best of 5 runs:");
        output.WriteLine($"  {best:F1} ns per IRP ({best / layers:F1} ns per layer), {(double)allocated / count:F1} managed bytes allocated per IRP");
        return ExitCodes.Success;
    }
}
