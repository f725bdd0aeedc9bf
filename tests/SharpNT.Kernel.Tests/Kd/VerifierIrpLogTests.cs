using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Tests.Kd;

/// <summary>!verifier's IRP log (verifier flag 0x400): live, with <c>!verifier 0x100</c>, and from a crash dump.</summary>
public sealed class VerifierIrpLogTests
{
    [Fact]
    public void Verifier_shows_the_IRP_log_of_each_logged_device_live_and_from_the_dump()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-irplog-{Guid.NewGuid():N}.json");
        try
        {
            using var m = DebuggerMachine.Boot(dumpPath: dump, verifier: VerifierSettings.Parse("/flags 0x400 /driver pendtimer.sys"));
            var logged = m.Machine.Verifier.IrpLog(m.PendDevice);
            Assert.Equal(3, logged.Count);
            var live = m.Live();
            var text = live.Execute("!verifier");

            Assert.Contains("[X] (0x00000400) IRP logging", text, StringComparison.Ordinal);
            Assert.Contains($"DeviceObject {m.PendDevice:x16} \\Device\\PendingTimer (\\Driver\\pendtimer): 3 of 3 entries", text, StringComparison.Ordinal);
            foreach (var irp in new[] { m.Pended[0].Irp, m.Pended[1].Irp, m.Deep.Irp })
            {
                Assert.Matches(new Regex($@"\n    \d+ +[0-9a-f]{{16}}  {irp:x16}  IRP_MJ_READ\(3\) 0 +- +00000103 STATUS_PENDING\n"), text);
            }

            // 0x100 Address: the entries of that IRP only; 0x100 Quantity: the last Quantity of each device.
            var one = live.Execute($"!verifier 0x100 {m.Pended[1].Irp:x}");
            Assert.Contains("1 of 3 entries", one, StringComparison.Ordinal);
            Assert.Contains(m.Pended[1].Irp.ToString("x16"), one, StringComparison.Ordinal);
            Assert.DoesNotContain(m.Pended[0].Irp.ToString("x16"), one, StringComparison.Ordinal);
            Assert.DoesNotContain("Verify Flags Level", one, StringComparison.Ordinal);
            var last = live.Execute("!verifier 0x100 1");
            Assert.Contains(m.Deep.Irp.ToString("x16"), last, StringComparison.Ordinal);
            Assert.DoesNotContain(m.Pended[1].Irp.ToString("x16"), last, StringComparison.Ordinal);
            Assert.Equal("IRP Log (the last 32 IRPs sent to each verified device, oldest first)\n\nNo IRP log entry for fffffa8012345678.\n",
                live.Execute("!verifier 0x100 fffffa8012345678"));

            // The dump carries the log: kd -z answers the same.
            m.Crash();
            var fromDump = new KernelDebugger(new DumpTarget(CrashDump.Read(dump)));
            foreach (var command in new[] { "!verifier", "!verifier 0x100", $"!verifier 0x100 {m.Pended[1].Irp:x}", "!verifier 0x100 2" })
            {
                Assert.Equal(live.Execute(command), fromDump.Execute(command));
            }

            Assert.Contains("3 of 3 entries", fromDump.Execute("!verifier"), StringComparison.Ordinal);

            // A dump written before the log was recorded still loads; its !verifier shows no log.
            var root = JsonNode.Parse(File.ReadAllText(dump))!;
            Assert.True(root["machineState"]!["verifier"]!.AsObject().Remove("irpLogs"));
            File.WriteAllText(dump, root.ToJsonString());
            var oldText = new KernelDebugger(new DumpTarget(CrashDump.Read(dump))).Execute("!verifier 0x100");
            Assert.Contains("No IRP has been logged.", oldText, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public void Verifier_0x100_says_when_IRP_logging_is_off()
    {
        using var m = DebuggerMachine.Boot(verifier: VerifierSettings.Parse("/flags 0x8 /driver pendtimer.sys"));
        Assert.Equal("IRP logging (0x400) is not enabled: no IRP log.\n", m.Live().Execute("!verifier 0x100"));
        Assert.DoesNotContain("IRP Log", m.Live().Execute("!verifier"), StringComparison.Ordinal);
    }
}
