using System.Buffers.Binary;
using System.Text;
using static SharpNT.Kernel.Hardware.Nvme.NvmeStatus;

namespace SharpNT.Kernel.Hardware.Nvme;

internal sealed partial class NvmeController
{
    internal const string SerialNumber = "SHARPNT0000000000001";
    internal const string ModelNumber = "SharpNT NVMe Controller";
    internal const string FirmwareRevision = "1.0";

    private const int PageSize = 4096;
    private static readonly (ushort, uint) s_success = (0, 0);

    private static uint Dword(ReadOnlySpan<byte> entry, int index) => BinaryPrimitives.ReadUInt32LittleEndian(entry[(index * 4)..]);

    private static ulong Qword(ReadOnlySpan<byte> entry, int index) => BinaryPrimitives.ReadUInt64LittleEndian(entry[(index * 4)..]);

    private static (ushort Status, uint Result) Fail(ushort sct, ushort sc) => (Make(sct, sc), 0);

    // ---- Admin command set ---------------------------------------------------------------------------

    private (ushort Status, uint Result) ExecuteAdmin(ReadOnlySpan<byte> entry)
    {
        var opcode = entry[0];
        return opcode switch
        {
            NvmeOpcodes.Identify => Identify(entry),
            NvmeOpcodes.CreateIoCompletionQueue => CreateCompletionQueue(entry),
            NvmeOpcodes.CreateIoSubmissionQueue => CreateSubmissionQueue(entry),
            NvmeOpcodes.DeleteIoSubmissionQueue => DeleteSubmissionQueue(entry),
            NvmeOpcodes.DeleteIoCompletionQueue => DeleteCompletionQueue(entry),
            NvmeOpcodes.SetFeatures => SetFeatures(entry),
            _ => Fail(SctGeneric, InvalidCommandOpcode),
        };
    }

    private (ushort, uint) Identify(ReadOnlySpan<byte> entry)
    {
        var cns = (byte)Dword(entry, 10);
        var nsid = Dword(entry, 1);
        var data = _staging.AsSpan(0, PageSize);
        data.Clear();
        switch (cns)
        {
            case NvmeOpcodes.CnsController:
                BinaryPrimitives.WriteUInt16LittleEndian(data, VendorId);
                BinaryPrimitives.WriteUInt16LittleEndian(data[2..], VendorId);
                Ascii(data.Slice(4, 20), SerialNumber);
                Ascii(data.Slice(24, 40), ModelNumber);
                Ascii(data.Slice(64, 8), FirmwareRevision);
                data[77] = Mdts;
                BinaryPrimitives.WriteUInt16LittleEndian(data[78..], 1); // CNTLID
                BinaryPrimitives.WriteUInt32LittleEndian(data[80..], 0x0001_0400); // VER
                data[512] = 0x66; // SQES: 64-byte entries
                data[513] = 0x44; // CQES: 16-byte entries
                BinaryPrimitives.WriteUInt32LittleEndian(data[516..], 1); // NN: one namespace
                data[525] = 1; // VWC: a volatile write cache is present
                break;
            case NvmeOpcodes.CnsNamespace:
                if (nsid != 1)
                {
                    return Fail(SctGeneric, InvalidNamespaceOrFormat);
                }

                BinaryPrimitives.WriteUInt64LittleEndian(data, (ulong)BlockCount); // NSZE
                BinaryPrimitives.WriteUInt64LittleEndian(data[8..], (ulong)BlockCount); // NCAP
                BinaryPrimitives.WriteUInt64LittleEndian(data[16..], (ulong)BlockCount); // NUSE
                data[25] = 0; // NLBAF: one format
                data[26] = 0; // FLBAS: format 0
                BinaryPrimitives.WriteUInt32LittleEndian(data[128..], 9u << 16); // LBAF0: LBADS 9 (512 bytes)
                break;
            case NvmeOpcodes.CnsActiveNamespaces:
                BinaryPrimitives.WriteUInt32LittleEndian(data, nsid < 1 ? 1u : 0u);
                break;
            default:
                return Fail(SctGeneric, InvalidFieldInCommand);
        }

        var prp = BuildSegments(Qword(entry, 6), Qword(entry, 8), PageSize);
        if (prp != 0)
        {
            return (prp, 0);
        }

        return ScatterFromStaging(PageSize) ? s_success : Fail(SctGeneric, DataTransferError);
    }

