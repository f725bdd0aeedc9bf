namespace SharpNT.Kernel.Hardware.Nvme;

/// <summary>The controller registers of an NVMe controller's BAR0 (NVM Express Base Specification 1.4, section 3.1).</summary>
public static class NvmeRegisters
{
    /// <summary>CAP: controller capabilities (64-bit): MQES 15:0, CQR 16, TO 31:24, DSTRD 35:32, CSS 44:37, MPSMIN 51:48, MPSMAX 55:52.</summary>
    public const uint CAP = 0x00;

    /// <summary>VS: version (MJR 31:16, MNR 15:8, TER 7:0).</summary>
    public const uint VS = 0x08;

    /// <summary>INTMS: interrupt mask set (write 1 to mask a vector; pin-based: bit 0).</summary>
    public const uint INTMS = 0x0C;

    /// <summary>INTMC: interrupt mask clear.</summary>
    public const uint INTMC = 0x10;

    /// <summary>CC: controller configuration: EN 0, CSS 6:4, MPS 10:7, AMS 13:11, SHN 15:14, IOSQES 19:16, IOCQES 23:20.</summary>
    public const uint CC = 0x14;

    /// <summary>CSTS: controller status: RDY 0, CFS 1, SHST 3:2.</summary>
    public const uint CSTS = 0x1C;

    /// <summary>AQA: admin queue attributes: ASQS 11:0, ACQS 27:16 (0-based sizes).</summary>
    public const uint AQA = 0x24;

    /// <summary>ASQ: admin submission queue base address (64-bit, 4 KiB aligned).</summary>
    public const uint ASQ = 0x28;

    /// <summary>ACQ: admin completion queue base address (64-bit, 4 KiB aligned).</summary>
    public const uint ACQ = 0x30;

    /// <summary>The first doorbell: SQ y tail at 0x1000 + 2y*(4 &lt;&lt; DSTRD), CQ y head at 0x1000 + (2y+1)*(4 &lt;&lt; DSTRD).</summary>
    public const uint DoorbellBase = 0x1000;

    public const uint CC_EN = 1u << 0;
    public const int CC_SHN_SHIFT = 14;
    public const uint CSTS_RDY = 1u << 0;
    public const uint CSTS_CFS = 1u << 1;
    public const int CSTS_SHST_SHIFT = 2;

    /// <summary>SHST: shutdown processing complete.</summary>
    public const uint SHST_COMPLETE = 2;

    /// <summary>The doorbell of submission queue <paramref name="qid"/>'s tail (DSTRD 0).</summary>
    public static uint SubmissionTailDoorbell(int qid) => DoorbellBase + (uint)(2 * qid * 4);

    /// <summary>The doorbell of completion queue <paramref name="qid"/>'s head (DSTRD 0).</summary>
    public static uint CompletionHeadDoorbell(int qid) => DoorbellBase + (uint)(((2 * qid) + 1) * 4);
}
