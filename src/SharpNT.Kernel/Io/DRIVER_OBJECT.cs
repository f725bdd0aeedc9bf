using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of a DRIVER_OBJECT in nonpaged pool, in the x64 layout. Routines are stored as code addresses:
/// assigning a C# routine to MajorFunction[i] writes its thunk address into the table, which is what the
/// I/O manager reads when it dispatches.
/// </summary>
[DebuggerDisplay("DRIVER_OBJECT {Address,h}")]
public readonly record struct DRIVER_OBJECT(ulong Address) : Ob.IKernelObjectView
{
    public static DRIVER_OBJECT NULL => default;

    public bool IsNull => Address == 0;

    public short Type => ViewMemory.Read<short>(Address + DriverObjectLayout.Type);

    /// <summary>The first device object the driver created; the rest chain through NextDevice.</summary>
    public DEVICE_OBJECT DeviceObject
    {
        get => new(ViewMemory.Read<ulong>(Address + DriverObjectLayout.DeviceObject));
        internal set => ViewMemory.Write(Address + DriverObjectLayout.DeviceObject, value.Address);
    }

    public uint Flags
    {
        get => ViewMemory.Read<uint>(Address + DriverObjectLayout.Flags);
        internal set => ViewMemory.Write(Address + DriverObjectLayout.Flags, value);
    }

    /// <summary>The image base of the driver.</summary>
    public ulong DriverStart => ViewMemory.Read<ulong>(Address + DriverObjectLayout.DriverStart);

    public uint DriverSize => ViewMemory.Read<uint>(Address + DriverObjectLayout.DriverSize);

    /// <summary>PDRIVER_EXTENSION DriverExtension: AddDevice is set through it (DriverObject->DriverExtension->AddDevice).</summary>
    [UnscopedRef]
    public ref DRIVER_EXTENSION DriverExtension => ref Unsafe.As<DRIVER_OBJECT, DRIVER_EXTENSION>(ref Unsafe.AsRef(in this));

    /// <summary>The driver's name in the object namespace, e.g. \Driver\sample.</summary>
    public string DriverName => ViewMemory.Io.DriverNameOf(this);

    /// <summary>MajorFunction[IRP_MJ_*]: the driver's dispatch routines.</summary>
    [UnscopedRef]
    public ref MajorFunctionTable MajorFunction => ref Unsafe.As<DRIVER_OBJECT, MajorFunctionTable>(ref Unsafe.AsRef(in this));

    /// <summary>
    /// PFAST_IO_DISPATCH FastIoDispatch: the driver's fast I/O table, or NULL. File systems and their filters set
    /// it in DriverEntry; the I/O manager tries its FastIoRead / FastIoWrite before building an IRP.
    /// </summary>
    public FAST_IO_DISPATCH FastIoDispatch
    {
        get => new(ViewMemory.Read<ulong>(Address + DriverObjectLayout.FastIoDispatch));
        set => ViewMemory.Write(Address + DriverObjectLayout.FastIoDispatch, value.Address);
    }

    /// <summary>PDRIVER_UNLOAD DriverUnload: the routine the I/O manager calls before unloading.</summary>
    public DRIVER_UNLOAD? DriverUnload
    {
        get => ViewMemory.Io.Thunks.Resolve<DRIVER_UNLOAD>(ViewMemory.Read<ulong>(Address + DriverObjectLayout.DriverUnload));
        set => ViewMemory.Write(Address + DriverObjectLayout.DriverUnload, ViewMemory.Io.RegisterRoutine(this, value));
    }

    /// <summary>PDRIVER_STARTIO DriverStartIo: used by IoStartPacket and IoStartNextPacket.</summary>
    public DRIVER_STARTIO? DriverStartIo
    {
        get => ViewMemory.Io.Thunks.Resolve<DRIVER_STARTIO>(ViewMemory.Read<ulong>(Address + DriverObjectLayout.DriverStartIo));
        set => ViewMemory.Write(Address + DriverObjectLayout.DriverStartIo, ViewMemory.Io.RegisterRoutine(this, value));
    }

    public override string ToString() => $"DRIVER_OBJECT 0x{Address:x16}";

    /// <summary>MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1]: dispatch routine addresses.</summary>
    public readonly record struct MajorFunctionTable(ulong DriverObject)
    {
        public const int Count = 28;

        public DRIVER_DISPATCH? this[int index]
        {
            get => ViewMemory.Io.Thunks.Resolve<DRIVER_DISPATCH>(ViewMemory.Read<ulong>(Slot(index)));
            set => ViewMemory.Write(Slot(index), ViewMemory.Io.RegisterRoutine(new DRIVER_OBJECT(DriverObject), value));
        }

        /// <summary>The raw code address in slot <paramref name="index"/>.</summary>
        public ulong AddressOf(int index) => ViewMemory.Read<ulong>(Slot(index));

        private ulong Slot(int index) =>
            (uint)index < Count ? DriverObject + DriverObjectLayout.MajorFunction + ((ulong)index * 8) : throw new IndexOutOfRangeException();
    }
}