    private (ushort, uint) CreateCompletionQueue(ReadOnlySpan<byte> entry)
    {
        var dw10 = Dword(entry, 10);
        var dw11 = Dword(entry, 11);
        var qid = (int)(dw10 & 0xFFFF);
        var size = (int)(dw10 >> 16) + 1;
        var prp1 = Qword(entry, 6);
        if (qid == 0 || qid > MaxIoQueues || _completionQueues[qid] is not null)
        {
            return Fail(SctCommandSpecific, InvalidQueueIdentifier);
        }

        if (size < 2 || size > MaxQueueEntries)
        {
            return Fail(SctCommandSpecific, InvalidQueueSize);
        }

        if ((dw11 & 1) == 0 || ((_cc >> 20) & 0xF) != 4)
        {
            // CAP.CQR: queues must be physically contiguous; and IOCQES must say 16-byte entries.
            return Fail(SctGeneric, InvalidFieldInCommand);
        }

        if ((dw11 >> 16) != 0)
        {
            // Pin-based interrupts: vector 0 is the only one.
            return Fail(SctCommandSpecific, InvalidInterruptVector);
        }

        if ((prp1 & 0xFFF) != 0)
        {
            return Fail(SctGeneric, PrpOffsetInvalid);
        }

        _completionQueues[qid] = new NvmeQueue { Id = qid, Base = prp1, Size = size, InterruptsEnabled = (dw11 & 2) != 0 };
        return s_success;
    }

    private (ushort, uint) CreateSubmissionQueue(ReadOnlySpan<byte> entry)
    {
        var dw10 = Dword(entry, 10);
        var dw11 = Dword(entry, 11);
        var qid = (int)(dw10 & 0xFFFF);
        var size = (int)(dw10 >> 16) + 1;
        var cqid = (int)(dw11 >> 16);
        var prp1 = Qword(entry, 6);
        if (qid == 0 || qid > MaxIoQueues || _submissionQueues[qid] is not null)
        {
            return Fail(SctCommandSpecific, InvalidQueueIdentifier);
        }

        if (size < 2 || size > MaxQueueEntries)
        {
            return Fail(SctCommandSpecific, InvalidQueueSize);
        }

        if (cqid == 0 || cqid > MaxIoQueues || _completionQueues[cqid] is null)
        {
            return Fail(SctCommandSpecific, CompletionQueueInvalid);
        }

        if ((dw11 & 1) == 0 || ((_cc >> 16) & 0xF) != 6)
        {
            return Fail(SctGeneric, InvalidFieldInCommand);
        }

        if ((prp1 & 0xFFF) != 0)
        {
            return Fail(SctGeneric, PrpOffsetInvalid);
        }

        _submissionQueues[qid] = new NvmeQueue { Id = qid, Base = prp1, Size = size, CompletionQueueId = cqid };
        return s_success;
    }

    private (ushort, uint) DeleteSubmissionQueue(ReadOnlySpan<byte> entry)
    {
        var qid = (int)(Dword(entry, 10) & 0xFFFF);
        if (qid == 0 || qid > MaxIoQueues || _submissionQueues[qid] is null)
        {
            return Fail(SctCommandSpecific, InvalidQueueIdentifier);
        }

        _submissionQueues[qid] = null;
        return s_success;
    }

    private (ushort, uint) DeleteCompletionQueue(ReadOnlySpan<byte> entry)
    {
        var qid = (int)(Dword(entry, 10) & 0xFFFF);
        if (qid == 0 || qid > MaxIoQueues || _completionQueues[qid] is null)
        {
            return Fail(SctCommandSpecific, InvalidQueueIdentifier);
        }

        if (_submissionQueues.Any(sq => sq is not null && sq.Id != 0 && sq.CompletionQueueId == qid))
        {
            return Fail(SctCommandSpecific, InvalidQueueDeletion);
        }

        _completionQueues[qid] = null;
        return s_success;
    }

    private (ushort, uint) SetFeatures(ReadOnlySpan<byte> entry)
    {
        if ((byte)Dword(entry, 10) != NvmeOpcodes.FeatureNumberOfQueues)
        {
            return Fail(SctGeneric, InvalidFieldInCommand);
        }

        // Completion dword 0: the queues allocated (0-based), submission in 15:0 and completion in 31:16.
        const uint allocated = MaxIoQueues - 1;
        return (0, allocated | (allocated << 16));
    }

    // ---- NVM command set -----------------------------------------------------------------------------

