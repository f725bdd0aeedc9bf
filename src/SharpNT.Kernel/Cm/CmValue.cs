using System.Buffers.Binary;
using System.Diagnostics;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// One value entry of a key: a case-preserved name (empty for the default value), a type, and the raw
/// bytes NT stores. Immutable: setting a value replaces the entry, so a reader's snapshot never changes.
/// </summary>
[DebuggerDisplay("{DisplayName,nq} {TypeName,nq} ({_data.Length} bytes)")]
internal sealed class CmValue
{
    private readonly byte[] _data;

    // The decoded text, kept once read: a symbolic link's target is read on every lookup through it. Two
    // threads racing to fill it store equal strings.
    private string? _text;

    internal CmValue(string name, uint type, ReadOnlySpan<byte> data)
    {
        Name = name;
        Type = type;
        _data = data.ToArray();
    }

    /// <summary>The name as it was first set; empty for the key's default (unnamed) value.</summary>
    internal string Name { get; }

    internal uint Type { get; }

    internal ReadOnlySpan<byte> Data => _data;

    internal int DataLength => _data.Length;

    internal string DisplayName => Name.Length == 0 ? "(Default)" : Name;

    internal string TypeName => RegData.TypeName(Type);

    /// <summary>The string of a REG_SZ, REG_EXPAND_SZ or REG_LINK value; null for other types.</summary>
    internal string? AsString() => _text ??= Type switch
    {
        RegConstants.REG_SZ or RegConstants.REG_EXPAND_SZ => RegData.ReadString(_data),
        RegConstants.REG_LINK => RegData.ReadUtf16(_data.AsSpan(0, _data.Length & ~1)),
        _ => null,
    };

    /// <summary>The strings of a REG_MULTI_SZ value (a REG_SZ reads as one string); null for other types.</summary>
    internal IReadOnlyList<string>? AsMultiString() => Type switch
    {
        RegConstants.REG_MULTI_SZ => RegData.ReadMultiString(_data),
        RegConstants.REG_SZ => RegData.ReadString(_data) is { Length: > 0 } s ? [s] : [],
        _ => null,
    };

    /// <summary>The number of a four-byte REG_DWORD or REG_DWORD_BIG_ENDIAN value; null otherwise.</summary>
    internal uint? AsDword() => (Type, _data.Length) switch
    {
        (RegConstants.REG_DWORD, 4) => BinaryPrimitives.ReadUInt32LittleEndian(_data),
        (RegConstants.REG_DWORD_BIG_ENDIAN, 4) => BinaryPrimitives.ReadUInt32BigEndian(_data),
        _ => null,
    };

    /// <summary>The number of an eight-byte REG_QWORD value; null otherwise.</summary>
    internal ulong? AsQword() => Type == RegConstants.REG_QWORD && _data.Length == 8
        ? BinaryPrimitives.ReadUInt64LittleEndian(_data)
        : null;
}
