using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Tests.Io;
using SharpNT.Kernel.Vf;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.Io.DO_FLAGS;
using static SharpNT.Kernel.Io.IRP_MJ;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>Low resources simulation (0x4): seeded failures of a verified driver's pool and IRP allocations.</summary>
public sealed class LowResourcesTests
{
    private static readonly uint Ioctl = CTL_CODE(0x22, 0x810, 0, 0);

    /// <summary>Allocates a context per request; <c>checks</c> decides whether it looks at the result.</summary>
    private sealed class AllocatingDriver(bool checks) : DriverImage
    {
        public override string ImageName => "lowres.sys";

        public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
        {
            var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\LowRes"), 0x22, 0, false, out var device);
            DriverObject.MajorFunction[IRP_MJ_DEVICE_CONTROL] = (d, irp) =>
            {
                var context = ExAllocatePoolWithTag(NonPagedPoolNx, 64, PoolTag("LrCx"));
                if (checks && context == 0)
                {
                    irp.IoStatus.Status = STATUS_INSUFFICIENT_RESOURCES;
                    IoCompleteRequest(irp, IO_NO_INCREMENT);
                    return STATUS_INSUFFICIENT_RESOURCES;
                }

                // The unchecked version writes through whatever came back.
                WriteMemory(context + 8, 0x4C52u);
                ExFreePoolWithTag(context, PoolTag("LrCx"));
                irp.IoStatus.Status = STATUS_SUCCESS;
                IoCompleteRequest(irp, IO_NO_INCREMENT);
                return STATUS_SUCCESS;
            };
            device.Flags &= ~DO_DEVICE_INITIALIZING;
            return status;
        }
    }

    private static Machine Boot(int probability, TimeSpan delay, string driver = "lowres.sys", ulong seed = 1) =>
        Machine.Boot(MachineDescription.Default with { Processors = 1, Seed = seed },
            new MachineOptions
            {
                Verifier = VerifierSettings.Parse($"/flags 0x4 /driver {driver}") with { FaultProbability = probability, FaultDelay = delay },
            });

    [Fact]
    public void A_driver_that_handles_NULL_fails_the_request_and_the_machine_goes_on()
    {
        using var machine = Boot(10000, TimeSpan.Zero);
        var final = machine.Run(() =>
        {
            var d = Requester.Load(machine, new AllocatingDriver(checks: true));
            return Requester.Ioctl(d, Ioctl).Final;
        });

        Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, final);
        Assert.False(machine.IsHalted);
        Assert.Equal(1, machine.Verifier.LowResources.InjectedFailures);
    }

    [Fact]
    public void A_driver_that_uses_the_NULL_it_got_is_caught()
    {
        using var machine = Boot(10000, TimeSpan.Zero);
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var d = Requester.Load(machine, new AllocatingDriver(checks: false));
            Requester.Ioctl(d, Ioctl);
        }));

        Assert.Equal("lowres.sys", e.Info.FaultingModule);
    }

    [Fact]
    public void Failures_start_only_after_the_grace_period()
    {
        using var machine = Boot(10000, VerifierSettings.Parse("/flags 0x4").FaultDelay);
        var final = machine.Run(() =>
        {
            var d = Requester.Load(machine, new AllocatingDriver(checks: true));
            return Requester.Ioctl(d, Ioctl).Final;
        });

        Assert.Equal(STATUS_SUCCESS, final);
        Assert.Equal(0, machine.Verifier.LowResources.InjectedFailures);
    }

    [Fact]
    public void Only_verified_drivers_see_failures()
    {
        using var machine = Boot(10000, TimeSpan.Zero, driver: "someoneelse.sys");
        var final = machine.Run(() =>
        {
            var d = Requester.Load(machine, new AllocatingDriver(checks: true));
            return Requester.Ioctl(d, Ioctl).Final;
        });

        Assert.Equal(STATUS_SUCCESS, final);
    }

    [Fact]
    public void The_same_seed_fails_the_same_allocations()
    {
        static string Pattern(ulong seed)
        {
            using var machine = Boot(5000, TimeSpan.Zero, seed: seed);
            return machine.Run(() =>
            {
                var outcomes = new System.Text.StringBuilder();
                TestMachines.AsDriver(machine, "lowres.sys", "Work", () =>
                {
                    for (var i = 0; i < 64; i++)
                    {
                        var p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 32, PoolTag("LrSd"));
                        outcomes.Append(p == 0 ? '0' : '1');
                        if (p != 0)
                        {
                            ExFreePoolWithTag(p, PoolTag("LrSd"));
                        }
                    }
                });
                return outcomes.ToString();
            });
        }

        var first = Pattern(7);
        Assert.Equal(first, Pattern(7));
        Assert.Contains('0', first);
        Assert.Contains('1', first);
        Assert.NotEqual(first, Pattern(8));
    }

    [Fact]
    public void IoAllocateIrp_fails_too_and_ExAllocatePool2_raises_when_asked_to()
    {
        using var machine = Boot(10000, TimeSpan.Zero);
        machine.Run(() => TestMachines.AsDriver(machine, "lowres.sys", "Work", () =>
        {
            Assert.True(IoAllocateIrp(2, false).IsNull);
            var e = Assert.Throws<NtException>(() => ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_RAISE_ON_FAILURE, 16, PoolTag("LrRs")));
            Assert.Equal(STATUS_INSUFFICIENT_RESOURCES, e.Status);
        }));
    }

    [Fact]
    public void Faults_on_the_command_line_set_probability_and_delay()
    {
        var s = VerifierSettings.Parse("/faults 2500 \"\" * 3 /driver a.sys");
        Assert.Equal(VerifierSettings.LowResourcesSimulation, s.Flags);
        Assert.Equal(2500, s.FaultProbability);
        Assert.Equal(TimeSpan.FromMinutes(3), s.FaultDelay);
        var defaults = VerifierSettings.Parse("/faults /driver a.sys");
        Assert.Equal(600, defaults.FaultProbability);
        Assert.Equal(TimeSpan.FromMinutes(8), defaults.FaultDelay);
        Assert.Throws<FormatException>(() => VerifierSettings.Parse("/faults 20000"));
        Assert.Throws<FormatException>(() => VerifierSettings.Parse("/faults 600 Tag1"));
    }
}