    private (ushort Status, uint Result) ExecuteIo(ReadOnlySpan<byte> entry)
    {
        var opcode = entry[0];
        if (opcode is not (NvmeOpcodes.Read or NvmeOpcodes.Write or NvmeOpcodes.Flush))
        {
            return Fail(SctGeneric, InvalidCommandOpcode);
        }

        if (Dword(entry, 1) != 1)
        {
            return Fail(SctGeneric, InvalidNamespaceOrFormat);
        }

        if (opcode == NvmeOpcodes.Flush)
        {
            _cache.Flush();
            return s_success;
        }

        var slba = Qword(entry, 10);
        var blocks = (Dword(entry, 12) & 0xFFFF) + 1;
        var bytes = (int)(blocks * BlockCache.SectorSize);
        if (bytes > MaxTransferBytes)
        {
            // Larger than MDTS allows.
            return Fail(SctGeneric, InvalidFieldInCommand);
        }

        if (slba >= (ulong)BlockCount || slba + blocks > (ulong)BlockCount)
        {
            return Fail(SctGeneric, LbaOutOfRange);
        }

        var prp = BuildSegments(Qword(entry, 6), Qword(entry, 8), bytes);
        if (prp != 0)
        {
            return (prp, 0);
        }

        var offset = (long)slba * BlockCache.SectorSize;
        if (opcode == NvmeOpcodes.Read)
        {
            // Straight from the cache into each page of the host's buffer (each PRP segment lies in one page).
            foreach (var (address, count) in _segments)
            {
                if ((address >> 12) >= (ulong)_bus.FrameCount)
                {
                    return Fail(SctGeneric, DataTransferError);
                }

                _cache.Read(offset, _bus.Frame(address >> 12).Slice((int)(address & 0xFFF), count));
                offset += count;
            }

            return s_success;
        }

        if (_cache.ReadOnly)
        {
            return Fail(SctGeneric, NamespaceIsWriteProtected);
        }

        // The data is gathered whole before any of it is applied: a transfer that fails leaves the media as it was.
        if (!GatherToStaging(bytes))
        {
            return Fail(SctGeneric, DataTransferError);
        }

        _cache.Write(offset, _staging.AsSpan(0, bytes));
        return s_success;
    }

    /// <summary>
    /// Walks PRP1/PRP2 into the physical segments of a transfer (NVMe 1.4 section 4.3): PRP1 may start
    /// anywhere dword-aligned in a page; if the rest fits in one page PRP2 points at it, otherwise PRP2 points
    /// at a PRP list whose entries are page addresses, the last entry of a full list page chaining to the next
    /// list page. Returns 0 or the status of a malformed list.
    /// </summary>
    private ushort BuildSegments(ulong prp1, ulong prp2, int length)
    {
        _segments.Clear();
        if ((prp1 & 3) != 0)
        {
            return Make(SctGeneric, PrpOffsetInvalid);
        }

        var first = Math.Min(length, PageSize - (int)(prp1 & 0xFFF));
        _segments.Add((prp1, first));
        var remaining = length - first;
        if (remaining == 0)
        {
            return 0;
        }

        if (remaining <= PageSize)
        {
            if ((prp2 & 0xFFF) != 0)
            {
                return Make(SctGeneric, PrpOffsetInvalid);
            }

            _segments.Add((prp2, remaining));
            return 0;
        }

        if ((prp2 & 7) != 0)
        {
            return Make(SctGeneric, PrpOffsetInvalid);
        }

        var list = prp2;
        Span<byte> slot = stackalloc byte[8];
        while (remaining > 0)
        {
            var lastInPage = (list & 0xFFF) == PageSize - 8;
            if (!ReadPhysical(list, slot))
            {
                return Make(SctGeneric, DataTransferError);
            }

            var address = BinaryPrimitives.ReadUInt64LittleEndian(slot);
            if (lastInPage && remaining > PageSize)
            {
                // The last entry of a list page points at the next page of the list.
                if ((address & 7) != 0)
                {
                    return Make(SctGeneric, PrpOffsetInvalid);
                }

                list = address;
                continue;
            }

            if ((address & 0xFFF) != 0)
            {
                return Make(SctGeneric, PrpOffsetInvalid);
            }

            var count = Math.Min(remaining, PageSize);
            _segments.Add((address, count));
            remaining -= count;
            list += 8;
        }

        return 0;
    }

    private bool ScatterFromStaging(int length)
    {
        var done = 0;
        foreach (var (address, count) in _segments)
        {
            if (!WritePhysical(address, _staging.AsSpan(done, count)))
            {
                return false;
            }

            done += count;
        }

        return done == length;
    }

    private bool GatherToStaging(int length)
    {
        var done = 0;
        foreach (var (address, count) in _segments)
        {
            if (!ReadPhysical(address, _staging.AsSpan(done, count)))
            {
                return false;
            }

            done += count;
        }

        return done == length;
    }

    private static void Ascii(Span<byte> field, string text)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, field.Length)), field);
    }
}
