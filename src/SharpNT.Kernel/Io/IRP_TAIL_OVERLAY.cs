using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

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

    /// <summary>PCHAR AuxiliaryBuffer: the I/O manager's extra buffer for the request (a captured search name), freed with the IRP.</summary>
    public ulong AuxiliaryBuffer
    {
        get => ViewMemory.Read<ulong>(IrpAddress + IrpLayout.Tail_Overlay_AuxiliaryBuffer);
        internal set => ViewMemory.Write(IrpAddress + IrpLayout.Tail_Overlay_AuxiliaryBuffer, value);
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
