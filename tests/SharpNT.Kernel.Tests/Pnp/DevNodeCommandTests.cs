using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Tests.Pnp;

public sealed class DevNodeCommandTests
{
    [Fact]
    public void Devnode_dumps_the_tree_from_the_root_and_a_crash_dump_answers_the_same()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharpnt-devnode-{Guid.NewGuid():N}.json");
        try
        {
            using var m = new PnpMachine(dumpPath: path);
            m.Plug();
            var toaster = Assert.Single(m.Toasters);
            Assert.Throws<BugCheckException>(() => m.Machine.Run(() =>
                Ddi.Wdm.KeBugCheckEx((uint)BugCheckCode.MANUALLY_INITIATED_CRASH, 0, 0, 0, 0)));
            var live = new KernelDebugger(new LiveTarget(m.Machine)).Execute("!devnode 0 1");
            Assert.StartsWith("Dumping IopRootDeviceNode", live, StringComparison.Ordinal);
            Assert.Contains("  InstancePath is \"HTREE\\ROOT\\0\"", live, StringComparison.Ordinal);
            Assert.Contains("    InstancePath is \"ROOT\\BUSENUM\\0000\"", live, StringComparison.Ordinal);
            Assert.Contains("    ServiceName is \"busenum\"", live, StringComparison.Ordinal);
            Assert.Contains($"      InstancePath is \"{toaster.InstancePath}\"", live, StringComparison.Ordinal);
            Assert.Contains($"    DevNode for PDO {toaster.PhysicalDeviceObject.Address:x16}", live, StringComparison.Ordinal);
            Assert.Contains("State = DeviceNodeStarted (0x308)", live, StringComparison.Ordinal);
            Assert.Equal(live, new KernelDebugger(new DumpTarget(CrashDump.Read(path))).Execute("!devnode 0 1"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
