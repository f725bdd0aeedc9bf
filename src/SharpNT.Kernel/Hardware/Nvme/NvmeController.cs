using System.Buffers.Binary;
using System.Diagnostics;
using SharpNT.Kernel.Hal;

namespace SharpNT.Kernel.Hardware.Nvme;

/// <summary>
/// A simulated NVMe controller (NVM Express Base Specification 1.4) with one namespace of 512-byte blocks,
/// backed by a raw image file through a <see cref="BlockCache"/>. The host talks to it as to the real thing:
/// registers in BAR0 (CAP, VS, INTMS/INTMC, CC, CSTS, AQA, ASQ, ACQ, doorbells), submission and completion
/// queues in physical memory, PRP1/PRP2 and PRP lists for data, completion entries with phase tags, a
/// level-sensitive pin interrupt. It reports a volatile write cache: written data reaches the file on Flush
/// and at a clean shutdown; a bug check is a power loss (the unflushed cache is lost, never half a sector).
/// </summary>
[DebuggerDisplay("NVMe {Name} {_cache.Path}")]
internal sealed partial class NvmeController : IHardwareDevice, IDisposable
{
    internal const ushort VendorId = 0x1B36;
    internal const ushort DeviceId = 0x0010;
    internal const uint RegisterSize = 0x4000;

    /// <summary>Maximum queue entries supported (CAP.MQES is this minus one).</summary>
    internal const int MaxQueueEntries = 1024;

    /// <summary>I/O queue identifiers 1 to this are accepted.</summary>
    internal const int MaxIoQueues = 16;

    /// <summary>MDTS: the largest transfer is 2^MDTS pages of 4 KiB (1 MiB).</summary>
    internal const int Mdts = 8;

    internal const int MaxTransferBytes = (1 << Mdts) * 4096;

    internal const int SubmissionEntrySize = 64;
    internal const int CompletionEntrySize = 16;

    private readonly IDeviceBus _bus;
    private readonly BlockCache _cache;
    private readonly int _line;
    private readonly byte[] _config = new byte[HalCore.PciConfigSize];
    private readonly NvmeQueue?[] _submissionQueues = new NvmeQueue?[MaxIoQueues + 1];
    private readonly NvmeQueue?[] _completionQueues = new NvmeQueue?[MaxIoQueues + 1];
    private readonly byte[] _entry = new byte[SubmissionEntrySize];
    private readonly byte[] _staging = new byte[MaxTransferBytes];
    private readonly List<(ulong Address, int Length)> _segments = [];
    private readonly object _lock = new();
    private uint _cc;
    private uint _csts;
    private uint _aqa;
    private ulong _asq;
    private ulong _acq;
    private uint _intms;
    private bool _doorbellRang;
    private bool _poweredOff;

