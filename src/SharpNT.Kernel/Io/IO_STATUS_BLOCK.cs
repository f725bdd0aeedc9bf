using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>A view of an IO_STATUS_BLOCK in kernel memory: the final status and information of a request.</summary>
[DebuggerDisplay("IO_STATUS_BLOCK {Address,h}")]
public readonly record struct IO_STATUS_BLOCK(ulong Address)
{
    public NTSTATUS Status
    {
        get => ViewMemory.Read<NTSTATUS>(Address + IoStatusBlockLayout.Status);
        set => ViewMemory.Write(Address + IoStatusBlockLayout.Status, value);
    }

    /// <summary>ULONG_PTR Information: bytes transferred, or a request-specific value.</summary>
    public ulong Information
    {
        get => ViewMemory.Read<ulong>(Address + IoStatusBlockLayout.Information);
        set => ViewMemory.Write(Address + IoStatusBlockLayout.Information, value);
    }
}
