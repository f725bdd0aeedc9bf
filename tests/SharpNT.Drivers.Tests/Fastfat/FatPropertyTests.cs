using FsCheck.Xunit;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// Random sequences of create/write/append/truncate/delete/rename/mkdir/rmdir/remount on a fresh small image:
/// afterwards mcopy extracts exactly the model's tree and contents, and fsck.fat -n finds the image clean.
/// </summary>
public sealed class FatPropertyTests
{
    [Property(MaxTest = 15, Arbitrary = [typeof(FatScenarioArbitrary)])]
    public void Random_operation_sequences_leave_exactly_the_model_tree_and_a_clean_volume(FatScenario scenario)
    {
        using var image = FatImage.CreateSmall(scenario.FatBits);
        var options = scenario.TinyCache ? FatImage.TinyCacheOptions() : FatImage.Options();
        var (device, volume) = image.Mount(options: options);
        var runner = new FatModelRunner(device, volume, options);
        foreach (var op in scenario.Ops)
        {
            runner.Run(op);
        }

        image.Save(device, runner.Volume);
        FatTools.AssertClean(image.Path);
        var extracted = FatWriteInteropTests.Extract(image);
        var (files, directories) = HostTree.Scan(extracted);
        Assert.Equal(new SortedSet<string>(runner.Directories.Where(d => d.Length != 0), StringComparer.Ordinal), directories);
        Assert.Equal(new SortedSet<string>(runner.Files.Keys, StringComparer.Ordinal), files);
        foreach (var (path, contents) in runner.Files)
        {
            Assert.True(contents.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(extracted, path))), $"{path} differs");
        }
    }
}