    internal NvmeController(IDeviceBus bus, string name, string imagePath, ulong registerBase, int line)
    {
        _bus = bus;
        Name = name;
        RegisterBase = registerBase;
        _line = line;
        _cache = new BlockCache(imagePath);
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(0x00), VendorId);
        BinaryPrimitives.WriteUInt16LittleEndian(_config.AsSpan(0x02), DeviceId);
        _config[0x09] = 0x02; // programming interface: NVM Express
        _config[0x0A] = 0x08; // subclass: non-volatile memory controller
        _config[0x0B] = 0x01; // base class: mass storage
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(0x10), (uint)registerBase | 0x4); // BAR0: 64-bit memory
        BinaryPrimitives.WriteUInt32LittleEndian(_config.AsSpan(0x14), (uint)(registerBase >> 32));
        _config[0x3C] = (byte)line;
        _config[0x3D] = 1; // INTA#
    }

    public string Name { get; }

    public Span<byte> ConfigurationSpace => _config;

    public ulong RegisterBase { get; }

    public uint RegisterLength => RegisterSize;

    public bool NeedsService => _doorbellRang;

    internal BlockCache Cache => _cache;

    /// <summary>Namespace 1's size in blocks (NSZE).</summary>
    internal long BlockCount => _cache.SectorCount;

    /// <summary>CAP: MQES, CQR (contiguous queues required), TO = 1 (500 ms), DSTRD 0, CSS bit 37 (NVM command set), MPSMIN = MPSMAX = 0 (4 KiB).</summary>
    internal static ulong Capabilities => (ulong)(MaxQueueEntries - 1) | (1UL << 16) | (1UL << 24) | (1UL << 37);

    public ulong ReadRegister(uint offset, int size)
    {
        lock (_lock)
        {
            var value = offset switch
            {
                NvmeRegisters.CAP => Capabilities,
                NvmeRegisters.CAP + 4 => Capabilities >> 32,
                NvmeRegisters.VS => 0x0001_0400UL,
                NvmeRegisters.INTMS or NvmeRegisters.INTMC => _intms,
                NvmeRegisters.CC => _cc,
                NvmeRegisters.CSTS => _csts,
                NvmeRegisters.AQA => _aqa,
                NvmeRegisters.ASQ => _asq,
                NvmeRegisters.ASQ + 4 => _asq >> 32,
                NvmeRegisters.ACQ => _acq,
                NvmeRegisters.ACQ + 4 => _acq >> 32,
                _ => 0UL, // reserved registers and doorbells read as zero
            };
            return size == 8 ? value : value & ((1UL << (size * 8)) - 1);
        }
    }

    public void WriteRegister(uint offset, int size, ulong value)
    {
        var ring = false;
        lock (_lock)
        {
            if (_poweredOff)
            {
                return;
            }

            switch (offset)
            {
                case NvmeRegisters.INTMS:
                    _intms |= (uint)value & 1;
                    UpdateInterruptLocked();
                    break;
                case NvmeRegisters.INTMC:
                    _intms &= ~((uint)value & 1);
                    UpdateInterruptLocked();
                    break;
                case NvmeRegisters.CC:
                    WriteConfigurationLocked((uint)value);
                    break;
                case NvmeRegisters.AQA:
                    _aqa = (uint)value & 0x0FFF_0FFF;
                    break;
                case NvmeRegisters.ASQ:
                    _asq = size == 8 ? value : (_asq & ~0xFFFF_FFFFUL) | (uint)value;
                    break;
                case NvmeRegisters.ASQ + 4:
                    _asq = (_asq & 0xFFFF_FFFFUL) | (value << 32);
                    break;
                case NvmeRegisters.ACQ:
                    _acq = size == 8 ? value : (_acq & ~0xFFFF_FFFFUL) | (uint)value;
                    break;
                case NvmeRegisters.ACQ + 4:
                    _acq = (_acq & 0xFFFF_FFFFUL) | (value << 32);
                    break;
                case >= NvmeRegisters.DoorbellBase when (_csts & NvmeRegisters.CSTS_RDY) != 0:
                    ring = WriteDoorbellLocked(offset, (uint)value);
                    break;
            }
        }

        if (ring)
        {
            _bus.RequestService(this);
        }
    }

    private void WriteConfigurationLocked(uint value)
    {
        var wasEnabled = (_cc & NvmeRegisters.CC_EN) != 0;
        var enable = (value & NvmeRegisters.CC_EN) != 0;
        _cc = value;
        var shutdown = (value >> NvmeRegisters.CC_SHN_SHIFT) & 3;
        if (shutdown != 0 && wasEnabled)
        {
            // Shutdown notification: the volatile write cache is written back, then SHST reports done.
            _cache.Flush();
            _csts = (_csts & ~(3u << NvmeRegisters.CSTS_SHST_SHIFT)) | (NvmeRegisters.SHST_COMPLETE << NvmeRegisters.CSTS_SHST_SHIFT);
        }

        if (!wasEnabled && enable)
        {
            var asqs = (int)(_aqa & 0xFFF) + 1;
            var acqs = (int)((_aqa >> 16) & 0xFFF) + 1;
            var mps = (value >> 7) & 0xF;
            var css = (value >> 4) & 0x7;
            if (asqs < 2 || acqs < 2 || (_asq & 0xFFF) != 0 || (_acq & 0xFFF) != 0 || _asq == 0 || _acq == 0 || mps != 0 || css != 0)
            {
                // A configuration the controller cannot run with: it reports a fatal status and never becomes ready.
                _csts |= NvmeRegisters.CSTS_CFS;
                return;
            }

            _submissionQueues[0] = new NvmeQueue { Id = 0, Base = _asq, Size = asqs, CompletionQueueId = 0 };
            _completionQueues[0] = new NvmeQueue { Id = 0, Base = _acq, Size = acqs, InterruptsEnabled = true };
            _csts = (_csts & ~NvmeRegisters.CSTS_CFS) | NvmeRegisters.CSTS_RDY;
        }
        else if (wasEnabled && !enable)
        {
            // Controller reset: every queue is deleted, pending commands are dropped.
            Array.Clear(_submissionQueues);
            Array.Clear(_completionQueues);
            _doorbellRang = false;
            _csts &= ~(NvmeRegisters.CSTS_RDY | NvmeRegisters.CSTS_CFS);
            _bus.SetInterruptLine(_line, false);
        }
    }

    private bool WriteDoorbellLocked(uint offset, uint value)
    {
        var index = (int)((offset - NvmeRegisters.DoorbellBase) / 4);
        var qid = index / 2;
        if (qid > MaxIoQueues)
        {
            return false;
        }

        if (index % 2 == 0)
        {
            // A tail value beyond the queue is an invalid doorbell write: the controller ignores it.
            if (_submissionQueues[qid] is { } sq && value < sq.Size)
            {
                sq.HostPointer = (int)value;
                _doorbellRang = true;
                return true;
            }

            return false;
        }

        if (_completionQueues[qid] is { } cq && value < cq.Size)
        {
            cq.HostPointer = (int)value;
            UpdateInterruptLocked();

            // Room in a full completion queue lets stalled submissions go on.
            if (_doorbellRang)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The pin interrupt is asserted while an interrupt-enabled completion queue holds entries the host has not consumed.</summary>
    private void UpdateInterruptLocked()
    {
        var asserted = false;
        if ((_intms & 1) == 0)
        {
            foreach (var cq in _completionQueues)
            {
                if (cq is { InterruptsEnabled: true } && cq.HostPointer != cq.ControllerPointer)
                {
                    asserted = true;
                    break;
                }
            }
        }

        _bus.SetInterruptLine(_line, asserted);
    }

    /// <summary>Processes the submitted commands of every queue, admin queue first, then posts their completions.</summary>
    public void Service()
    {
        lock (_lock)
        {
            if (_poweredOff || (_csts & NvmeRegisters.CSTS_RDY) == 0)
            {
                _doorbellRang = false;
                return;
            }

            _doorbellRang = false;
            for (var qid = 0; qid <= MaxIoQueues; qid++)
            {
                if (_submissionQueues[qid] is { } sq)
                {
                    ProcessLocked(sq);
                }
            }

            UpdateInterruptLocked();
        }
    }

    private void ProcessLocked(NvmeQueue sq)
    {
        while (sq.ControllerPointer != sq.HostPointer)
        {
            var cq = _completionQueues[sq.CompletionQueueId];
            if (cq is null)
            {
                return;
            }

            if (cq.CompletionQueueFull)
            {
                // No room to post a completion: the command waits in its queue until the host frees an entry.
                _doorbellRang = true;
                return;
            }

            if (_bus.Halted)
            {
                return;
            }

            var entryAddress = sq.Base + ((ulong)sq.ControllerPointer * SubmissionEntrySize);
            if (!ReadPhysical(entryAddress, _entry))
            {
                _csts |= NvmeRegisters.CSTS_CFS;
                return;
            }

            sq.ControllerPointer = (sq.ControllerPointer + 1) % sq.Size;
            var cid = BinaryPrimitives.ReadUInt16LittleEndian(_entry.AsSpan(2));
            var (status, result) = sq.Id == 0 ? ExecuteAdmin(_entry) : ExecuteIo(_entry);
            PostCompletionLocked(cq, sq, cid, status, result);
        }
    }

    private void PostCompletionLocked(NvmeQueue cq, NvmeQueue sq, ushort cid, ushort status, uint result)
    {
        Span<byte> completion = stackalloc byte[CompletionEntrySize];
        BinaryPrimitives.WriteUInt32LittleEndian(completion, result);
        BinaryPrimitives.WriteUInt32LittleEndian(completion[8..], (uint)sq.ControllerPointer | ((uint)sq.Id << 16));
        BinaryPrimitives.WriteUInt32LittleEndian(completion[12..], cid | ((uint)cq.Phase << 16) | ((uint)status << 17));
        WritePhysical(cq.Base + ((ulong)cq.ControllerPointer * CompletionEntrySize), completion);
        cq.ControllerPointer++;
        if (cq.ControllerPointer == cq.Size)
        {
            cq.ControllerPointer = 0;
            cq.Phase ^= 1;
        }
    }

    /// <summary>The machine stopped: the controller loses power; its unflushed cache is gone, the file keeps what was flushed.</summary>
    public void PowerLoss()
    {
        lock (_lock)
        {
            _poweredOff = true;
            _cache.Discard();
        }
    }

    /// <summary>A clean shutdown: the volatile write cache is written back to the image.</summary>
    public void Shutdown()
    {
        lock (_lock)
        {
            if (_poweredOff)
            {
                return;
            }

            _poweredOff = true;
            _cache.Flush();
            _cache.Close();
        }
    }

    public void Dispose() => _cache.Dispose();

    // ---- Bus-master DMA ------------------------------------------------------------------------------

    private bool ReadPhysical(ulong address, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var pfn = address >> 12;
            if (pfn >= (ulong)_bus.FrameCount)
            {
                return false;
            }

            var offset = (int)(address & 0xFFF);
            var count = Math.Min(destination.Length, 4096 - offset);
            _bus.Frame(pfn).Slice(offset, count).CopyTo(destination);
            destination = destination[count..];
            address += (ulong)count;
        }

        return true;
    }

    private bool WritePhysical(ulong address, ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            var pfn = address >> 12;
            if (pfn >= (ulong)_bus.FrameCount)
            {
                return false;
            }

            var offset = (int)(address & 0xFFF);
            var count = Math.Min(source.Length, 4096 - offset);
            source[..count].CopyTo(_bus.Frame(pfn).Slice(offset, count));
            source = source[count..];
            address += (ulong)count;
        }

        return true;
    }
}
