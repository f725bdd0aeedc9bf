using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ke;

public sealed class IrqlTests
{
    [Fact]
    public void Raise_and_lower_change_the_current_processors_irql()
    {
        using var machine = TestMachines.Boot();
        var seen = machine.Run(() =>
        {
            var before = KeGetCurrentIrql();
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            var during = KeGetCurrentIrql();
            KeLowerIrql(old);
            return (before, old, during, after: KeGetCurrentIrql());
        });

        Assert.Equal((PASSIVE_LEVEL, PASSIVE_LEVEL, DISPATCH_LEVEL, PASSIVE_LEVEL), seen);
    }

    [Fact]
    public void Raising_to_a_lower_irql_is_IRQL_NOT_GREATER_OR_EQUAL_with_current_and_requested()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            KeRaiseIrql(APC_LEVEL, out _);
        }));

        Assert.Equal(BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL, e.Code);
        Assert.Equal(new ulong[] { 2, 1, 0, 0 }, e.Info.Parameters);
        Assert.True(machine.IsHalted);
    }

    [Fact]
    public void Lowering_to_a_higher_irql_is_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => KeLowerIrql(DISPATCH_LEVEL)));
        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(0UL, e.Info.Parameter1);
        Assert.Equal(2UL, e.Info.Parameter2);
    }

    [Fact]
    public void A_system_thread_that_returns_above_passive_level_is_IRQL_UNEXPECTED_VALUE()
    {
        using var machine = TestMachines.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => KeRaiseIrql(DISPATCH_LEVEL, out _)));
        Assert.Equal(BugCheckCode.IRQL_UNEXPECTED_VALUE, e.Code);
        Assert.Equal((2UL << 16) | 0xFE, e.Info.Parameter1);
    }

    [Fact]
    public void Each_processor_has_its_own_irql()
    {
        using var machine = TestMachines.Boot(processors: 2);
        machine.Run(() =>
        {
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            var me = KeGetCurrentProcessorNumber();
            var other = machine.Ke.Processors[1 - (int)me];
            Assert.Equal(PASSIVE_LEVEL, other.Irql);
            KeLowerIrql(old);
        });
    }
}
