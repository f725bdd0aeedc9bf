using SharpNT.Drivers.Storage;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;
using static SharpNT.Drivers.Tests.Fastfat.FsdMachine;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>fastfat.sys with processors truly running at once: the volume resource keeps concurrent requests apart.</summary>
public sealed class FatFsdParallelTests
{
    [Fact]
    public void Two_threads_writing_and_listing_on_one_volume_at_once_leave_every_byte_in_place()
    {
        using var image = FatImage.CreateSmall(32);
        var expected = new Dictionary<string, byte[]>();
        using (var fsd = new FsdMachine([new ImageDiskOptions(image.Path)], scheduling: SchedulingMode.Parallel))
        {
            var errors = fsd.Run(() =>
            {
                var problems = new List<string>();
                var threads = new List<KTHREAD>();
                for (var t = 0; t < 2; t++)
                {
                    var name = $@"\Thread {t} file.bin";
                    var data = new byte[40 * 3000];
                    new Random(t).NextBytes(data);
                    lock (expected)
                    {
                        expected[name] = data;
                    }

                    threads.Add(fsd.Machine.Ke.CreateSystemThread(_ =>
                    {
                        var file = fsd.OpenOk(@"\??\C:" + name, AccessMask.FILE_GENERIC_WRITE | AccessMask.FILE_GENERIC_READ, FILE_CREATE);
                        for (var i = 0; i < 40; i++)
                        {
                            Write(file.File, -1, data.AsSpan(i * 3000, 3000));
                            var root = fsd.OpenOk(@"\??\C:\", AccessMask.FILE_LIST_DIRECTORY, FILE_OPEN, FILE_DIRECTORY_FILE);
                            if (!ListDirectory(root.File).Contains(name[1..]))
                            {
                                lock (problems)
                                {
                                    problems.Add($"{name} missing from the listing");
                                }
                            }

                            Close(root);
                        }

                        if (!ReadAll(file.File, 7000).AsSpan().SequenceEqual(data))
                        {
                            lock (problems)
                            {
                                problems.Add($"{name} reads back wrong");
                            }
                        }

                        Close(file);
                    }, null, fsd.Machine.Modules.Kernel, "Writer" + t));
                }

                foreach (var thread in threads)
                {
                    KeWaitForSingleObject(thread, Executive, KernelMode, false, null);
                }

                return problems;
            });

            Assert.Empty(errors);
        }

        foreach (var (name, data) in expected)
        {
            Assert.Equal(data, FatFsdTests.McopyOut(image, "::/" + name[1..]));
        }

        FatTools.AssertClean(image.Path);
    }
}
