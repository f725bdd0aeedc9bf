using System.Text;
using SharpNT.Drivers.Samples;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Samples.SampleIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>The I/O path with processors truly running at once (parallel mode): no lost or crossed requests.</summary>
public sealed class ParallelIoTests
{
    [Fact]
    public void Two_processors_sending_IOCTLs_through_the_sample_stack_at_once_each_get_their_own_answers()
    {
        using var machine = TestMachines.Boot(processors: 2, mode: SchedulingMode.Parallel);
        var failures = machine.Run(() =>
        {
            Requester.Load(machine, new SampleLowerDriver());
            Requester.Load(machine, new SampleFunctionDriver());
            Requester.Load(machine, new SampleFilterDriver());
            var status = IoGetDeviceObjectPointer(new UNICODE_STRING(FilterDeviceName), FILE_ALL_ACCESS, out var file, out var top);
            Assert.Equal(STATUS_SUCCESS, status);
            ObDereferenceObject(file);

            var errors = new List<string>();
            var threads = new List<KTHREAD>();
            for (var t = 0; t < 2; t++)
            {
                var name = $"t{t}";
                threads.Add(machine.Ke.CreateSystemThread(_ =>
                {
                    for (var i = 0; i < 300; i++)
                    {
                        var text = $"{name}-{i}";
                        var input = Requester.Buffer(Encoding.ASCII.GetBytes(text), text.Length);
                        var output = Requester.Buffer([], 32);
                        var r = Requester.Ioctl(top, IOCTL_SAMPLE_BUFFERED, input, (uint)text.Length, output, 32);
                        var answer = Encoding.ASCII.GetString(Requester.Read(output, (int)r.Information));
                        if (r.Final != STATUS_SUCCESS || answer != text.ToUpperInvariant() + "!")
                        {
                            lock (errors)
                            {
                                errors.Add($"{text}: {r.Final} '{answer}'");
                            }
                        }

                        ExFreePoolWithTag(input, PoolTag("Test"));
                        ExFreePoolWithTag(output, PoolTag("Test"));
                    }
                }, null, machine.Modules.Kernel, "Sender" + name));
            }

            foreach (var thread in threads)
            {
                KeWaitForSingleObject(thread, Executive, KernelMode, false, null);
            }

            return errors;
        });

        Assert.Empty(failures);
    }
}
