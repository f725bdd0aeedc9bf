using System.Diagnostics;
using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// The map from a file's cluster index to disk clusters, kept as runs (NT's MCB, the "map control block"):
/// a contiguous 64 MiB file is one run, so a large read maps to one device transfer.
/// </summary>
[DebuggerDisplay("{ClusterCount} clusters in {RunCount} runs")]
internal sealed class FatClusterMap
{
    private readonly List<FatRun> _runs = [];
    private readonly List<uint> _runFirstIndex = [];

    public uint ClusterCount { get; private set; }

    public int RunCount => _runs.Count;

    public uint FirstCluster => _runs.Count == 0 ? 0 : _runs[0].StartCluster;

    public uint LastCluster => _runs.Count == 0 ? 0 : _runs[^1].EndCluster;

    /// <summary>Walks the chain from <paramref name="firstCluster"/> (0: an empty file).</summary>
    /// <returns>STATUS_FILE_CORRUPT_ERROR when the directory entry names a cluster that is not allocated.</returns>
    public static NTSTATUS Build(FatTable fat, uint firstCluster, out FatClusterMap map)
    {
        map = new FatClusterMap();
        if (firstCluster == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (!fat.IsAllocated(firstCluster))
        {
            return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
        }

        var cluster = firstCluster;
        for (uint guard = 0; guard <= fat.ClusterCount; guard++)
        {
            map.Append(new FatRun(cluster, 1));
            var next = fat.Next(cluster);
            if (FatTable.IsEndOfChain(next))
            {
                return NTSTATUS.STATUS_SUCCESS;
            }

            if (!fat.IsAllocated(next))
            {
                return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
            }

            cluster = next;
        }

        return NTSTATUS.STATUS_FILE_CORRUPT_ERROR;
    }

    /// <summary>The disk cluster of file cluster <paramref name="index"/> and how many follow it contiguously.</summary>
    public bool TryMap(uint index, out uint cluster, out uint contiguous)
    {
        cluster = 0;
        contiguous = 0;
        if (index >= ClusterCount)
        {
            return false;
        }

        var lo = 0;
        var hi = _runs.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_runFirstIndex[mid] <= index)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var within = index - _runFirstIndex[lo];
        cluster = _runs[lo].StartCluster + within;
        contiguous = _runs[lo].Length - within;
        return true;
    }

    /// <summary>Adds clusters at the end, merging with the last run when they continue it.</summary>
    public void Append(FatRun run)
    {
        if (_runs.Count != 0 && _runs[^1].EndCluster + 1 == run.StartCluster)
        {
            _runs[^1] = _runs[^1] with { Length = _runs[^1].Length + run.Length };
        }
        else
        {
            _runs.Add(run);
            _runFirstIndex.Add(ClusterCount);
        }

        ClusterCount += run.Length;
    }

    /// <summary>Keeps the first <paramref name="clusters"/> clusters.</summary>
    public void Truncate(uint clusters)
    {
        while (_runs.Count != 0 && _runFirstIndex[^1] >= clusters)
        {
            _runs.RemoveAt(_runs.Count - 1);
            _runFirstIndex.RemoveAt(_runFirstIndex.Count - 1);
        }

        if (_runs.Count != 0)
        {
            var keep = clusters - _runFirstIndex[^1];
            if (keep < _runs[^1].Length)
            {
                _runs[^1] = _runs[^1] with { Length = keep };
            }
        }

        ClusterCount = Math.Min(ClusterCount, clusters);
    }
}
