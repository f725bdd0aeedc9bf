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

    /// <summary>Over bytes the caller has already translated (the whole IRP, at least <see cref="IrpLayout.Size"/>).</summary>
    public IrpMemory(ulong irp, Span<byte> bytes)
    {
        _mm = null!;
        Address = irp;
        _bytes = bytes;
    }

    public ulong Address { get; }

    /// <summary>The IRP's bytes, or empty when it straddles a page and every access goes through the memory manager.</summary>
    public Span<byte> Bytes => _bytes;

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
        (uint)offset + (uint)Unsafe.SizeOf<T>() <= (uint)_bytes.Length
            ? Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), offset))
            : _mm.Read<T>(Address + (ulong)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write<T>(int offset, T value)
        where T : unmanaged
    {
        if ((uint)offset + (uint)Unsafe.SizeOf<T>() <= (uint)_bytes.Length)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), offset), value);
        }
        else
        {
            _mm.Write(Address + (ulong)offset, value);
        }
    }

    /// <summary>Reads a field of a stack location given by address: direct when it is inside this IRP.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadAt<T>(ulong address)
        where T : unmanaged
    {
        var offset = address - Address;
        return offset + (ulong)Unsafe.SizeOf<T>() <= (ulong)_bytes.Length && offset < (ulong)_bytes.Length
            ? Unsafe.ReadUnaligned<T>(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), (nint)offset))
            : _mm.Read<T>(address);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteAt<T>(ulong address, T value)
        where T : unmanaged
    {
        var offset = address - Address;
        if (offset + (ulong)Unsafe.SizeOf<T>() <= (ulong)_bytes.Length && offset < (ulong)_bytes.Length)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref MemoryMarshal.GetReference(_bytes), (nint)offset), value);
        }
        else
        {
            _mm.Write(address, value);
        }
    }
}
