using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

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
