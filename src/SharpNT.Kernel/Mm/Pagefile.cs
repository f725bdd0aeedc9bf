namespace SharpNT.Kernel.Mm;

/// <summary>
/// The paging file: a host-side store of 4 KiB slots. Slot 0 is never used, so a software PTE whose
/// pagefile offset is 0 means "demand zero" as on NT. Slots are handed out lowest first, so the same
/// sequence of operations puts the same page in the same slot. Backing storage is allocated 1 MiB at a time
/// as slots are first written.
/// </summary>
internal sealed class Pagefile
{
    private const int SlotsPerBlock = 256;

    private readonly byte[]?[] _blocks;
    private readonly ulong[] _bitmap;
    private int _lowestFree = 1;

    internal Pagefile(int pagefileMiB)
    {
        var slots = pagefileMiB * (1024 * 1024 / MemoryManager.PAGE_SIZE);
        SlotCount = slots == 0 ? 0 : slots + 1;
        _blocks = new byte[]?[(SlotCount + SlotsPerBlock - 1) / SlotsPerBlock];
        _bitmap = new ulong[(SlotCount + 63) / 64];
        if (SlotCount > 0)
        {
            _bitmap[0] = 1;
        }
    }

    /// <summary>Slots including the unused slot 0; 0 when the machine has no pagefile.</summary>
    internal int SlotCount { get; }

    /// <summary>Slots a page can be written to.</summary>
    internal int UsableSlots => Math.Max(0, SlotCount - 1);

    internal int UsedSlots { get; private set; }

    internal int FreeSlots => UsableSlots - UsedSlots;

    /// <summary>Takes the lowest free slot; 0 when the pagefile is full.</summary>
    internal uint AllocateSlot()
    {
        for (var word = _lowestFree >> 6; word < _bitmap.Length; word++)
        {
            var free = ~_bitmap[word];
            if (free == 0)
            {
                continue;
            }

            var slot = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(free);
            if (slot >= SlotCount)
            {
                break;
            }

            _bitmap[word] |= 1UL << (slot & 63);
            _lowestFree = slot + 1;
            UsedSlots++;
            return (uint)slot;
        }

        _lowestFree = SlotCount;
        return 0;
    }

    internal void FreeSlot(uint slot)
    {
        _bitmap[slot >> 6] &= ~(1UL << (int)(slot & 63));
        UsedSlots--;
        if (slot < _lowestFree)
        {
            _lowestFree = (int)slot;
        }
    }

    internal void Write(uint slot, ReadOnlySpan<byte> page) => page.CopyTo(Slot(slot));

    internal void Read(uint slot, Span<byte> page) => Slot(slot).CopyTo(page);

    private Span<byte> Slot(uint slot)
    {
        var block = _blocks[slot / SlotsPerBlock] ??= new byte[SlotsPerBlock * MemoryManager.PAGE_SIZE];
        return block.AsSpan((int)(slot % SlotsPerBlock) * MemoryManager.PAGE_SIZE, MemoryManager.PAGE_SIZE);
    }
}
