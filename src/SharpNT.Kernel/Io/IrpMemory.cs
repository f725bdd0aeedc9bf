using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The bytes of one IRP and its stack locations for the I/O manager's own work on it: the IRP's page is
/// translated once through the checked path, then its fields are read and written directly (IRPs live
/// in nonpaged pool and never straddle a page). If the IRP does straddle one, every access goes through
/// the memory manager instead.
/// </summary>
internal readonly ref struct IrpMemory
{
    private readonly MemoryManager _mm;
    private readonly Span<byte> _bytes;

    public IrpMemory(MemoryManager mm, ulong irp)
    {
        _mm = mm;
        Address = irp;
        var toPageEnd = MemoryManager.PAGE_SIZE - (int)(irp & MemoryManager.PageOffsetMask);
        var bytes = mm.MapKernelRange(irp, toPageEnd, write: true);
        if (!bytes.IsEmpty)
        {
            var size = MemoryMarshal.Read<ushort>(bytes[IrpLayout.SizeField..]);
            if (size > bytes.Length || size < IrpLayout.Size)
            {
                bytes = default;
            }
            else
            {
                bytes = bytes[..size];
            }
        }

        _bytes = bytes;
    }

    public ulong Address { get; }

    /// <summary>Offset of a stack location (by address) within the IRP, or -1 if it is not one of its own.</summary>
    public int OffsetOf(ulong stackLocation)
    {
        var offset = (long)(stackLocation - Address);
        return offset >= IrpLayout.Size && offset + IoStackLocationLayout.Size <= (_bytes.IsEmpty ? int.MaxValue : _bytes.Length)
            ? (int)offset
            : -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read<T>(int offset)
        where T : unmanaged =>
        _bytes.IsEmpty ? _mm.Read<T>(Address + (ulong)offset) : MemoryMarshal.Read<T>(_bytes[offset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write<T>(int offset, T value)
        where T : unmanaged
    {
        if (_bytes.IsEmpty)
        {
            _mm.Write(Address + (ulong)offset, value);
        }
        else
        {
            MemoryMarshal.Write(_bytes[offset..], in value);
        }
    }

    /// <summary>Reads a field of a stack location given by address: direct when it is inside this IRP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadAt<T>(ulong address)
        where T : unmanaged
    {
        var offset = (long)(address - Address);
        return offset >= 0 && !_bytes.IsEmpty && offset + Unsafe.SizeOf<T>() <= _bytes.Length
            ? MemoryMarshal.Read<T>(_bytes[(int)offset..])
            : _mm.Read<T>(address);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteAt<T>(ulong address, T value)
        where T : unmanaged
    {
        var offset = (long)(address - Address);
        if (offset >= 0 && !_bytes.IsEmpty && offset + Unsafe.SizeOf<T>() <= _bytes.Length)
        {
            MemoryMarshal.Write(_bytes[(int)offset..], in value);
        }
        else
        {
            _mm.Write(address, value);
        }
    }
}
