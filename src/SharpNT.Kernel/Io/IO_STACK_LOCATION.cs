using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of one I/O stack location of an IRP: what one driver in the stack is asked to do, and the
/// completion routine the driver above it set.
/// </summary>
[DebuggerDisplay("IO_STACK_LOCATION {Address,h}")]
public readonly record struct IO_STACK_LOCATION(ulong Address)
{
    public bool IsNull => Address == 0;

    public byte MajorFunction
    {
        get => ViewMemory.Read<byte>(Address + IoStackLocationLayout.MajorFunction);
        set => ViewMemory.Write(Address + IoStackLocationLayout.MajorFunction, value);
    }

    public byte MinorFunction
    {
        get => ViewMemory.Read<byte>(Address + IoStackLocationLayout.MinorFunction);
        set => ViewMemory.Write(Address + IoStackLocationLayout.MinorFunction, value);
    }

    public byte Flags
    {
        get => ViewMemory.Read<byte>(Address + IoStackLocationLayout.Flags);
        set => ViewMemory.Write(Address + IoStackLocationLayout.Flags, value);
    }

    /// <summary>SL_PENDING_RETURNED, SL_ERROR_RETURNED and the SL_INVOKE_ON_* bits.</summary>
    public byte Control
    {
        get => ViewMemory.Read<byte>(Address + IoStackLocationLayout.Control);
        set => ViewMemory.Write(Address + IoStackLocationLayout.Control, value);
    }

    /// <summary>The Parameters union (IrpSp->Parameters.DeviceIoControl.IoControlCode, ...).</summary>
    [UnscopedRef]
    public ref IO_STACK_LOCATION_PARAMETERS Parameters => ref Unsafe.As<IO_STACK_LOCATION, IO_STACK_LOCATION_PARAMETERS>(ref Unsafe.AsRef(in this));

    public DEVICE_OBJECT DeviceObject
    {
        get => new(ViewMemory.Read<ulong>(Address + IoStackLocationLayout.DeviceObject));
        set => ViewMemory.Write(Address + IoStackLocationLayout.DeviceObject, value.Address);
    }

    public FILE_OBJECT FileObject
    {
        get => new(ViewMemory.Read<ulong>(Address + IoStackLocationLayout.FileObject));
        set => ViewMemory.Write(Address + IoStackLocationLayout.FileObject, value.Address);
    }

    /// <summary>PIO_COMPLETION_ROUTINE CompletionRoutine, as a code address.</summary>
    public ulong CompletionRoutine
    {
        get => ViewMemory.Read<ulong>(Address + IoStackLocationLayout.CompletionRoutine);
        internal set => ViewMemory.Write(Address + IoStackLocationLayout.CompletionRoutine, value);
    }

    /// <summary>PVOID Context given to the completion routine.</summary>
    public ulong Context
    {
        get => ViewMemory.Read<ulong>(Address + IoStackLocationLayout.Context);
        internal set => ViewMemory.Write(Address + IoStackLocationLayout.Context, value);
    }

    public override string ToString() => $"IO_STACK_LOCATION 0x{Address:x16}";
}
