namespace SharpNT.Kernel.Hardware.Nvme;

/// <summary>
/// A completion's status field (NVMe 1.4 figure 124): Status Code in bits 7:0, Status Code Type in bits
/// 10:8, More 13, Do Not Retry 14. The values a host driver sees for the errors this controller reports.
/// </summary>
public static class NvmeStatus
{
    public const ushort SctGeneric = 0;
    public const ushort SctCommandSpecific = 1;
    public const ushort DoNotRetry = 1 << 14;

    // Generic command status (SCT 0), figure 126/127.
    public const ushort SuccessfulCompletion = 0x00;
    public const ushort InvalidCommandOpcode = 0x01;
    public const ushort InvalidFieldInCommand = 0x02;
    public const ushort DataTransferError = 0x04;
    public const ushort InvalidNamespaceOrFormat = 0x0B;
    public const ushort PrpOffsetInvalid = 0x13;
    public const ushort NamespaceIsWriteProtected = 0x20;
    public const ushort LbaOutOfRange = 0x80;

    // Command specific status (SCT 1), figure 128.
    public const ushort CompletionQueueInvalid = 0x00;
    public const ushort InvalidQueueIdentifier = 0x01;
    public const ushort InvalidQueueSize = 0x02;
    public const ushort InvalidInterruptVector = 0x08;
    public const ushort InvalidQueueDeletion = 0x0C;

    /// <summary>A status field: code, type, and Do Not Retry for errors retrying cannot fix.</summary>
    public static ushort Make(ushort sct, ushort sc) => (ushort)(sc | (sct << 8) | (sc == 0 && sct == 0 ? 0 : DoNotRetry));

    public static ushort StatusCode(ushort status) => (ushort)(status & 0xFF);

    public static ushort StatusCodeType(ushort status) => (ushort)((status >> 8) & 0x7);
}
