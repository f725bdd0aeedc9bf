namespace SharpNT.Kernel.Io;

/// <summary>
/// IO_CSQ_IRP_CONTEXT: lets a driver remove one particular queued IRP later (IoCsqRemoveIrp); its Irp is
/// cleared when the IRP leaves the queue either way.
/// </summary>
public sealed class IO_CSQ_IRP_CONTEXT
{
    public IRP Irp { get; internal set; }

    internal IO_CSQ? Csq { get; set; }
}
