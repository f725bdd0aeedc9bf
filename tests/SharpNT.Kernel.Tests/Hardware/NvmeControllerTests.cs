using System.Buffers.Binary;
using SharpNT.Kernel.Hardware;
using SharpNT.Kernel.Hardware.Nvme;
using static SharpNT.Kernel.Hardware.Nvme.NvmeRegisters;

namespace SharpNT.Kernel.Tests.Hardware;

/// <summary>
/// The NVMe controller driven at register level, as a host driver would: queues in (fake) physical memory,
/// doorbells, phase tags, PRP lists, and the status codes of malformed commands.
/// </summary>
public sealed class NvmeControllerTests : IDisposable
{
    // Physical layout of the test host's memory: admin SQ, admin CQ, I/O SQ, I/O CQ, data pages, PRP lists.
    private const ulong AdminSq = 0x1000;
    private const ulong AdminCq = 0x2000;
    private const ulong IoSq = 0x3000;
    private const ulong IoCq = 0x4000;
    private const ulong Data = 0x10000;
    private const ulong PrpList = 0x8000;
    private const int AdminDepth = 4;

    private readonly string _image;
    private readonly FakeDeviceBus _bus = new(512);
    private readonly NvmeController _controller;
    private int _adminTail;
    private int _adminHead;
    private int _adminPhase = 1;
    private int _ioTail;
    private int _ioHead;
    private int _ioPhase = 1;
    private ushort _cid;

    public NvmeControllerTests()
    {
        _image = Path.Combine(Path.GetTempPath(), $"sharpnt-nvme-{Guid.NewGuid():N}.raw");
        var bytes = new byte[1024 * 1024];
        for (var s = 0; s < bytes.Length / 512; s++)
        {
            bytes.AsSpan(s * 512, 512).Fill((byte)(s & 0xFF));
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(s * 512), s);
        }

