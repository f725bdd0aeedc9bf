using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Tests.Kd;

/// <summary>The same engine against a crash dump: the dump carries what the commands read.</summary>
public sealed class DumpDebuggerTests
{
    [Fact]
    public void Every_command_answers_from_the_dump_exactly_as_from_the_machine_it_was_taken_of()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-kd-{Guid.NewGuid():N}.json");
        try
        {
            using var m = DebuggerMachine.Boot(dumpPath: dump);
            m.Crash();
            var live = m.Live();
            var fromDump = new KernelDebugger(new DumpTarget(CrashDump.Read(dump)));
            var irp = m.Pended[0].Irp;
            string[] commands =
            [
                @"!devstack \Device\SampleFunction", $"!devstack {m.Lower:x}", $"!devobj {m.Function:x}", @"!devobj \Device\PendingTimer",
                "!drvobj samplefn 7", $"!drvobj {m.FunctionDriver:x} 2", $"!irp {irp:x}", $"!irp {m.Pended[1].Irp:x}", "!irpfind",
                @"!object \Device", @"!object \Driver", @"!object \??\Sample", $"!object {m.Function:x}", $"!pool {irp:x}",
                $"!pool {m.Function:x}", "!verifier", "lm", "k", "!irql", "!analyze -v", "!poolused", "!devnode",
                "!irp 1234", "!object \\Nope",
            ];
            foreach (var command in commands)
            {
                var expected = live.Execute(command);
                Assert.Equal(expected, fromDump.Execute(command));
            }

            // And the answers are the real ones, not two empty ones.
            Assert.Contains($"> {m.Function:x16}", fromDump.Execute(@"!devstack \Device\SampleFunction"), StringComparison.Ordinal);
            Assert.Contains(">[IRP_MJ_READ(3), N/A(0)]", fromDump.Execute($"!irp {irp:x}"), StringComparison.Ordinal);
            Assert.Contains("SampleFunction", fromDump.Execute(@"!object \Device"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void A_dump_without_the_machine_state_still_loads_and_the_commands_say_what_it_lacks()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-kd-old-{Guid.NewGuid():N}.json");
        try
        {
            using var m = DebuggerMachine.Boot();
            m.Crash();

            // The bug check record alone, as dumps were written before they carried the machine state.
            CrashDump.Write(m.Machine.BugCheckInfo!, path);
            Assert.DoesNotContain("machineState", File.ReadAllText(path), StringComparison.Ordinal);
            var kd = new KernelDebugger(new DumpTarget(CrashDump.Read(path)));

            Assert.Equal("This crash dump does not record device objects (it was written before SharpNT dumps carried them).\n",
                kd.Execute(@"!devstack \Device\SampleFunction"));
            Assert.Contains("does not record IRPs", kd.Execute($"!irp {m.Pended[0].Irp:x}"), StringComparison.Ordinal);
            Assert.Contains("does not record the object namespace", kd.Execute(@"!object \Device"), StringComparison.Ordinal);
            Assert.Contains("does not record pool pages", kd.Execute("!pool fffffa8004000000"), StringComparison.Ordinal);
            Assert.Contains("does not record driver objects", kd.Execute("!drvobj samplefn"), StringComparison.Ordinal);
            Assert.Contains("does not record the verifier settings", kd.Execute("!verifier"), StringComparison.Ordinal);
            Assert.Contains("MANUALLY_INITIATED_CRASH (e2)", kd.Execute("!analyze -v"), StringComparison.Ordinal);
            Assert.Contains("pendtimer", kd.Execute("lm"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("\"stackSize\": 2", "\"stackSize\": \"two\"")]
    [InlineData("\"blocks\": [", "\"blocks\": [\"zz\",")]
    [InlineData("\"currentIrp\": \"0x", "\"currentIrp\": \"0x1FFFFFFFFFFFFFFFFF")]
    public void A_dump_whose_machine_state_is_malformed_is_refused_with_a_clear_error(string field, string replacement)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-kd-bad-{Guid.NewGuid():N}.json");
        try
        {
            using (var m = DebuggerMachine.Boot(dumpPath: path))
            {
                m.Crash();
            }

            var text = File.ReadAllText(path);
            Assert.Contains(field, text, StringComparison.Ordinal);
            File.WriteAllText(path, text.Replace(field, replacement, StringComparison.Ordinal));
            var e = Assert.Throws<InvalidDataException>(() => CrashDump.Read(path));
            Assert.Contains("malformed crash dump", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
