using SharpNT.Kernel.Hal;
using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Hal;

/// <summary>The HAL: interrupts delivered at the device IRQL, KeSynchronizeExecution, registers, the PCI bus, DMA.</summary>
public sealed class HalTests
{
    private static ulong Plug(Machine machine, out int line)
    {
        line = machine.Hal.NextInterruptLine;
        var device = new TestInterruptDevice(machine.Hal, machine.Hal.NextRegisterBase, line);
        machine.Hal.AddDevice(device, line);
        return device.RegisterBase;
    }

    [Fact]
    public void A_device_interrupt_runs_the_ISR_at_its_DIRQL_right_after_the_register_write_and_its_DPC_after()
    {
        using var machine = TestMachines.Boot();
        var log = machine.Run(() =>
        {
            var log = new List<string>();
            var physical = Plug(machine, out var line);
            var registers = MmMapIoSpace(new LARGE_INTEGER((long)physical), 0x1000, MmNonCached);
            var vector = HalGetInterruptVector(PCIBus, 0, (uint)line, (uint)line, out var irql, out var affinity);
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (d, c, a, b) => log.Add($"dpc at {KeGetCurrentIrql()}"), null);
            Assert.Equal(STATUS_SUCCESS, IoConnectInterrupt(out var interrupt, (i, ctx) =>
            {
                log.Add($"isr at {KeGetCurrentIrql()}");
                WRITE_REGISTER_ULONG(registers, 0); // dismiss the device
                KeInsertQueueDpc(dpc, null, null);
                return true;
            }, null, null, vector, irql, irql, LevelSensitive, false, affinity, false));
            Assert.Equal(7, irql);
            Assert.Equal(0x70u + (uint)line, vector);

            log.Add("before");
            WRITE_REGISTER_ULONG(registers, 1);
            log.Add("after");

            // Inside KeSynchronizeExecution the processor is at the ISR's IRQL: the interrupt waits until it returns.
            KeSynchronizeExecution(interrupt!, _ =>
            {
                WRITE_REGISTER_ULONG(registers, 1);
                log.Add($"synchronized at {KeGetCurrentIrql()}");
                return true;
            }, null);
            log.Add("done");
            IoDisconnectInterrupt(interrupt!);
            return log;
        });

