using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>The Tail union of an IRP; drivers use Tail.Overlay.</summary>
public readonly record struct IRP_TAIL(ulong IrpAddress)
{
    [UnscopedRef]
    public ref IRP_TAIL_OVERLAY Overlay => ref Unsafe.As<IRP_TAIL, IRP_TAIL_OVERLAY>(ref Unsafe.AsRef(in this));
}
