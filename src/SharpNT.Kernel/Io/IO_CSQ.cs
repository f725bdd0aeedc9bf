namespace SharpNT.Kernel.Io;

/// <summary>IO_CSQ_INSERT_IRP: puts the IRP in the driver's queue (the queue lock is held).</summary>
public delegate void IO_CSQ_INSERT_IRP(IO_CSQ Csq, IRP Irp);

/// <summary>IO_CSQ_INSERT_IRP_EX: puts the IRP in the driver's queue, or refuses it with an error status (the queue lock is held).</summary>
public delegate NTSTATUS IO_CSQ_INSERT_IRP_EX(IO_CSQ Csq, IRP Irp, object? InsertContext);

/// <summary>IO_CSQ_REMOVE_IRP: takes the IRP out of the driver's queue (the queue lock is held).</summary>
public delegate void IO_CSQ_REMOVE_IRP(IO_CSQ Csq, IRP Irp);

/// <summary>IO_CSQ_PEEK_NEXT_IRP: the IRP after <paramref name="Irp"/> (or the first, for NULL) that matches the context.</summary>
public delegate IRP IO_CSQ_PEEK_NEXT_IRP(IO_CSQ Csq, IRP Irp, object? PeekContext);

/// <summary>IO_CSQ_ACQUIRE_LOCK: takes the driver's queue lock.</summary>
public delegate void IO_CSQ_ACQUIRE_LOCK(IO_CSQ Csq, out byte Irql);

/// <summary>IO_CSQ_RELEASE_LOCK: releases the driver's queue lock.</summary>
public delegate void IO_CSQ_RELEASE_LOCK(IO_CSQ Csq, byte Irql);

/// <summary>IO_CSQ_COMPLETE_CANCELED_IRP: completes an IRP that was cancelled while queued.</summary>
public delegate void IO_CSQ_COMPLETE_CANCELED_IRP(IO_CSQ Csq, IRP Irp);

/// <summary>
/// A cancel-safe IRP queue (IO_CSQ): the driver keeps the queue and its lock; the I/O manager's
/// IoCsqXxx routines do the cancel-routine handshake, so an IRP is either removed by the driver or
/// cancelled, never both. Where a C driver embeds the IO_CSQ in its device extension and finds the
/// extension with CONTAINING_RECORD, a C# driver derives from IO_CSQ and casts.
/// </summary>
#pragma warning disable CA1852 // Derived from by drivers, as C embeds it in a larger structure.
public class IO_CSQ
#pragma warning restore CA1852
{
    internal IO_CSQ_INSERT_IRP? InsertIrp { get; set; }

    internal IO_CSQ_INSERT_IRP_EX? InsertIrpEx { get; set; }

    internal IO_CSQ_REMOVE_IRP? RemoveIrp { get; set; }

    internal IO_CSQ_PEEK_NEXT_IRP? PeekNextIrp { get; set; }

    internal IO_CSQ_ACQUIRE_LOCK? AcquireLock { get; set; }

    internal IO_CSQ_RELEASE_LOCK? ReleaseLock { get; set; }

    internal IO_CSQ_COMPLETE_CANCELED_IRP? CompleteCanceledIrp { get; set; }

    /// <summary>The driver that owns the queue: its callbacks run as that driver's code.</summary>
    internal Mm.LoadedModule? Module { get; set; }
}
