using SharpNT.Drivers.Buggy;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>
/// METHOD_NEITHER buffers are raw requester addresses: valid in the requester's process only. The classic
/// bug of touching them from a DPC is reproducible.
/// </summary>
public sealed class MethodNeitherContextTests
{
    /// <summary>Runs the body as a thread of a process whose user buffer holds <paramref name="value"/> at the returned address.</summary>
    private static ulong EnterProcessWithBuffer(Machine machine, byte value)
    {
        var space = machine.Mm.CreateProcessAddressSpace()!;
        Assert.Equal(STATUS_SUCCESS, machine.Mm.AllocateUserMemory(space, 4096, PageProtection.PAGE_READWRITE, out var buffer));
        KTHREAD.Current!.AddressSpace = space;
        WriteMemory(buffer, value);
        return buffer;
    }

    [Fact]
    public void In_the_requesters_context_the_raw_address_works()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var device = Requester.Load(machine, new NeitherFromDpcDriver());
            var buffer = EnterProcessWithBuffer(machine, 42);
            var r = Requester.Ioctl(device, NeitherFromDpcDriver.IOCTL_READ_NOW, buffer, 1, 0, 0);
            KTHREAD.Current!.AddressSpace = null;
            return r;
        });

        Assert.Equal(STATUS_SUCCESS, result.Final);
        Assert.Equal(42UL, result.Information);
    }

    [Fact]
    public void Touched_from_a_DPC_in_another_context_it_is_DRIVER_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = TestMachines.Boot();
        ulong buffer = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var device = Requester.Load(machine, new NeitherFromDpcDriver());
            buffer = EnterProcessWithBuffer(machine, 42);
            Requester.Ioctl(device, NeitherFromDpcDriver.IOCTL_READ_LATER, buffer, 1, 0, 0);
        }));

        Assert.Equal(BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal(buffer, e.Info.Parameter1);
        Assert.Equal((ulong)DISPATCH_LEVEL, e.Info.Parameter2);
        Assert.Equal("neitherdpc.sys", e.Info.FaultingModule);
        Assert.Equal("neitherdpc!ReadLaterDpc", e.Info.FaultingSymbol);
    }
}
