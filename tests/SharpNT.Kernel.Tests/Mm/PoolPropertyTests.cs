using FsCheck;
using FsCheck.Xunit;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class PoolPropertyTests
{
    /// <summary>
    /// Random allocate / free / write / read / trim sequences over both pools: every live block keeps exactly
    /// what was last written to it, blocks never overlap, and the tag counters agree with what is live.
    /// </summary>
    [Property(MaxTest = 60)]
    public bool Random_pool_operations_keep_data_intact_and_counters_consistent((byte Op, ushort Size, byte Value)[] operations)
    {
        using var machine = MmMachines.Boot(memoryMiB: 4, pagefileMiB: 16);
        var tags = new[] { PoolTag("PrA "), PoolTag("PrB "), PoolTag("PrC ") };
        var live = new List<(ulong Address, int Size, uint Tag, bool Paged, byte Value)>();
        machine.Run(() =>
        {
            foreach (var (op, size, value) in operations)
            {
                switch (op % 5)
                {
                    case 0:
                    case 1:
                        {
                            var paged = value % 2 == 0;
                            var bytes = op % 7 == 0 ? size + 4096 : size % 3000 + 1;
                            var tag = tags[value % tags.Length];
                            var flags = (paged ? POOL_FLAG_PAGED : POOL_FLAG_NON_PAGED) | (op % 3 == 0 ? POOL_FLAG_CACHE_ALIGNED : 0);
                            var p = ExAllocatePool2(flags, (ulong)bytes, tag);
                            if (p == 0)
                            {
                                break;
                            }

                            foreach (var other in live)
                            {
                                Assert.True(p + (ulong)bytes <= other.Address || other.Address + (ulong)other.Size <= p, "blocks overlap");
                            }

                            Assert.True(Enumerable.Range(0, bytes).All(i => ReadMemory<byte>(p + (ulong)i) == 0) || bytes > 512,
                                "ExAllocatePool2 zeroes");
                            RtlFillMemory(p, (ulong)bytes, value);
                            live.Add((p, bytes, tag, paged, value));
                            break;
                        }

                    case 2 when live.Count > 0:
                        {
                            var index = size % live.Count;
                            var block = live[index];
                            ExFreePoolWithTag(block.Address, block.Tag);
                            live.RemoveAt(index);
                            break;
                        }

                    case 3 when live.Count > 0:
                        {
                            var index = size % live.Count;
                            var block = live[index];
                            RtlFillMemory(block.Address, (ulong)block.Size, value);
                            live[index] = block with { Value = value };
                            break;
                        }

                    case 4:
                        machine.Mm.TrimWorkingSet();
                        break;
                }
            }

            foreach (var block in live)
            {
                var bytes = new byte[block.Size];
                CopyToHost(block.Address, bytes);
                Assert.All(bytes, b => Assert.Equal(block.Value, b));
            }
        });

        var usage = machine.Mm.QueryPoolUsage();
        foreach (var tag in tags)
        {
            foreach (var paged in new[] { false, true })
            {
                var outstanding = live.Count(b => b.Tag == tag && b.Paged == paged);
                var line = usage.SingleOrDefault(u => u.Tag == PoolTags.ToString(tag) && u.Paged == paged);
                Assert.Equal(outstanding, line?.Outstanding ?? 0);
                Assert.Equal(outstanding == 0, (line?.Bytes ?? 0) == 0);
            }
        }

        return !machine.IsHalted;
    }
}
