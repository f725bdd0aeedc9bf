using System.Collections.Immutable;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>A tree of host files to copy into images, and comparison of trees.</summary>
internal static class HostTree
{
    /// <summary>Names that exercise long names, case, Unicode, dots and spaces.</summary>
    public static readonly ImmutableArray<string> LongNames =
    [
        "A long file name with spaces.txt",
        "Mixed Case Name.Text",
        "ünïcødé ☃ name.bin",
        "x.y.z.tar.gz",
        new string('L', 200) + ".dat",
        "README",
        "makefile",
        "UPPER.TXT",
        "lower.txt",
    ];

    /// <summary>Writes the standard test tree under <paramref name="root"/>; sizes stay small enough for a 1 MiB FAT12 image.</summary>
    public static void Populate(string root)
    {
        File.WriteAllText(Path.Combine(root, "hello.txt"), "hello\n");
        File.WriteAllBytes(Path.Combine(root, "empty.dat"), []);
        var seed = 1;
        foreach (var name in LongNames)
        {
            File.WriteAllBytes(Path.Combine(root, name), FatTestVolume.Pattern(100 + (seed * 37), seed++));
        }

        File.WriteAllBytes(Path.Combine(root, "big.bin"), FatTestVolume.Pattern(300 * 1024 + 123, 99));
        var deep = Path.Combine(root, "sub", "Second Level", "deep");
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "file.txt"), "deep file\n");
        File.WriteAllBytes(Path.Combine(root, "sub", "Second Level", "two clusters.bin"), FatTestVolume.Pattern(1000, 7));
        var many = Path.Combine(root, "many");
        Directory.CreateDirectory(many);
        for (var i = 0; i < 120; i++)
        {
            File.WriteAllText(Path.Combine(many, $"file number {i:D3}.txt"), $"file {i}\n");
        }
    }

    /// <summary>Relative paths ("dir/name") of all files, and of all directories, under <paramref name="root"/>.</summary>
    public static (SortedSet<string> Files, SortedSet<string> Directories) Scan(string root)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (Directory.Exists(path))
            {
                directories.Add(relative);
            }
            else
            {
                files.Add(relative);
            }
        }

        return (files, directories);
    }

    /// <summary>Asserts two host trees hold the same names and byte-identical files.</summary>
    public static void AssertSame(string expectedRoot, string actualRoot)
    {
        var expected = Scan(expectedRoot);
        var actual = Scan(actualRoot);
        Assert.Equal(expected.Directories, actual.Directories);
        Assert.Equal(expected.Files, actual.Files);
        foreach (var file in expected.Files)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(expectedRoot, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actualRoot, file))),
                $"Contents of {file} differ.");
        }
    }

    public static string ToNtPath(string relative) => "\\" + relative.Replace('/', '\\');
}
