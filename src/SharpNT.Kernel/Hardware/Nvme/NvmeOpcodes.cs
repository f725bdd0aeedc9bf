namespace SharpNT.Kernel.Hardware.Nvme;

/// <summary>Command opcodes (NVMe 1.4 figure 139: admin; figure 346: NVM command set).</summary>
public static class NvmeOpcodes
{
    public const byte DeleteIoSubmissionQueue = 0x00;
    public const byte CreateIoSubmissionQueue = 0x01;
    public const byte DeleteIoCompletionQueue = 0x04;
    public const byte CreateIoCompletionQueue = 0x05;
    public const byte Identify = 0x06;
    public const byte SetFeatures = 0x09;

    public const byte Flush = 0x00;
    public const byte Write = 0x01;
    public const byte Read = 0x02;

    /// <summary>Identify CNS values: the namespace, the controller, the active namespace ID list.</summary>
    public const byte CnsNamespace = 0x00;
    public const byte CnsController = 0x01;
    public const byte CnsActiveNamespaces = 0x02;

    /// <summary>Set Features feature identifier: Number of Queues.</summary>
    public const byte FeatureNumberOfQueues = 0x07;
}
