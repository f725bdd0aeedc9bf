using System.Text;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Kd.KdSymbols;

namespace SharpNT.Kernel.Kd;

/// <summary>!pool and !poolused: pool pages with their POOL_HEADERs, and usage by tag.</summary>
internal static class PoolCommands
{
    /// <summary>Owners of the tags the kernel itself uses, as pooltag.txt names them.</summary>
    private static readonly Dictionary<uint, string> s_owners = new()
    {
        [IoManager.TagIrp] = "Io, IRP packets",
        [IoManager.TagDevice] = "Io, device objects",
        [IoManager.TagDriver] = "Io, driver objects",
        [IoManager.TagSystemBuffer] = "Io, system buffers of buffered I/O",
    };

    /// <summary>!pool Address: every block of the page holding the address, '*' at the block that contains it.</summary>
    internal static string Pool(DebugTarget target, string arguments)
    {
        var words = KdText.Words(arguments);
        if (words.Length == 0)
        {
            return "Usage: !pool <Address>\n";
        }

        if (!TryParseAddress(words[0], out var address))
        {
            return $"Invalid pool address '{words[0]}'\n";
        }

        if (target.PoolPages is null)
        {
            return KdText.NotInDump(target, "pool pages");
        }

        var sb = new StringBuilder();
        if (target.PoolPage(address) is not { } page)
        {
            sb.Line($"Pool page {address:x16} region is Unknown");
            sb.Line($"{address:x16} is not a valid small pool allocation, checking large pool...");
            sb.Line($"{address:x16} is not a valid large pool allocation");
            return sb.ToString();
        }

        sb.Line($"Pool page {address:x16} region is {(page.Paged ? "Paged pool" : "Nonpaged pool")}");
        if (page.BigPages > 0)
        {
            var bytes = (ulong)page.BigPages << MemoryManager.PAGE_SHIFT;
            sb.Line($"*{page.BigStart:x16} : large page allocation, tag is {PoolTags.ToString(page.BigTag)}, size is 0x{bytes:x} bytes");
            sb.Line($"\t\t{Owner(page.BigTag)}");
            return sb.ToString();
        }

        if (!page.Resident)
        {
            sb.Line($"{page.Address:x16}: the page is in the pagefile (paged out); its pool headers cannot be read");
            return sb.ToString();
        }

        foreach (var block in page.Blocks)
        {
            var here = address >= block.Address && address < block.Address + (ulong)Math.Max(block.Bytes, PoolHeader.Size);
            var mark = here ? '*' : ' ';
            var state = block.Free ? "(Free)" : "(Allocated)";
            sb.Line($"{mark}{block.Address:x16} size: {block.Bytes,4:x} previous size: {block.Header.PreviousSize * PoolHeader.Size,4:x}  {state,-11} {mark}{Tag(block.Header.PoolTag)}");
            if (here)
            {
                if (!block.Free)
                {
                    sb.Line($"\t\t{Owner(block.Header.PoolTag)}");
                }

                sb.Line($"\t\t{HeaderFields(block.Header)}");
            }
        }

        return sb.ToString();
    }

    /// <summary>!poolused: outstanding allocations and bytes by tag, nonpaged and paged.</summary>
    internal static string PoolUsed(DebugTarget target)
    {
        var sb = new StringBuilder(" Sorting by Tag\n\n               NonPaged                  Paged\n Tag     Allocs         Used     Allocs         Used\n\n");
        foreach (var tag in target.PoolUsage.GroupBy(u => u.Tag).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var np = tag.Where(u => !u.Paged).ToList();
            var pg = tag.Where(u => u.Paged).ToList();
            sb.Line($" {tag.Key,-4} {np.Sum(u => u.Outstanding),10} {np.Sum(u => u.Bytes),12} {pg.Sum(u => u.Outstanding),10} {pg.Sum(u => u.Bytes),12}");
        }

        return sb.ToString();
    }

    /// <summary>
    /// The POOL_HEADER of the block asked about, field by field: PoolType is 0 for a free block, else the
    /// base pool type plus one, with POOL_QUOTA_MASK (8) when the allocation charged quota.
    /// </summary>
    private static string HeaderFields(PoolHeader h)
    {
        var type = h.PoolType == 0
            ? "free"
            : Enum.GetName((POOL_TYPE)((h.PoolType & 7) - 1u)) + ((h.PoolType & PoolHeader.QuotaMask) != 0 ? ", quota charged" : "");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"POOL_HEADER: PreviousSize 0x{h.PreviousSize:x2} PoolIndex 0x{h.PoolIndex:x2} BlockSize 0x{h.BlockSize:x2} PoolType 0x{h.PoolType:x2} ({type}) PoolTag 0x{h.PoolTag:x8} ProcessBilled {KdSymbols.Ptr(h.ProcessBilled)}");
    }

    /// <summary>A block's tag; a block never allocated since its page was carved has none.</summary>
    private static string Tag(uint tag) => tag == 0 ? "" : PoolTags.ToString(tag);

    private static string Owner(uint tag) =>
        s_owners.TryGetValue(tag, out var owner)
            ? $"Pooltag {PoolTags.ToString(tag)} : {owner}"
            : "Owning component : Unknown (update pooltag.txt)";
}
