using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>A view of a SHARE_ACCESS block (in a file system's FCB, in nonpaged pool).</summary>
[DebuggerDisplay("SHARE_ACCESS {Address,h}")]
public readonly record struct SHARE_ACCESS(ulong Address)
{
    public uint OpenCount
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.OpenCount);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.OpenCount, value);
    }

    public uint Readers
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.Readers);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.Readers, value);
    }

    public uint Writers
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.Writers);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.Writers, value);
    }

    public uint Deleters
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.Deleters);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.Deleters, value);
    }

    public uint SharedRead
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.SharedRead);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.SharedRead, value);
    }

    public uint SharedWrite
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.SharedWrite);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.SharedWrite, value);
    }

    public uint SharedDelete
    {
        get => ViewMemory.Read<uint>(Address + ShareAccessLayout.SharedDelete);
        internal set => ViewMemory.Write(Address + ShareAccessLayout.SharedDelete, value);
    }

    public override string ToString() => $"SHARE_ACCESS 0x{Address:x16}";
}
