using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

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
