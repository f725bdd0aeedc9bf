using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Tests;

public sealed class MachineDescriptionFileTests
{
    [Fact]
    public void A_description_round_trips_through_its_file_format()
    {
        var d = new MachineDescription { Name = "big", Processors = 4, MemoryMiB = 256, PagefileMiB = 32, Scheduling = SchedulingMode.Parallel, Seed = 99 };
        Assert.Equal(d, MachineDescriptionFile.Parse(MachineDescriptionFile.Format(d)));
    }

    [Fact]
    public void Plugged_devices_round_trip_and_a_malformed_list_is_refused_with_its_line()
    {
        var d = MachineDescriptionFile.Parse("plugged = [\"MsToaster\", \"{B85B7C50-6A01-11d2-B841-00C04FAD5171}\\\\MsToaster\"]\n");
        Assert.Equal(["MsToaster", @"{B85B7C50-6A01-11d2-B841-00C04FAD5171}\MsToaster"], d.PluggedDevices);
        Assert.Equal(d, MachineDescriptionFile.Parse(MachineDescriptionFile.Format(d)));
        var e = Assert.Throws<MachineDescriptionException>(() => MachineDescriptionFile.Parse("processors = 1\nplugged = [\"two words\"]\n", "m.toml"));
        Assert.Contains("m.toml(2,1): 'plugged' is a list of hardware IDs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_keys_take_the_default_machines_values()
    {
        var d = MachineDescriptionFile.Parse("processors = 1\n");
        Assert.Equal(MachineDescription.Default with { Processors = 1 }, d);
    }

    [Theory]
    [InlineData("processors = 0\n", "processors must be between 1 and 64")]
    [InlineData("scheduling = \"random\"\n", "(1,1): 'scheduling' is \"deterministic\" or \"parallel\"")]
    [InlineData("seed = -1\n", "(1,1): 'seed' is a non-negative integer")]
    [InlineData("name = \"a\"\nname = \"b\"\n", "(2,1): 'name' is defined twice")]
    [InlineData("processors = [\n", "m.toml(2,1): Unexpected")]
    public void Bad_files_are_refused_with_a_message_naming_the_place(string text, string expected)
    {
        var e = Assert.Throws<MachineDescriptionException>(() => MachineDescriptionFile.Parse(text, "m.toml"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("m.toml", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registry_file_a_description_names_is_loaded_at_boot()
    {
        var dir = Directory.CreateTempSubdirectory("sharpnt-reg-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "system.reg"),
                "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\sample]\n\"Start\"=dword:00000003\n\"Type\"=dword:00000001\n");
            File.WriteAllText(Path.Combine(dir, "m.toml"), "processors = 1\nregistry = \"system.reg\"\n");
            var d = MachineDescriptionFile.Load(Path.Combine(dir, "m.toml"));
            Assert.Equal(Path.Combine(dir, "system.reg"), d.RegistryFile);
            Assert.Equal(d, MachineDescriptionFile.Parse(MachineDescriptionFile.Format(d)));
            using var machine = Machine.Boot(d);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Cm.QueryService("sample", out var service));
            Assert.Equal(3u, (uint)service!.Start);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Disks_are_image_paths_resolved_against_the_files_directory_and_round_trip()
    {
        var d = MachineDescriptionFile.Parse("disks = [\"a.raw\", \"/abs/b.raw\"]\n", "m.toml", "/machines");
        Assert.Equal(["/machines/a.raw", "/abs/b.raw"], d.Disks);
        Assert.Equal(d, MachineDescriptionFile.Parse(MachineDescriptionFile.Format(d)));
        Assert.NotEqual(d, d with { Disks = ["/machines/a.raw"] });
        var e = Assert.Throws<MachineDescriptionException>(() => MachineDescriptionFile.Parse("disks = \"a.raw\"\n", "m.toml"));
        Assert.Contains("'disks' is a list of image paths", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disk_image_that_cannot_be_used_stops_the_boot_with_a_message_naming_it()
    {
        var dir = Directory.CreateTempSubdirectory("sharpnt-disk-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "odd.raw"), new byte[777]);
            var missing = Assert.Throws<MachineDescriptionException>(() => Machine.Boot(new MachineDescription { Disks = [Path.Combine(dir, "none.raw")] }));
            Assert.Contains("none.raw", missing.Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
            var odd = Assert.Throws<MachineDescriptionException>(() => Machine.Boot(new MachineDescription { Disks = [Path.Combine(dir, "odd.raw")] }));
            Assert.Contains("777 bytes", odd.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
