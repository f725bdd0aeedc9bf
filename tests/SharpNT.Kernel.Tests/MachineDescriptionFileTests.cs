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
}
