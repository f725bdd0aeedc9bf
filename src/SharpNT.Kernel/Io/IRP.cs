using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of an I/O request packet in nonpaged pool, in the x64 layout. The bytes are the one truth:
/// drivers, the I/O manager and the debugger all read and write the same IRP.
/// </summary>
[DebuggerDisplay("IRP {Address,h}")]
public readonly record struct IRP(ulong Address)
{
    public static IRP NULL => default;

    public bool IsNull => Address == 0;

    /// <summary>IO_TYPE_IRP (6) for an IRP.</summary>
    public short Type => ViewMemory.Read<short>(Address + IrpLayout.Type);

    /// <summary>Bytes of the IRP with its stack locations (IoSizeOfIrp).</summary>
    public ushort Size => ViewMemory.Read<ushort>(Address + IrpLayout.SizeField);

    /// <summary>PMDL MdlAddress: the MDL describing the requester's buffer for direct I/O.</summary>
    public ulong MdlAddress
    {
        get => ViewMemory.Read<ulong>(Address + IrpLayout.MdlAddress);
        set => ViewMemory.Write(Address + IrpLayout.MdlAddress, value);
    }

    public uint Flags
    {
        get => ViewMemory.Read<uint>(Address + IrpLayout.Flags);
        set => ViewMemory.Write(Address + IrpLayout.Flags, value);
    }

    /// <summary>The AssociatedIrp union (Irp->AssociatedIrp.SystemBuffer).</summary>
    [UnscopedRef]
    public ref IRP_ASSOCIATED AssociatedIrp => ref Unsafe.As<IRP, IRP_ASSOCIATED>(ref Unsafe.AsRef(in this));

    /// <summary>The IRP's IO_STATUS_BLOCK (Irp->IoStatus.Status, Irp->IoStatus.Information).</summary>
    [UnscopedRef]
    public ref IRP_IO_STATUS IoStatus => ref Unsafe.As<IRP, IRP_IO_STATUS>(ref Unsafe.AsRef(in this));

    public KPROCESSOR_MODE RequestorMode
    {
        get => ViewMemory.Read<KPROCESSOR_MODE>(Address + IrpLayout.RequestorMode);
        set => ViewMemory.Write(Address + IrpLayout.RequestorMode, value);
    }

    public bool PendingReturned
    {
        get => ViewMemory.Read<byte>(Address + IrpLayout.PendingReturned) != 0;
        set => ViewMemory.Write(Address + IrpLayout.PendingReturned, (byte)(value ? 1 : 0));
    }

    public sbyte StackCount
    {
        get => ViewMemory.Read<sbyte>(Address + IrpLayout.StackCount);
        internal set => ViewMemory.Write(Address + IrpLayout.StackCount, value);
    }

    public sbyte CurrentLocation
    {
        get => ViewMemory.Read<sbyte>(Address + IrpLayout.CurrentLocation);
        internal set => ViewMemory.Write(Address + IrpLayout.CurrentLocation, value);
    }

    public bool Cancel
    {
        get => ViewMemory.Read<byte>(Address + IrpLayout.Cancel) != 0;
        internal set => ViewMemory.Write(Address + IrpLayout.Cancel, (byte)(value ? 1 : 0));
    }

    /// <summary>The IRQL to give back to IoReleaseCancelSpinLock inside a cancel routine.</summary>
    public byte CancelIrql
    {
        get => ViewMemory.Read<byte>(Address + IrpLayout.CancelIrql);
        internal set => ViewMemory.Write(Address + IrpLayout.CancelIrql, value);
    }

    /// <summary>PIO_STATUS_BLOCK UserIosb: where the I/O manager writes the final status.</summary>
    public ulong UserIosb
    {
        get => ViewMemory.Read<ulong>(Address + IrpLayout.UserIosb);
        set => ViewMemory.Write(Address + IrpLayout.UserIosb, value);
    }

    /// <summary>PKEVENT UserEvent: signaled when the request completes.</summary>
    public ulong UserEvent
    {
        get => ViewMemory.Read<ulong>(Address + IrpLayout.UserEvent);
        set => ViewMemory.Write(Address + IrpLayout.UserEvent, value);
    }

    /// <summary>PDRIVER_CANCEL CancelRoutine (a code address); set with IoSetCancelRoutine.</summary>
    public ulong CancelRoutine => ViewMemory.Read<ulong>(Address + IrpLayout.CancelRoutine);

    /// <summary>PVOID UserBuffer: the requester's output buffer (METHOD_NEITHER, and reads and writes without an MDL).</summary>
    public ulong UserBuffer
    {
        get => ViewMemory.Read<ulong>(Address + IrpLayout.UserBuffer);
        set => ViewMemory.Write(Address + IrpLayout.UserBuffer, value);
    }

    [UnscopedRef]
    public ref IRP_TAIL Tail => ref Unsafe.As<IRP, IRP_TAIL>(ref Unsafe.AsRef(in this));

    public override string ToString() => $"IRP 0x{Address:x16}";
}
