using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps.Layout;

namespace SharpNT.Win32;

/// <summary>
/// The calling thread's user stack as the libraries use it for their locals: the structures a system
/// call takes by pointer (an IO_STATUS_BLOCK, an OBJECT_ATTRIBUTES, a UNICODE_STRING and its characters)
/// are built here, in the process's memory, as compiled C code builds them in its stack frame. The stack
/// pointer lives in the TEB (NT_TIB.ArbitraryUserPointer, the slot NT leaves to the subsystem), so the
/// state stays inside the process.
/// </summary>
internal readonly ref struct UserStack
{
    private const int StackPointerSlot = 0x28;
    private readonly ulong _teb;
    private readonly ulong _saved;
    private readonly ulong _limit;

    private UserStack(ulong teb, ulong saved, ulong limit)
    {
        _teb = teb;
        _saved = saved;
        _limit = limit;
    }

    /// <summary>A new frame: what it allocates is released at Dispose.</summary>
    internal static UserStack Frame()
    {
        var teb = Ring3.Teb;
        var sp = Memory.Read<ulong>(teb + StackPointerSlot);
        if (sp == 0)
        {
            sp = Memory.Read<ulong>(teb + TebLayout.StackBase);
            Memory.Write(teb + StackPointerSlot, sp);
        }

        return new UserStack(teb, sp, Memory.Read<ulong>(teb + TebLayout.StackLimit));
    }

    /// <summary>
    /// Room for <paramref name="size"/> bytes, 16-byte aligned. Like a C local it is not initialised: the
    /// caller writes what it passes. The stack pointer lives in the TEB, so nested frames start below.
    /// </summary>
    internal ulong Alloc(int size)
    {
        var sp = Memory.Read<ulong>(_teb + StackPointerSlot);
        var next = (sp - (ulong)size) & ~15UL;
        if (next < _limit || next > sp)
        {
            throw new SehException(SehException.EXCEPTION_STACK_OVERFLOW, next, true);
        }

        Memory.Write(_teb + StackPointerSlot, next);
        return next;
    }

    /// <summary>A NUL-terminated UTF-16 copy of <paramref name="value"/>; returns its address.</summary>
    internal ulong String(string value)
    {
        var bytes = System.Text.Encoding.Unicode.GetBytes(value + "\0");
        var at = Alloc(bytes.Length);
        Memory.Write(at, bytes);
        return at;
    }

    /// <summary>A UNICODE_STRING for <paramref name="value"/> (and its buffer); returns its address.</summary>
    internal ulong UnicodeString(string value)
    {
        var buffer = String(value);
        var at = Alloc(16);
        var length = (ushort)(value.Length * 2);
        Memory.Write(at, length);
        Memory.Write(at + 2, (ushort)(length + 2));
        Memory.Write(at + 4, 0u);
        Memory.Write(at + 8, buffer);
        return at;
    }

    /// <summary>An OBJECT_ATTRIBUTES naming <paramref name="name"/> (no security descriptor or QoS); returns its address.</summary>
    internal ulong ObjectAttributes(string? name, uint attributes, nint rootDirectory = 0)
    {
        var unicode = name is null ? 0 : UnicodeString(name);
        var at = Alloc(0x30);
        Memory.Write(at, 0x30UL);
        Memory.Write(at + 0x08, (ulong)rootDirectory);
        Memory.Write(at + 0x10, unicode);
        Memory.Write(at + 0x18, (ulong)attributes);
        Memory.Write(at + 0x20, 0UL);
        Memory.Write(at + 0x28, 0UL);
        return at;
    }

    public void Dispose() => Memory.Write(_teb + StackPointerSlot, _saved);
}