        Assert.Equal(["before", "isr at 7", "dpc at 2", "after", "synchronized at 7", "isr at 7", "dpc at 2", "done"], log);
    }

    [Fact]
    public void The_Chrome_trace_shows_the_ISR_and_its_DPC_as_instants_with_their_processor_and_IRQL()
    {
        using var machine = TestMachines.Boot();
        machine.StartTrace();
        machine.Run(() =>
        {
            var physical = Plug(machine, out var line);
            var registers = MmMapIoSpace(new LARGE_INTEGER((long)physical), 0x1000, MmNonCached);
            var vector = HalGetInterruptVector(PCIBus, 0, (uint)line, (uint)line, out var irql, out var affinity);
            var dpc = new KDPC();
            KeInitializeDpc(dpc, (d, c, a, b) => { }, null, "TestDpc");
            IoConnectInterrupt(out _, (i, ctx) =>
            {
                WRITE_REGISTER_ULONG(registers, 0);
                KeInsertQueueDpc(dpc, null, null);
                return true;
            }, null, null, vector, irql, irql, LevelSensitive, false, affinity, false, "TestIsr");
            WRITE_REGISTER_ULONG(registers, 1);
        });
        var path = Path.GetTempFileName();
        try
        {
            machine.WriteTrace(path);
            var json = File.ReadAllText(path);
            var isr = json.IndexOf("\"ISR TestIsr (vector 0x70)\"", StringComparison.Ordinal);
            var dpc = json.IndexOf("\"DPC TestDpc\"", StringComparison.Ordinal);
            Assert.True(isr > 0 && dpc > isr, json);
            Assert.Matches("cpu[0-9] at DIRQL 7", json);
            Assert.Matches("cpu[0-9] at DISPATCH_LEVEL", json);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void IoConnectInterrupt_refuses_bad_IRQLs_a_foreign_vector_and_a_vector_taken_without_sharing()
    {
        using var machine = TestMachines.Boot();
        var results = machine.Run(() =>
        {
            Plug(machine, out var line);
            var vector = HalGetInterruptVector(PCIBus, 0, (uint)line, (uint)line, out var irql, out var affinity);
            KSERVICE_ROUTINE isr = (i, c) => false;
            return new[]
            {
                IoConnectInterrupt(out _, isr, null, null, vector, irql, (byte)(irql - 1), LevelSensitive, false, affinity, false),
                IoConnectInterrupt(out _, isr, null, null, 0x30, 3, 3, LevelSensitive, false, affinity, false),
                IoConnectInterrupt(out _, isr, null, null, vector, irql, irql, LevelSensitive, false, 0, false),
                IoConnectInterrupt(out _, isr, null, null, vector, irql, irql, LevelSensitive, false, affinity, false),
                IoConnectInterrupt(out _, isr, null, null, vector, irql, irql, LevelSensitive, true, affinity, false),
            };
        });

        Assert.Equal([STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER, STATUS_SUCCESS, STATUS_INVALID_PARAMETER],
            results);
    }

    [Fact]
    public void Connecting_an_interrupt_above_PASSIVE_LEVEL_is_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            Plug(machine, out var line);
            var vector = HalGetInterruptVector(PCIBus, 0, (uint)line, (uint)line, out var irql, out var affinity);
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            IoConnectInterrupt(out _, (i, c) => false, null, null, vector, irql, irql, LevelSensitive, false, affinity, false);
        }));
        Assert.Equal(0x0Au, e.Info.Code);
        Assert.Equal(2UL, e.Info.Parameter2);
    }

    [Fact]
    public void An_ISR_that_never_dismisses_its_level_triggered_device_is_an_interrupt_storm()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var physical = Plug(machine, out var line);
            var registers = MmMapIoSpace(new LARGE_INTEGER((long)physical), 0x1000, MmNonCached);
            var vector = HalGetInterruptVector(PCIBus, 0, (uint)line, (uint)line, out var irql, out var affinity);
            IoConnectInterrupt(out _, (i, c) => true, null, null, vector, irql, irql, LevelSensitive, false, affinity, false);
            WRITE_REGISTER_ULONG(registers, 1);
        }));
        Assert.Equal(0xF2u, e.Info.Code);
        Assert.Equal(1UL, e.Info.Parameter4);
        Assert.NotEqual(0UL, e.Info.Parameter1);
    }

    [Fact]
    public void A_register_access_where_no_device_is_mapped_is_a_page_fault_in_nonpaged_area()
    {
        using var machine = TestMachines.Boot();
        var (unmapped, _) = (machine.Run(() => MmMapIoSpace(new LARGE_INTEGER(0x7_0000_0000), 4, MmNonCached)), 0);
        Assert.Equal(0UL, unmapped);
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => READ_REGISTER_ULONG(0xFFFFF8FF_00F00000UL)));
        Assert.Equal(0x50u, e.Info.Code);
        Assert.Equal(0xFFFFF8FF_00F00000UL, e.Info.Parameter1);
        Assert.Equal(0UL, e.Info.Parameter2);
    }

    [Fact]
    public void PCI_configuration_space_reads_the_device_and_an_empty_slot_reads_as_no_vendor()
    {
        using var machine = TestMachines.Boot();
        var (empty, emptyVendor, noBus) = machine.Run(() =>
        {
            var buffer = new byte[64];
            var got = HalGetBusDataByOffset(PCIConfiguration, 0, 5, buffer, 0);
            var missingBus = HalGetBusDataByOffset(PCIConfiguration, 3, 0, buffer.AsSpan(0, 4), 0);
            return (got, BitConverter.ToUInt16(buffer), missingBus);
        });
        Assert.Equal(2u, empty);
        Assert.Equal(PCI_INVALID_VENDORID, emptyVendor);
        Assert.Equal(0u, noBus);
    }

    [Fact]
    public void A_scatter_gather_list_describes_each_page_by_its_physical_frame_and_merges_adjacent_frames()
    {
        var console = new StringWriter();
        using var machine = TestMachines.Boot(console: console);
        var (elements, pages, commonOk) = RunShowing(machine, console, () =>
        {
            var adapter = IoGetDmaAdapter(default, new DEVICE_DESCRIPTION { Master = true, ScatterGather = true, Dma64BitAddresses = true, MaximumLength = 65536 },
                out var mapRegisters);
            Assert.NotNull(adapter);
            Assert.Equal(17u, mapRegisters);
            var buffer = ExAllocatePool2(POOL_FLAG_NON_PAGED, 5 * 4096, PoolTag("Test"));
            var mdl = IoAllocateMdl(buffer + 100, 4 * 4096, false, false, 0);
            MmBuildMdlForNonPagedPool(mdl);

            var expected = Enumerable.Range(0, 5).Select(p => (ulong)MmGetPhysicalAddress(buffer + ((ulong)p * 4096)).QuadPart).ToList();
            var got = new List<(ulong Address, uint Length)>();
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            Assert.Equal(STATUS_SUCCESS, adapter.DmaOperations.GetScatterGatherList(adapter, default, mdl, buffer + 100, 4 * 4096,
                (device, irp, list, context) =>
                {
                    for (uint i = 0; i < list.NumberOfElements; i++)
                    {
                        got.Add(((ulong)list.ElementAddress(i).QuadPart, list.ElementLength(i)));
                    }

                    adapter.DmaOperations.PutScatterGatherList(adapter, list, false);
                }, null, false));
            KeLowerIrql(old);
            IoFreeMdl(mdl);

            var common = adapter.DmaOperations.AllocateCommonBuffer(adapter, 4096, out var logical, false);
            var ok = common != 0 && (ulong)logical.QuadPart == (ulong)MmGetPhysicalAddress(common).QuadPart && (logical.QuadPart & 0xFFF) == 0;
            adapter.DmaOperations.FreeCommonBuffer(adapter, 4096, logical, common, false);
            return (got, expected, ok);
        });

        Assert.Equal(4u * 4096, (uint)elements.Sum(e => e.Length));
        Assert.Equal(pages[0] + 100, elements[0].Address);

        // Every byte of the transfer maps to the frame its page is in.
        ulong offset = 100;
        foreach (var (address, length) in elements)
        {
            for (ulong b = 0; b < length; b += 512)
            {
                var at = offset + b;
                Assert.Equal(pages[(int)(at / 4096)] + (at % 4096), address + b);
            }

            offset += length;
        }

        Assert.True(commonOk);
    }

    private static T RunShowing<T>(Machine machine, StringWriter console, Func<T> body)
    {
        try
        {
            return machine.Run(body);
        }
        catch (BugCheckException)
        {
            Assert.Fail(console.ToString());
            throw;
        }
    }

    [Fact]
    public void The_performance_counter_runs_at_10_MHz_and_a_stall_moves_the_virtual_clock_by_its_length()
    {
        using var machine = TestMachines.Boot();
        var (frequency, elapsed) = machine.Run(() =>
        {
            var before = KeQueryPerformanceCounter(out var f);
            KeStallExecutionProcessor(40);
            var after = KeQueryPerformanceCounter(out _);
            return (f.QuadPart, after.QuadPart - before.QuadPart);
        });
        Assert.Equal(10_000_000L, frequency);
        Assert.True(elapsed >= 400, $"40 µs are 400 ticks, the counter moved {elapsed}");
    }
}
