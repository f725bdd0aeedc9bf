using System.Diagnostics;
using System.Globalization;

namespace SharpNT.Kernel;

/// <summary>
/// An object handle (ntdef.h HANDLE): an index into a process's handle table, a multiple of 4. On x64 a
/// kernel handle carries KERNEL_HANDLE_MASK (0xFFFFFFFF80000000, the sign-extended 0x80000000) and
/// indexes the kernel handle table. NtCurrentProcess() (-1) and NtCurrentThread() (-2) are pseudo-handles.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public readonly struct HANDLE : IEquatable<HANDLE>
{
    /// <summary>The x64 kernel-handle bits: ((ULONG_PTR)(LONG)0x80000000).</summary>
    internal const ulong KERNEL_HANDLE_MASK = 0xFFFFFFFF80000000UL;

    /// <summary>The low two bits of a handle are free for the caller's tags; lookups ignore them (OBJ_HANDLE_TAGBITS).</summary>
    internal const ulong OBJ_HANDLE_TAGBITS = 0x3;

    public HANDLE(ulong value) => Value = value;

    /// <summary>The NULL handle.</summary>
    public static HANDLE NULL => default;

    /// <summary>NtCurrentProcess(): the pseudo-handle (HANDLE)-1.</summary>
    public static HANDLE CurrentProcess => new(ulong.MaxValue);

    /// <summary>NtCurrentThread(): the pseudo-handle (HANDLE)-2.</summary>
    public static HANDLE CurrentThread => new(ulong.MaxValue - 1);

    /// <summary>The handle's value as a ULONG_PTR.</summary>
    public ulong Value { get; }

    public bool IsNull => Value == 0;

    /// <summary>True for NtCurrentProcess() and NtCurrentThread(), which name no handle table entry.</summary>
    public bool IsPseudoHandle => Value >= ulong.MaxValue - 1;

    /// <summary>ObIsKernelHandle: the kernel bits are set and the value is not a pseudo-handle.</summary>
    public bool IsKernelHandle => (Value & KERNEL_HANDLE_MASK) == KERNEL_HANDLE_MASK && !IsPseudoHandle;

    public static explicit operator ulong(HANDLE handle) => handle.Value;

    public static explicit operator HANDLE(ulong value) => new(value);

    public static bool operator ==(HANDLE left, HANDLE right) => left.Value == right.Value;

    public static bool operator !=(HANDLE left, HANDLE right) => left.Value != right.Value;

    public ulong ToUInt64() => Value;

    public static HANDLE FromUInt64(ulong value) => new(value);

    public bool Equals(HANDLE other) => Value == other.Value;

    public override bool Equals(object? obj) => obj is HANDLE other && Equals(other);

    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The debugger's form: hex, without leading zeros.</summary>
    public override string ToString() => "0x" + Value.ToString("x", CultureInfo.InvariantCulture);
}
