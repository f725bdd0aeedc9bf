using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

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
