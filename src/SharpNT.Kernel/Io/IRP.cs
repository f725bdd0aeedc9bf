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

/// <summary>The AssociatedIrp union of an IRP.</summary>
public readonly record struct IRP_ASSOCIATED(ulong IrpAddress)
{
    /// <summary>PVOID SystemBuffer: the I/O manager's nonpaged copy of the buffer (METHOD_BUFFERED).</summary>
    public ulong SystemBuffer
    {
        get => ViewMemory.Read<ulong>(IrpAddress + IrpLayout.AssociatedIrp_SystemBuffer);
        set => ViewMemory.Write(IrpAddress + IrpLayout.AssociatedIrp_SystemBuffer, value);
    }

    public IRP MasterIrp
    {
        get => new(ViewMemory.Read<ulong>(IrpAddress + IrpLayout.AssociatedIrp_MasterIrp));
        set => ViewMemory.Write(IrpAddress + IrpLayout.AssociatedIrp_MasterIrp, value.Address);
    }

    public int IrpCount
    {
        get => ViewMemory.Read<int>(IrpAddress + IrpLayout.AssociatedIrp_IrpCount);
        set => ViewMemory.Write(IrpAddress + IrpLayout.AssociatedIrp_IrpCount, value);
    }
}

/// <summary>The Tail union of an IRP; drivers use Tail.Overlay.</summary>
public readonly record struct IRP_TAIL(ulong IrpAddress)
{
    [UnscopedRef]
    public ref IRP_TAIL_OVERLAY Overlay => ref Unsafe.As<IRP_TAIL, IRP_TAIL_OVERLAY>(ref Unsafe.AsRef(in this));
}

/// <summary>Tail.Overlay: DriverContext for the owning driver, and the I/O manager's bookkeeping.</summary>
public readonly record struct IRP_TAIL_OVERLAY(ulong IrpAddress)
{
    /// <summary>PVOID DriverContext[4]: scratch space of the driver that currently owns the IRP.</summary>
    [UnscopedRef]
    public ref DriverContextArray DriverContext => ref Unsafe.As<IRP_TAIL_OVERLAY, DriverContextArray>(ref Unsafe.AsRef(in this));

    /// <summary>PETHREAD Thread: the requesting thread, for threaded IRPs.</summary>
    public ulong Thread
    {
        get => ViewMemory.Read<ulong>(IrpAddress + IrpLayout.Tail_Overlay_Thread);
        set => ViewMemory.Write(IrpAddress + IrpLayout.Tail_Overlay_Thread, value);
    }

    /// <summary>PIO_STACK_LOCATION CurrentStackLocation (an address).</summary>
    public ulong CurrentStackLocation
    {
        get => ViewMemory.Read<ulong>(IrpAddress + IrpLayout.Tail_Overlay_CurrentStackLocation);
        internal set => ViewMemory.Write(IrpAddress + IrpLayout.Tail_Overlay_CurrentStackLocation, value);
    }

    public FILE_OBJECT OriginalFileObject
    {
        get => new(ViewMemory.Read<ulong>(IrpAddress + IrpLayout.Tail_Overlay_OriginalFileObject));
        set => ViewMemory.Write(IrpAddress + IrpLayout.Tail_Overlay_OriginalFileObject, value.Address);
    }

    /// <summary>LIST_ENTRY ListEntry: a driver that queues the IRP may link it here.</summary>
    public ulong ListEntry => IrpAddress + IrpLayout.Tail_Overlay_ListEntry;
}

/// <summary>The four pointer-sized DriverContext slots of an IRP.</summary>
public readonly record struct DriverContextArray(ulong IrpAddress)
{
    public ulong this[int index]
    {
        get => ViewMemory.Read<ulong>(IrpAddress + Slot(index));
        set => ViewMemory.Write(IrpAddress + Slot(index), value);
    }

    private static ulong Slot(int index) =>
        (uint)index < 4 ? IrpLayout.Tail_Overlay_DriverContext + ((ulong)index * 8) : throw new IndexOutOfRangeException();
}

/// <summary>An IRP's IoStatus member: the IRP's own IO_STATUS_BLOCK.</summary>
public readonly record struct IRP_IO_STATUS(ulong IrpAddress)
{
    public NTSTATUS Status
    {
        get => ViewMemory.Read<NTSTATUS>(IrpAddress + IrpLayout.IoStatus_Status);
        set => ViewMemory.Write(IrpAddress + IrpLayout.IoStatus_Status, value);
    }

    /// <summary>ULONG_PTR Information: bytes transferred, or a request-specific value.</summary>
    public ulong Information
    {
        get => ViewMemory.Read<ulong>(IrpAddress + IrpLayout.IoStatus_Information);
        set => ViewMemory.Write(IrpAddress + IrpLayout.IoStatus_Information, value);
    }

    /// <summary>The same bytes as a standalone IO_STATUS_BLOCK (&amp;Irp->IoStatus).</summary>
    public static implicit operator IO_STATUS_BLOCK(IRP_IO_STATUS status) => new(status.IrpAddress + IrpLayout.IoStatus);

    public IO_STATUS_BLOCK ToIO_STATUS_BLOCK() => this;
}
