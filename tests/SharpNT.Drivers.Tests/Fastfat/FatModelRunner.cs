using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// Runs a <see cref="FatScenario"/> against the engine and against a plain in-memory model of the tree,
/// checking every status the engine returns against the one NT's FAT would give.
/// </summary>
internal sealed class FatModelRunner
{
    private readonly MemoryBlockDevice _device;
    private readonly FatMountOptions _options;
    private FatVolume _volume;

    public FatModelRunner(MemoryBlockDevice device, FatVolume volume, FatMountOptions options)
    {
        _device = device;
        _volume = volume;
        _options = options;
    }

    /// <summary>Directories by relative path ("" is the root), names as created.</summary>
    public SortedSet<string> Directories { get; } = new(StringComparer.Ordinal) { string.Empty };

    public Dictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    public FatVolume Volume => _volume;

    public void Run(FatOp op)
    {
        switch (op.Kind)
        {
            case FatOpKind.CreateFile:
                CreateFile(PickDirectory(op.A), op.Name, FatTestVolume.Pattern(op.Size, op.Seed));
                break;
            case FatOpKind.Write when Files.Count > 0:
                WriteAt(PickFile(op.A), op.B, FatTestVolume.Pattern(op.Size, op.Seed));
                break;
            case FatOpKind.Append when Files.Count > 0:
                Append(PickFile(op.A), FatTestVolume.Pattern(op.Size, op.Seed));
                break;
            case FatOpKind.Truncate when Files.Count > 0:
                Truncate(PickFile(op.A), op.B);
                break;
            case FatOpKind.Delete when Files.Count > 0:
                var victim = PickFile(op.A);
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Delete(Nt(victim)));
                Files.Remove(victim);
                break;
            case FatOpKind.Rename:
                Rename(op);
                break;
            case FatOpKind.Mkdir:
                Mkdir(PickDirectory(op.A), op.Name);
                break;
            case FatOpKind.Rmdir when Directories.Count > 1:
                Rmdir(Directories.Where(d => d.Length != 0).ElementAt(op.A % (Directories.Count - 1)));
                break;
            case FatOpKind.Remount:
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Dismount());
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, FatVolume.Mount(_device, _options, out var mounted));
                _volume = mounted!;
                break;
        }
    }

    private static string Nt(string relative) => relative.Length == 0 ? "\\" : HostTree.ToNtPath(relative);

    private static string Join(string directory, string name) => directory.Length == 0 ? name : directory + "/" + name;

    private static string Parent(string path) => path.Contains('/', StringComparison.Ordinal) ? path[..path.LastIndexOf('/')] : string.Empty;

    private string PickDirectory(int choice) => Directories.ElementAt(choice % Directories.Count);

    private string PickFile(int choice) => Files.Keys.Order(StringComparer.Ordinal).ElementAt(choice % Files.Count);

    /// <summary>The existing entry of <paramref name="directory"/> named <paramref name="name"/> in any case.</summary>
    private string? Existing(string directory, string name)
    {
        var wanted = Join(directory, name);
        return Files.Keys.Concat(Directories).FirstOrDefault(p => p.Length != 0 && Parent(p) == directory
            && string.Equals(p, wanted, StringComparison.OrdinalIgnoreCase));
    }

    private void CreateFile(string directory, string name, byte[] contents)
    {
        var status = _volume.Create(null, Nt(Join(directory, name)), FatCreateDisposition.FILE_CREATE, FatCreateOptions.FILE_NON_DIRECTORY_FILE,
            FatAttributes.None, out var fcb, out _);
        if (Existing(directory, name) is not null)
        {
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, status);
            return;
        }

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Write(fcb!, 0, contents, out _));
        _volume.Close(fcb!);
        Files[Join(directory, name)] = contents;
    }

    private void WriteAt(string path, int fraction, byte[] data)
    {
        var old = Files[path];
        var offset = (int)((long)fraction * (old.Length + 2000) / 1000);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open(Nt(path), out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Write(fcb!, offset, data, out _));
        _volume.Close(fcb!);
        if (data.Length == 0)
        {
            return;
        }

        var updated = new byte[Math.Max(old.Length, offset + data.Length)];
        old.CopyTo(updated, 0);
        data.CopyTo(updated, offset);
        Files[path] = updated;
    }

    private void Append(string path, byte[] data)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open(Nt(path), out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Append(fcb!, data, out _));
        _volume.Close(fcb!);
        Files[path] = [.. Files[path], .. data];
    }

    private void Truncate(string path, int fraction)
    {
        var old = Files[path];
        var size = (int)((long)fraction * (old.Length + 3000) / 1000);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open(Nt(path), out var fcb));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.SetEndOfFile(fcb!, size));
        _volume.Close(fcb!);
        var updated = new byte[size];
        old.AsSpan(0, Math.Min(size, old.Length)).CopyTo(updated);
        Files[path] = updated;
    }

    private void Mkdir(string parent, string name)
    {
        var status = _volume.CreateDirectory(Nt(Join(parent, name)), out var fcb);
        if (Existing(parent, name) is not null)
        {
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, status);
            return;
        }

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        _volume.Close(fcb!);
        Directories.Add(Join(parent, name));
    }

    private void Rmdir(string directory)
    {
        var empty = !Files.Keys.Concat(Directories).Any(p => p.Length != 0 && Parent(p) == directory);
        var status = _volume.Delete(Nt(directory));
        Assert.Equal(empty ? NTSTATUS.STATUS_SUCCESS : NTSTATUS.STATUS_DIRECTORY_NOT_EMPTY, status);
        if (empty)
        {
            Directories.Remove(directory);
        }
    }

    private void Rename(FatOp op)
    {
        // Pick a file or a directory (not the root) to move, and a target directory.
        var candidates = Files.Keys.Concat(Directories.Where(d => d.Length != 0)).Order(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var source = candidates[op.A % candidates.Count];
        var isDirectory = Directories.Contains(source);
        var target = PickDirectory(op.B);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, _volume.Open(Nt(source), out var fcb));
        var status = _volume.Rename(fcb!, Nt(Join(target, op.Name)), op.Replace);
        _volume.Close(fcb!);

        var expected = NTSTATUS.STATUS_SUCCESS;
        var existing = Existing(target, op.Name);
        if (isDirectory && (target == source || target.StartsWith(source + "/", StringComparison.Ordinal)))
        {
            expected = NTSTATUS.STATUS_INVALID_PARAMETER;
        }
        else if (existing is not null && existing != source)
        {
            expected = !op.Replace ? NTSTATUS.STATUS_OBJECT_NAME_COLLISION
                : Directories.Contains(existing) ? NTSTATUS.STATUS_ACCESS_DENIED : NTSTATUS.STATUS_SUCCESS;
        }

        Assert.True(expected == status, $"Rename {source} -> {Join(target, op.Name)}: expected {expected}, got {status}");
        if (!status.IsSuccess())
        {
            return;
        }

        if (existing is not null && existing != source)
        {
            Files.Remove(existing);
        }

        var destination = Join(target, op.Name);
        if (!isDirectory)
        {
            var contents = Files[source];
            Files.Remove(source);
            Files[destination] = contents;
            return;
        }

        var movedFiles = Files.Where(p => p.Key.StartsWith(source + "/", StringComparison.Ordinal)).ToList();
        var movedDirectories = Directories.Where(p => p == source || p.StartsWith(source + "/", StringComparison.Ordinal)).ToList();
        foreach (var (file, contents) in movedFiles)
        {
            Files.Remove(file);
        }

        foreach (var (file, contents) in movedFiles)
        {
            Files[destination + file[source.Length..]] = contents;
        }

        Directories.ExceptWith(movedDirectories);
        Directories.UnionWith(movedDirectories.Select(d => destination + d[source.Length..]));
    }
}
