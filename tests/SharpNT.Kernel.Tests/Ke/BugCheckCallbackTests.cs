using SharpNT.Kernel.Kd;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

/// <summary>KeRegisterBugCheckCallback: callbacks run at HIGH_LEVEL when the machine stops, and their buffers go into the dump.</summary>
public sealed class BugCheckCallbackTests
{
    private const string Driver = "crashdata.sys";

    private static Machine Boot(string? dumpPath = null) =>
        Machine.Boot(MachineDescription.Default with { Processors = 1 }, new MachineOptions { DumpPath = dumpPath, Console = TextWriter.Null });

    private static BugCheckInfo CrashAfter(Machine machine, Action setup) =>
        Assert.Throws<BugCheckException>(() => machine.Run(() => TestMachines.AsDriver(machine, Driver, "Work", () =>
        {
            setup();
            KeBugCheckEx((uint)BugCheckCode.MANUALLY_INITIATED_CRASH, 1, 2, 3, 4);
        }))).Info;

    private static ulong Buffer(uint bytes) => ExAllocatePool2(POOL_FLAG_NON_PAGED, bytes, PoolTag("BcCb"));

    [Fact]
    public void A_callback_runs_at_HIGH_LEVEL_and_its_buffer_is_recorded_with_the_bug_check()
    {
        using var machine = Boot();
        var record = new KBUGCHECK_CALLBACK_RECORD();
        ulong buffer = 0;
        var info = CrashAfter(machine, () =>
        {
            buffer = Buffer(16);
            KeInitializeCallbackRecord(record);
            Assert.True(KeRegisterBugCheckCallback(record, (b, length) =>
            {
                WriteMemory(b, KeGetCurrentIrql());
                WriteMemory(b + 8, 0x1122334455667788UL);
            }, buffer, 16, "CrashData"));
            Assert.False(KeRegisterBugCheckCallback(record, (b, length) => { }, buffer, 16, "Again"));
        });

        Assert.Equal((uint)BugCheckCode.MANUALLY_INITIATED_CRASH, info.Code);
        var data = Assert.Single(info.CallbackData);
        Assert.Equal("CrashData", data.Component);
        Assert.Equal(buffer, data.Buffer);
        Assert.Equal(KBUGCHECK_BUFFER_DUMP_STATE.BufferFinished, data.State);
        Assert.Equal(KBUGCHECK_BUFFER_DUMP_STATE.BufferFinished, record.State);
        Assert.Equal(Irql.HIGH_LEVEL, data.Data[0]);
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(data.Data, 8));
    }

    [Fact]
    public void The_last_registered_runs_first_a_deregistered_one_never_and_a_faulting_one_leaves_its_buffer_incomplete()
    {
        using var machine = Boot();
        var order = new List<string>();
        var info = CrashAfter(machine, () =>
        {
            var (first, second, gone, faulting) = (new KBUGCHECK_CALLBACK_RECORD(), new KBUGCHECK_CALLBACK_RECORD(),
                new KBUGCHECK_CALLBACK_RECORD(), new KBUGCHECK_CALLBACK_RECORD());
            KeRegisterBugCheckCallback(first, (b, l) => order.Add("first"), Buffer(8), 8, "First");
            KeRegisterBugCheckCallback(gone, (b, l) => order.Add("gone"), Buffer(8), 8, "Gone");
            KeRegisterBugCheckCallback(faulting, (b, l) =>
            {
                order.Add("faulting");
                ReadMemory<ulong>(0xFFFF_F000_DEAD_0000);
            }, Buffer(8), 8, "Faulting");
            KeRegisterBugCheckCallback(second, (b, l) => order.Add("second"), Buffer(8), 8, "Second");
            Assert.True(KeDeregisterBugCheckCallback(gone));
            Assert.False(KeDeregisterBugCheckCallback(gone));
        });

        Assert.Equal(["second", "faulting", "first"], order);
        Assert.Equal((uint)BugCheckCode.MANUALLY_INITIATED_CRASH, info.Code);
        Assert.Equal(
            [("Second", KBUGCHECK_BUFFER_DUMP_STATE.BufferFinished), ("Faulting", KBUGCHECK_BUFFER_DUMP_STATE.BufferIncomplete), ("First", KBUGCHECK_BUFFER_DUMP_STATE.BufferFinished)],
            info.CallbackData.Select(c => (c.Component, c.State)));
    }

    [Fact]
    public void The_dump_carries_the_buffers_and_bugdump_shows_them_as_on_the_live_machine()
    {
        var dump = Path.Combine(Path.GetTempPath(), $"sharpnt-bugdump-{Guid.NewGuid():N}.json");
        try
        {
            using var machine = Boot(dump);
            var info = CrashAfter(machine, () =>
            {
                var record = new KBUGCHECK_CALLBACK_RECORD();
                KeRegisterBugCheckCallback(record, (b, l) =>
                {
                    for (var i = 0UL; i < l; i++)
                    {
                        WriteMemory(b + i, (byte)(0xA0 + i));
                    }
                }, Buffer(20), 20, "CrashData");
            });

            var live = new KernelDebugger(new LiveTarget(machine)).Execute("!bugdump CrashData");
            var fromDump = new KernelDebugger(new DumpTarget(CrashDump.Read(dump))).Execute("!bugdump crashdata");
            Assert.Equal(live, fromDump);
            var buffer = info.CallbackData[0].Buffer;
            Assert.Contains($"component 'CrashData' (BufferFinished), buffer {buffer:x16}, 20 bytes:", fromDump, StringComparison.Ordinal);
            Assert.Contains($"  {buffer:x16}  a0a1a2a3a4a5a6a7a8a9aaabacadaeaf\n  {buffer + 16:x16}  b0b1b2b3\n", fromDump, StringComparison.Ordinal);
            Assert.Contains("No bug check callback data for component 'Other'.", new KernelDebugger(new DumpTarget(CrashDump.Read(dump))).Execute("!bugdump Other"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(dump);
        }
    }
}
