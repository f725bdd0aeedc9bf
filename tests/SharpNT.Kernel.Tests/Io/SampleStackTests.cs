using System.Text;
using SharpNT.Drivers.Samples;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Samples.SampleIoctl;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>The in-box sample stack (filter, function, lower) serving IOCTLs in all four transfer methods.</summary>
public sealed class SampleStackTests
{
    private static DEVICE_OBJECT LoadStack(Machine machine, out SampleFilterDriver filter)
    {
        Requester.Load(machine, new SampleLowerDriver());
        Requester.Load(machine, new SampleFunctionDriver());
        filter = new SampleFilterDriver();
        Requester.Load(machine, filter);
        var status = IoGetDeviceObjectPointer(new UNICODE_STRING(@"\??\Sample"), FILE_ALL_ACCESS, out var file, out var top);
        Assert.Equal(STATUS_SUCCESS, status);
        ObDereferenceObject(file);
        return top;
    }

    [Fact]
    public void The_stack_is_filter_over_function_over_lower_with_growing_stack_sizes()
    {
        using var machine = TestMachines.Boot();
        var (names, sizes) = machine.Run(() =>
        {
            var top = LoadStack(machine, out _);
            var n = new List<string>();
            var s = new List<int>();
            for (var d = top; !d.IsNull; d = machine.Io.AttachedTo(d))
            {
                n.Add(machine.Io.DeviceNameOf(d)!);
                s.Add(d.StackSize);
            }

            return (n, s);
        });

        Assert.Equal([FilterDeviceName, FunctionDeviceName, LowerDeviceName], names);
        Assert.Equal([3, 2, 1], sizes);
    }

    [Fact]
    public void METHOD_BUFFERED_copies_in_and_out_and_the_filter_rewrites_the_answer()
    {
        using var machine = TestMachines.Boot();
        var (result, text, log) = machine.Run(() =>
        {
            var top = LoadStack(machine, out var filter);
            var input = Requester.Buffer(Encoding.ASCII.GetBytes("hello"), 5);
            var output = Requester.Buffer([], 16);
            var r = Requester.Ioctl(top, IOCTL_SAMPLE_BUFFERED, input, 5, output, 16);
            var extension = IoGetDeviceExtension<SampleFilterDriver.DeviceExtension>(top);
            return (r, Encoding.ASCII.GetString(Requester.Read(output, (int)r.Information)), extension.Log.ToList());
        });

        Assert.Equal(STATUS_SUCCESS, result.Final);
        Assert.Equal("HELLO!", text);
        Assert.Equal([$"down 0x{IOCTL_SAMPLE_BUFFERED:X8}", $"up 0x{IOCTL_SAMPLE_BUFFERED:X8} STATUS_SUCCESS"], log);
    }

    [Fact]
    public void METHOD_IN_DIRECT_lets_the_device_read_the_second_buffer_through_an_MDL()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var top = LoadStack(machine, out _);
            var data = Requester.Buffer([1, 2, 3, 4, 250], 5);
            return Requester.Ioctl(top, IOCTL_SAMPLE_IN_DIRECT, 0, 0, data, 5);
        });

        Assert.Equal(STATUS_SUCCESS, result.Final);
        Assert.Equal(260UL, result.Information);
    }

    [Fact]
    public void METHOD_OUT_DIRECT_lets_the_device_write_the_buffer_through_its_system_mapping()
    {
        using var machine = TestMachines.Boot();
        var (result, bytes) = machine.Run(() =>
        {
            var top = LoadStack(machine, out _);

            // Two pages and a bit, starting mid-page: the MDL spans three pages.
            var buffer = Requester.Buffer([], 3 * 4096);
            var r = Requester.Ioctl(top, IOCTL_SAMPLE_OUT_DIRECT, 0, 0, buffer + 100, 9000);
            return (r, Requester.Read(buffer + 100, 9000));
        });

        Assert.Equal(STATUS_SUCCESS, result.Final);
        Assert.Equal(9000UL, result.Information);
        Assert.All(Enumerable.Range(0, 9000), i => Assert.Equal((byte)i, bytes[i]));
    }

    [Fact]
    public void METHOD_NEITHER_passes_raw_addresses_valid_in_the_requesters_context()
    {
        using var machine = TestMachines.Boot();
        var (result, text) = machine.Run(() =>
        {
            var top = LoadStack(machine, out _);
            var input = Requester.Buffer(Encoding.ASCII.GetBytes("abc"), 3);
            var output = Requester.Buffer([], 3);
            var r = Requester.Ioctl(top, IOCTL_SAMPLE_NEITHER, input, 3, output, 3);
            return (r, Encoding.ASCII.GetString(Requester.Read(output, 3)));
        });

        Assert.Equal(STATUS_SUCCESS, result.Final);
        Assert.Equal("cba", text);
    }

    [Fact]
    public void METHOD_NEITHER_with_a_bad_address_fails_the_request_instead_of_crashing()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() =>
        {
            var top = LoadStack(machine, out _);
            var output = Requester.Buffer([], 3);
            return Requester.Ioctl(top, IOCTL_SAMPLE_NEITHER, 0x1000, 3, output, 3);
        });

        Assert.Equal(STATUS_ACCESS_VIOLATION, result.Final);
        Assert.False(machine.IsHalted);
    }

    [Fact]
    public void An_unknown_IOCTL_is_STATUS_INVALID_DEVICE_REQUEST()
    {
        using var machine = TestMachines.Boot();
        var result = machine.Run(() => Requester.Ioctl(LoadStack(machine, out _), CTL_CODE(FILE_DEVICE_SAMPLE, 0x8FF, 0, 0)));
        Assert.Equal(STATUS_INVALID_DEVICE_REQUEST, result.Final);
    }

    [Fact]
    public void Unloading_the_stack_top_down_leaves_nothing_behind()
    {
        using var machine = TestMachines.Boot();
        var reports = machine.Run(() =>
        {
            LoadStack(machine, out _);
            var drivers = machine.Io.Drivers.Where(d => d.Module.Name.StartsWith("sample", StringComparison.Ordinal)).Reverse().ToList();
            return drivers.Select(d => machine.Io.UnloadDriver(d.DriverObject)).ToList();
        });

        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.True(r.Clean, $"{r.Driver} left {string.Join(", ", r.DevicesLeft)}"));
    }

    [Fact]
    public void A_driver_that_forgets_its_device_at_unload_is_reported()
    {
        using var machine = TestMachines.Boot();
        var report = machine.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(new PendingTimerDriver(), out var driver));

            // Unload without a DriverUnload routine that deletes the device.
            driver.DriverUnload = null;
            return machine.Io.UnloadDriver(driver);
        });

        Assert.False(report.Clean);
        Assert.Equal([PendingTimerDriver.DeviceName], report.DevicesLeft);
    }

    [Fact]
    public void Pool_a_driver_leaves_allocated_at_unload_is_reported_with_its_tag()
    {
        using var machine = TestMachines.Boot();
        var report = machine.Run(() =>
        {
            Assert.Equal(STATUS_SUCCESS, machine.Io.LoadDriver(new SharpNT.Drivers.Buggy.PagedPoolAtDispatchDriver(), out var driver));
            var device = driver.DeviceObject;
            driver.DriverUnload = d => IoDeleteDevice(d.DeviceObject);
            return machine.Io.UnloadDriver(driver);
        });

        Assert.Empty(report.DevicesLeft);
        var leak = Assert.Single(report.PoolLeft);
        Assert.Contains("4096 bytes 'PgSt'", leak, StringComparison.Ordinal);
    }
}
