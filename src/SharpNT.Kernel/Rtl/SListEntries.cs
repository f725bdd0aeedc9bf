using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Rtl;

/// <summary>
/// Sequenced singly linked lists (SLIST_HEADER, x64 layout): the first quadword holds Depth (16 bits) and
/// Sequence (48 bits), the second the first entry's address, whose low four bits are not stored (entries
/// are MEMORY_ALLOCATION_ALIGNMENT, 16 bytes, aligned). Each entry's first quadword (SLIST_ENTRY.Next)
/// links to the next. NT changes the header with one 16-byte compare-exchange; here the machine's
/// S-list lock stands for that atomic instruction.
/// </summary>
internal static class SListEntries
{
    internal const ulong MemoryAllocationAlignment = 16;

    private const ulong DepthMask = 0xFFFF;

    /// <summary>InitializeSListHead: a misaligned header is STATUS_DATATYPE_MISALIGNMENT, raised as NT raises it.</summary>
    internal static void Initialize(MemoryManager mm, ulong head)
    {
        if ((head & (MemoryAllocationAlignment - 1)) != 0)
        {
            throw new NtException(NTSTATUS.STATUS_DATATYPE_MISALIGNMENT);
        }

        mm.Write(head, 0UL);
        mm.Write(head + 8, 0UL);
    }

    /// <summary>InterlockedPushEntrySList: returns the previous first entry (0 if the list was empty).</summary>
    internal static ulong Push(MemoryManager mm, Lock atomic, ulong head, ulong entry)
    {
        lock (atomic)
        {
            var (depth, sequence, first) = ReadHeader(mm, head);
            mm.Write(entry, first);
            WriteHeader(mm, head, depth + 1, sequence + 1, entry);
            return first;
        }
    }

    /// <summary>InterlockedPopEntrySList: the first entry, unlinked, or 0 if the list is empty.</summary>
    internal static ulong Pop(MemoryManager mm, Lock atomic, ulong head)
    {
        lock (atomic)
        {
            var (depth, sequence, first) = ReadHeader(mm, head);
            if (first == 0)
            {
                return 0;
            }

            WriteHeader(mm, head, depth - 1, sequence + 1, mm.Read<ulong>(first));
            return first;
        }
    }

    /// <summary>InterlockedFlushSList: the whole chain, leaving the list empty.</summary>
    internal static ulong Flush(MemoryManager mm, Lock atomic, ulong head)
    {
        lock (atomic)
        {
            var (_, sequence, first) = ReadHeader(mm, head);
            WriteHeader(mm, head, 0, sequence, 0);
            return first;
        }
    }

    /// <summary>ExQueryDepthSList: the Depth field.</summary>
    internal static ushort Depth(MemoryManager mm, ulong head) => (ushort)(mm.Read<ulong>(head) & DepthMask);

    private static (ulong Depth, ulong Sequence, ulong First) ReadHeader(MemoryManager mm, ulong head)
    {
        var word = mm.Read<ulong>(head);
        return (word & DepthMask, word >> 16, mm.Read<ulong>(head + 8) & ~(MemoryAllocationAlignment - 1));
    }

    private static void WriteHeader(MemoryManager mm, ulong head, ulong depth, ulong sequence, ulong first)
    {
        mm.Write(head, (depth & DepthMask) | (sequence << 16));
        mm.Write(head + 8, first & ~(MemoryAllocationAlignment - 1));
    }
}
