using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Tests.Vf;

/// <summary>Verifier settings chosen per driver in the machine description.</summary>
public sealed class VerifierMachineDescriptionTests
{
    [Fact]
    public void A_machine_description_names_the_verified_drivers_and_round_trips()
    {
        var d = MachineDescriptionFile.Parse("processors = 1\nverifier = \"/flags 0x21 /driver a.sys b.sys\"\n");
        Assert.Equal("/flags 0x21 /driver a.sys b.sys", d.Verifier);
        Assert.Equal(d, MachineDescriptionFile.Parse(MachineDescriptionFile.Format(d)));

        using var machine = Machine.Boot(d);
        Assert.Equal(0x21u, machine.Options.Verifier.Flags);
        Assert.True(machine.Options.Verifier.Applies("b.sys", VerifierSettings.DeadlockDetection));
        Assert.False(machine.Options.Verifier.Applies("c.sys", VerifierSettings.SpecialPool));
    }

    [Fact]
    public void Settings_given_for_the_run_win_over_the_description()
    {
        var d = MachineDescription.Default with { Processors = 1, Verifier = "/flags 0x1 /driver a.sys" };
        using var machine = Machine.Boot(d, new MachineOptions { Verifier = VerifierSettings.Parse("/flags 0x20 /driver z.sys") });
        Assert.Equal(0x20u, machine.Options.Verifier.Flags);
        Assert.False(machine.Options.Verifier.Applies("a.sys", VerifierSettings.SpecialPool));
    }

    [Fact]
    public void A_malformed_verifier_line_is_refused_naming_its_line()
    {
        var e = Assert.Throws<MachineDescriptionException>(() => MachineDescriptionFile.Parse("processors = 1\nverifier = \"/flags\"\n", "m.toml"));
        Assert.Contains("m.toml(2,1)", e.Message, StringComparison.Ordinal);
        Assert.Contains("/flags needs a number", e.Message, StringComparison.Ordinal);

        var programmatic = MachineDescription.Default with { Verifier = "/bogus" };
        Assert.Contains("unknown option '/bogus'", programmatic.Validate(), StringComparison.Ordinal);

        var notString = Assert.Throws<MachineDescriptionException>(() => MachineDescriptionFile.Parse("verifier = 3\n", "m.toml"));
        Assert.Contains("'verifier' is a string", notString.Message, StringComparison.Ordinal);
    }
}
