using System.Buffers.Binary;
using SharpNT.Drivers.Fastfat;
using SharpNT.Kernel;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>
/// Seeded random sequences of operations through IRPs (create, write, append, truncate, extend, delete,
/// rename, mkdir, rmdir) against a model of the files; afterwards mcopy reads every file back as the model
/// has it and fsck.fat -n finds the volume clean.
/// </summary>
public sealed class FatFsdRandomOperationsTests
{
    [Theory]
    [InlineData(12, 1)]
    [InlineData(16, 2)]
    [InlineData(32, 3)]
    [InlineData(32, 4)]
    public void Any_sequence_of_operations_leaves_files_mcopy_reads_exactly_and_a_clean_volume(int fatBits, int seed)
    {
        using var image = FatImage.CreateSmall(fatBits);
        var random = new Random(seed);
        var files = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        var directories = new List<string> { "" };
        var log = new List<string>();
        using (var fsd = new FsdMachine(image.Path))
        {
            fsd.Run(() =>
            {
                for (var step = 0; step < 60; step++)
                {
                    var op = random.Next(9);
                    switch (op)
                    {
                        case 0 or 1:
                        {
                            var path = NewName(random, directories, files);
                            var data = RandomBytes(random, random.Next(0, 5000));
                            var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.FILE_GENERIC_WRITE, FILE_CREATE, FILE_NON_DIRECTORY_FILE);
                            Assert.Equal((STATUS_SUCCESS, (ulong)data.Length), Write(file.File, 0, data));
                            Close(file);
                            files[path] = data;
                            log.Add($"create {path} {data.Length}");
                            break;
                        }

                        case 2 when files.Count > 0:
                        {
                            var path = Pick(random, files.Keys);
                            var data = RandomBytes(random, random.Next(1, 3000));
                            var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.FILE_APPEND_DATA);
                            Assert.Equal(STATUS_SUCCESS, Write(file.File, -1, data).Status);
                            Close(file);
                            files[path] = [.. files[path], .. data];
                            log.Add($"append {path} {data.Length}");
                            break;
                        }

                        case 3 when files.Count > 0:
                        {
                            var path = Pick(random, files.Keys);
                            var old = files[path];
                            var offset = random.Next(0, old.Length + 100);
                            var data = RandomBytes(random, random.Next(1, 2000));
                            var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.FILE_GENERIC_WRITE);
                            Assert.Equal(STATUS_SUCCESS, Write(file.File, offset, data).Status);
                            Close(file);
                            var updated = new byte[Math.Max(old.Length, offset + data.Length)];
                            old.CopyTo(updated, 0);
                            data.CopyTo(updated, offset);
                            files[path] = updated;
                            log.Add($"write {path} at {offset} {data.Length}");
                            break;
                        }

                        case 4 when files.Count > 0:
                        {
                            var path = Pick(random, files.Keys);
                            var size = random.Next(0, files[path].Length + 2000);
                            var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.FILE_GENERIC_WRITE);
                            var eof = new byte[8];
                            BinaryPrimitives.WriteInt64LittleEndian(eof, size);
                            Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FileEndOfFileInformation, eof).Status);
                            Close(file);
                            var resized = new byte[size];
                            files[path].AsSpan(0, Math.Min(size, files[path].Length)).CopyTo(resized);
                            files[path] = resized;
                            log.Add($"eof {path} {size}");
                            break;
                        }

                        case 5 when files.Count > 0:
                        {
                            var path = Pick(random, files.Keys);
                            var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.DELETE);
                            Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FileDispositionInformation, [1]).Status);
                            Close(file);
                            files.Remove(path);
                            log.Add($"delete {path}");
                            break;
                        }

                        case 6 when files.Count > 0:
                        {
                            var path = Pick(random, files.Keys);
                            var target = NewName(random, directories, files);
                            var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.DELETE);
                            Assert.Equal(STATUS_SUCCESS, SetInformation(file.File, FatDriver.FileRenameInformation, FatFsdTests.RenameInfo(target, false)).Status);
                            Close(file);
                            files[target] = files[path];
                            files.Remove(path);
                            log.Add($"rename {path} {target}");
                            break;
                        }

                        case 7:
                        {
                            var path = NewName(random, directories, files).Replace(".txt", "", StringComparison.Ordinal).Replace(".bin", "", StringComparison.Ordinal);
                            if (directories.Contains(path, StringComparer.OrdinalIgnoreCase))
                            {
                                break;
                            }

                            var directory = fsd.OpenOk(@"\??\C:" + path, AccessMask.FILE_LIST_DIRECTORY, FILE_CREATE, FILE_DIRECTORY_FILE);
                            Close(directory);
                            directories.Add(path);
                            log.Add($"mkdir {path}");
                            break;
                        }

                        case 8 when directories.Count > 1:
                        {
                            var path = Pick(random, directories.Skip(1));
                            var empty = !files.Keys.Any(f => f.StartsWith(path + "\\", StringComparison.OrdinalIgnoreCase))
                                && !directories.Any(d => d.StartsWith(path + "\\", StringComparison.OrdinalIgnoreCase));
                            var directory = fsd.OpenOk(@"\??\C:" + path, AccessMask.DELETE, FILE_OPEN, FILE_DIRECTORY_FILE);
                            var status = SetInformation(directory.File, FatDriver.FileDispositionInformation, [1]).Status;
                            Close(directory);
                            Assert.Equal(empty ? STATUS_SUCCESS : STATUS_DIRECTORY_NOT_EMPTY, status);
                            if (empty)
                            {
                                directories.Remove(path);
                            }

                            log.Add($"rmdir {path} {status}");
                            break;
                        }
                    }
                }

                // Everything reads back through the driver before the shutdown flush too.
                foreach (var (path, data) in files)
                {
                    var file = fsd.OpenOk(@"\??\C:" + path, AccessMask.FILE_GENERIC_READ);
                    Assert.Equal(data, ReadAll(file.File, 8192));
                    Close(file);
                }
            });
        }

        var output = image.Scratch("out");
        foreach (var (path, data) in files)
        {
            var target = Path.Combine(output, Guid.NewGuid().ToString("N"));
            FatTools.Run("mcopy", "-n", "-i", image.Path, "::" + path.Replace('\\', '/'), target);
            Assert.True(data.AsSpan().SequenceEqual(File.ReadAllBytes(target)), $"{path} differs after: {string.Join("; ", log)}");
        }

        FatTools.AssertClean(image.Path);
    }

    private static string NewName(Random random, List<string> directories, Dictionary<string, byte[]> files)
    {
        while (true)
        {
            var directory = directories[random.Next(directories.Count)];
            var name = random.Next(3) switch
            {
                0 => $"F{random.Next(1000)}.TXT",
                1 => $"Long file name {random.Next(1000)}.txt",
                _ => $"mixed Case {random.Next(100)}.bin",
            };
            var path = directory + "\\" + name;
            if (!files.ContainsKey(path) && !directories.Contains(path, StringComparer.OrdinalIgnoreCase))
            {
                return path;
            }
        }
    }

    private static string Pick(Random random, IEnumerable<string> items)
    {
        var list = items.Order(StringComparer.Ordinal).ToList();
        return list[random.Next(list.Count)];
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var data = new byte[length];
        random.NextBytes(data);
        return data;
    }
}