        File.WriteAllBytes(_image, bytes);
        _controller = new NvmeController(_bus, "nvme-test", _image, 0x1_0000_0000UL, 3);
    }

    public void Dispose()
    {
        _controller.Dispose();
        File.Delete(_image);
    }

    private ulong Reg(uint offset, int size = 4) => _controller.ReadRegister(offset, size);

    private void SetReg(uint offset, ulong value, int size = 4) => _controller.WriteRegister(offset, size, value);

    private void Enable(int adminDepth = AdminDepth)
    {
        SetReg(AQA, (uint)(adminDepth - 1) | ((uint)(adminDepth - 1) << 16));
        SetReg(ASQ, AdminSq, 8);
        SetReg(ACQ, AdminCq, 8);
        SetReg(CC, (6u << 16) | (4u << 20) | CC_EN);
    }

    private static byte[] Command(byte opcode, uint nsid = 0, ulong prp1 = 0, ulong prp2 = 0, uint cdw10 = 0, uint cdw11 = 0, uint cdw12 = 0)
    {
        var c = new byte[64];
        c[0] = opcode;
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(4), nsid);
        BinaryPrimitives.WriteUInt64LittleEndian(c.AsSpan(24), prp1);
        BinaryPrimitives.WriteUInt64LittleEndian(c.AsSpan(32), prp2);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(40), cdw10);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(44), cdw11);
        BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(48), cdw12);
        return c;
    }

    private sealed record Completion(uint Result, ushort SqHead, ushort SqId, ushort Cid, int Phase, ushort Status);

    private Completion ReadCompletion(ulong cqBase, int head)
    {
        var e = _bus.Physical(cqBase + ((ulong)head * 16), 16);
        var dw2 = BinaryPrimitives.ReadUInt32LittleEndian(e[8..]);
        var dw3 = BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
        return new Completion(BinaryPrimitives.ReadUInt32LittleEndian(e), (ushort)dw2, (ushort)(dw2 >> 16), (ushort)dw3,
            (int)((dw3 >> 16) & 1), (ushort)(dw3 >> 17));
    }

    /// <summary>Submits on the admin queue, lets the controller work, and reaps the completion (checking its phase tag).</summary>
    private Completion Admin(byte[] command)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(command.AsSpan(2), ++_cid);
        command.CopyTo(_bus.Physical(AdminSq + ((ulong)_adminTail * 64), 64));
        _adminTail = (_adminTail + 1) % AdminDepth;
        SetReg(SubmissionTailDoorbell(0), (uint)_adminTail);
        _controller.Service();
        var completion = ReadCompletion(AdminCq, _adminHead);
        Assert.Equal(_adminPhase, completion.Phase);
        Assert.Equal(_cid, completion.Cid);
        _adminHead++;
        if (_adminHead == AdminDepth)
        {
            _adminHead = 0;
            _adminPhase ^= 1;
        }

        SetReg(CompletionHeadDoorbell(0), (uint)_adminHead);
        return completion;
    }

    private void CreateIoQueues()
    {
        Assert.Equal(0, Admin(Command(NvmeOpcodes.CreateIoCompletionQueue, prp1: IoCq, cdw10: 1u | (15u << 16), cdw11: 0b11)).Status);
        Assert.Equal(0, Admin(Command(NvmeOpcodes.CreateIoSubmissionQueue, prp1: IoSq, cdw10: 1u | (15u << 16), cdw11: 1u | (1u << 16))).Status);
    }

    private Completion Io(byte[] command)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(command.AsSpan(2), ++_cid);
        command.CopyTo(_bus.Physical(IoSq + ((ulong)_ioTail * 64), 64));
        _ioTail = (_ioTail + 1) % 16;
        SetReg(SubmissionTailDoorbell(1), (uint)_ioTail);
        _controller.Service();
        var completion = ReadCompletion(IoCq, _ioHead);
        Assert.Equal(_ioPhase, completion.Phase);
        _ioHead++;
        if (_ioHead == 16)
        {
            _ioHead = 0;
            _ioPhase ^= 1;
        }

        SetReg(CompletionHeadDoorbell(1), (uint)_ioHead);
        return completion;
    }

    [Fact]
    public void Capabilities_and_version_read_as_an_NVMe_1_4_controller_with_4KiB_pages()
    {
        var cap = Reg(CAP, 8);
        Assert.Equal(1023UL, cap & 0xFFFF); // MQES: 1024 entries
        Assert.Equal(1UL, (cap >> 16) & 1); // CQR: contiguous queues required
        Assert.Equal(1UL, (cap >> 37) & 1); // CSS: NVM command set
        Assert.Equal(0UL, (cap >> 48) & 0xF); // MPSMIN: 4 KiB
        Assert.Equal(0x0001_0400UL, Reg(VS));
        Assert.Equal(cap >> 32, Reg(CAP + 4));
    }

    [Fact]
    public void Enabling_sets_CSTS_RDY_and_disabling_clears_it()
    {
        Assert.Equal(0UL, Reg(CSTS) & CSTS_RDY);
        Enable();
        Assert.Equal((ulong)CSTS_RDY, Reg(CSTS) & CSTS_RDY);
        SetReg(CC, 0);
        Assert.Equal(0UL, Reg(CSTS) & CSTS_RDY);
    }

    [Fact]
    public void Enabling_with_an_unaligned_admin_queue_reports_controller_fatal_status_and_never_becomes_ready()
    {
        SetReg(AQA, 3u | (3u << 16));
        SetReg(ASQ, AdminSq + 0x10, 8);
        SetReg(ACQ, AdminCq, 8);
        SetReg(CC, CC_EN);
        Assert.Equal((ulong)CSTS_CFS, Reg(CSTS) & (CSTS_CFS | CSTS_RDY));
    }

    [Fact]
    public void Identify_controller_fills_the_data_page_and_completes_with_the_phase_tag_set()
    {
        Enable();
        var c = Admin(Command(NvmeOpcodes.Identify, prp1: Data, cdw10: NvmeOpcodes.CnsController));
        Assert.Equal(0, c.Status);
        Assert.Equal(1, c.Phase);
        Assert.Equal(0, c.SqId);
        Assert.Equal(1, c.SqHead);
        var page = _bus.Physical(Data, 4096);
        Assert.Equal(NvmeController.VendorId, BinaryPrimitives.ReadUInt16LittleEndian(page));
        Assert.StartsWith(NvmeController.ModelNumber, System.Text.Encoding.ASCII.GetString(page.Slice(24, 40)));
        Assert.Equal(NvmeController.Mdts, page[77]);
        Assert.Equal(0x66, page[512]);
        Assert.Equal(1, page[525]); // a volatile write cache
    }

    [Fact]
    public void Identify_namespace_reports_the_image_size_in_512_byte_blocks()
    {
        Enable();
        Assert.Equal(0, Admin(Command(NvmeOpcodes.Identify, nsid: 1, prp1: Data, cdw10: NvmeOpcodes.CnsNamespace)).Status);
        var page = _bus.Physical(Data, 4096);
        Assert.Equal(2048UL, BinaryPrimitives.ReadUInt64LittleEndian(page));
        Assert.Equal(9, page[128 + 2]); // LBADS
        var bad = Admin(Command(NvmeOpcodes.Identify, nsid: 7, prp1: Data, cdw10: NvmeOpcodes.CnsNamespace));
        Assert.Equal(NvmeStatus.InvalidNamespaceOrFormat, NvmeStatus.StatusCode(bad.Status));
    }

    [Fact]
    public void The_phase_tag_flips_each_time_the_completion_queue_wraps()
    {
        Enable();
        var phases = new List<int>();
        for (var i = 0; i < AdminDepth * 2 + 1; i++)
        {
            phases.Add(Admin(Command(NvmeOpcodes.Identify, prp1: Data, cdw10: NvmeOpcodes.CnsController)).Phase);
        }

        Assert.Equal([1, 1, 1, 1, 0, 0, 0, 0, 1], phases);
    }

    [Fact]
    public void The_interrupt_line_follows_unconsumed_completions_and_the_mask()
    {
        Enable();
        var command = Command(NvmeOpcodes.Identify, prp1: Data, cdw10: NvmeOpcodes.CnsController);
        command.CopyTo(_bus.Physical(AdminSq, 64));
        SetReg(SubmissionTailDoorbell(0), 1);
        Assert.Equal(1, _bus.ServiceRequests);
        Assert.False(_bus.Line); // the doorbell only asks; the work happens when the device is serviced
        _controller.Service();
        Assert.True(_bus.Line);
        SetReg(INTMS, 1);
        Assert.False(_bus.Line);
        SetReg(INTMC, 1);
        Assert.True(_bus.Line);
        SetReg(CompletionHeadDoorbell(0), 1);
        Assert.False(_bus.Line);
    }

    [Fact]
    public void A_read_of_more_than_two_pages_follows_a_PRP_list()
    {
        Enable();
        CreateIoQueues();

        // 24 blocks = 12 KiB starting 512 bytes into a page: PRP1 plus a list of three more pages, scattered.
        ulong[] pages = [Data + 0x5000, Data + 0x2000, Data + 0x9000];
        for (var i = 0; i < pages.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_bus.Physical(PrpList + ((ulong)i * 8), 8), pages[i]);
        }

        var c = Io(Command(NvmeOpcodes.Read, nsid: 1, prp1: Data + 0x200, prp2: PrpList, cdw10: 100, cdw12: 23));
        Assert.Equal(0, c.Status);
        var image = File.ReadAllBytes(_image).AsSpan(100 * 512, 24 * 512);
        Assert.True(image[..(4096 - 0x200)].SequenceEqual(_bus.Physical(Data + 0x200, 4096 - 0x200)));
        var done = 4096 - 0x200;
        foreach (var page in pages)
        {
            var n = Math.Min(4096, image.Length - done);
            Assert.True(image.Slice(done, n).SequenceEqual(_bus.Physical(page, n)));
            done += n;
        }

        Assert.Equal(image.Length, done);
    }

    [Fact]
    public void A_PRP_list_that_fills_its_page_chains_to_the_next_list_page()
    {
        Enable();
        CreateIoQueues();

        // 1 MiB = 256 pages: PRP1, then 255 list entries; the list starts 8 entries before the end of its
        // page, so its last slot there points at a second list page.
        var list = PrpList + 4096 - 64;
        var next = PrpList + 4096;
        var page = 0;
        for (var slot = 0; slot < 7; slot++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_bus.Physical(list + ((ulong)slot * 8), 8), Data + ((ulong)(++page) * 4096));
        }

        BinaryPrimitives.WriteUInt64LittleEndian(_bus.Physical(list + 56, 8), next);
        for (var slot = 0; page < 255; slot++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_bus.Physical(next + ((ulong)slot * 8), 8), Data + ((ulong)(++page) * 4096));
        }

        var c = Io(Command(NvmeOpcodes.Read, nsid: 1, prp1: Data, prp2: list, cdw10: 0, cdw12: 2047));
        Assert.Equal(0, c.Status);
        Assert.True(File.ReadAllBytes(_image).AsSpan().SequenceEqual(_bus.Physical(Data, 1024 * 1024)));
    }

    [Fact]
    public void Malformed_commands_complete_with_the_status_codes_the_specification_assigns()
    {
        Enable();
        CreateIoQueues();
        ushort Status(byte[] command) => Io(command).Status;

        var misaligned = Status(Command(NvmeOpcodes.Read, nsid: 1, prp1: Data + 2, cdw10: 0, cdw12: 0));
        Assert.Equal((NvmeStatus.SctGeneric, NvmeStatus.PrpOffsetInvalid), (NvmeStatus.StatusCodeType(misaligned), NvmeStatus.StatusCode(misaligned)));
        Assert.NotEqual(0, misaligned & NvmeStatus.DoNotRetry);

        var listEntry = Status(Command(NvmeOpcodes.Read, nsid: 1, prp1: Data, prp2: Data + 0x4010, cdw10: 0, cdw12: 15));
        Assert.Equal(NvmeStatus.PrpOffsetInvalid, NvmeStatus.StatusCode(listEntry));

        Assert.Equal(NvmeStatus.LbaOutOfRange, NvmeStatus.StatusCode(Status(Command(NvmeOpcodes.Read, nsid: 1, prp1: Data, cdw10: 2047, cdw12: 1))));
        Assert.Equal(NvmeStatus.InvalidNamespaceOrFormat, NvmeStatus.StatusCode(Status(Command(NvmeOpcodes.Read, nsid: 2, prp1: Data, cdw12: 0))));
        Assert.Equal(NvmeStatus.InvalidCommandOpcode, NvmeStatus.StatusCode(Status(Command(0x7F, nsid: 1))));
        Assert.Equal(NvmeStatus.InvalidFieldInCommand, NvmeStatus.StatusCode(Status(Command(NvmeOpcodes.Read, nsid: 1, prp1: Data, cdw12: 4095))));

        var noCq = Admin(Command(NvmeOpcodes.CreateIoSubmissionQueue, prp1: IoSq + 0x8000, cdw10: 2u | (15u << 16), cdw11: 1u | (9u << 16))).Status;
        Assert.Equal((NvmeStatus.SctCommandSpecific, NvmeStatus.CompletionQueueInvalid), (NvmeStatus.StatusCodeType(noCq), NvmeStatus.StatusCode(noCq)));
        var taken = Admin(Command(NvmeOpcodes.CreateIoCompletionQueue, prp1: IoCq, cdw10: 1u | (15u << 16), cdw11: 1)).Status;
        Assert.Equal(NvmeStatus.InvalidQueueIdentifier, NvmeStatus.StatusCode(taken));
        var tooBig = Admin(Command(NvmeOpcodes.CreateIoCompletionQueue, prp1: IoCq, cdw10: 2u | (4096u << 16), cdw11: 1)).Status;
        Assert.Equal(NvmeStatus.InvalidQueueSize, NvmeStatus.StatusCode(tooBig));
        var inUse = Admin(Command(NvmeOpcodes.DeleteIoCompletionQueue, cdw10: 1)).Status;
        Assert.Equal(NvmeStatus.InvalidQueueDeletion, NvmeStatus.StatusCode(inUse));
    }

    [Fact]
    public void Writes_reach_the_file_on_Flush_and_a_failed_transfer_writes_nothing()
    {
        Enable();
        CreateIoQueues();
        _bus.Physical(Data, 4096).Fill(0xEE);
        Assert.Equal(0, Io(Command(NvmeOpcodes.Write, nsid: 1, prp1: Data, cdw10: 8, cdw12: 7)).Status);
        Assert.Equal(8, File.ReadAllBytes(_image)[8 * 512]); // still in the volatile write cache
        Assert.Equal(0, Io(Command(NvmeOpcodes.Flush, nsid: 1)).Status);
        var image = File.ReadAllBytes(_image);
        Assert.All(image.AsSpan(8 * 512, 4096).ToArray(), b => Assert.Equal(0xEE, b));

        // A PRP beyond physical memory: the data transfer fails and the media is left as it was.
        var status = Io(Command(NvmeOpcodes.Write, nsid: 1, prp1: Data, prp2: 0x7000_0000, cdw10: 16, cdw12: 15)).Status;
        Assert.Equal(NvmeStatus.DataTransferError, NvmeStatus.StatusCode(status));
        Io(Command(NvmeOpcodes.Flush, nsid: 1));
        Assert.Equal(16, File.ReadAllBytes(_image)[16 * 512]);
    }

    [Fact]
    public void A_missing_image_or_one_that_is_not_whole_sectors_is_refused_with_a_message()
    {
        var missing = Assert.Throws<DiskImageException>(() => new NvmeController(_bus, "x", "/nonexistent/disk.raw", 0, 0));
        Assert.Contains("does not exist", missing.Message);
        var odd = _image + ".odd";
        File.WriteAllBytes(odd, new byte[1000]);
        try
        {
            var e = Assert.Throws<DiskImageException>(() => new NvmeController(_bus, "x", odd, 0, 0));
            Assert.Contains("1000 bytes", e.Message);
        }
        finally
        {
            File.Delete(odd);
        }
    }
}
