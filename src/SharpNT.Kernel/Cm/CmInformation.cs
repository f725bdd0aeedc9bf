using System.Buffers.Binary;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// Writes the KEY_*_INFORMATION and KEY_VALUE_*_INFORMATION layouts of wdm.h (x64) into a caller's buffer,
/// with the buffer rules of ZwQueryKey and ZwQueryValueKey: ResultLength always receives the size the
/// whole answer needs; a buffer smaller than the fixed header gets nothing and STATUS_BUFFER_TOO_SMALL; a
/// buffer that holds the header but not all of the name, class or data gets the header and as much of the
/// rest as fits, and STATUS_BUFFER_OVERFLOW.
/// </summary>
internal static class CmInformation
{
    // KEY_BASIC_INFORMATION: LastWriteTime, TitleIndex, NameLength, Name.
    internal const int KeyBasicNameOffset = 16;

    // KEY_NODE_INFORMATION: LastWriteTime, TitleIndex, ClassOffset, ClassLength, NameLength, Name.
    internal const int KeyNodeNameOffset = 24;

    // KEY_FULL_INFORMATION: LastWriteTime, TitleIndex, ClassOffset, ClassLength, SubKeys, MaxNameLen,
    // MaxClassLen, Values, MaxValueNameLen, MaxValueDataLen, Class.
    internal const int KeyFullClassOffset = 44;

    // KEY_NAME_INFORMATION: NameLength, Name.
    internal const int KeyNameNameOffset = 4;

    // KEY_CACHED_INFORMATION: eight fields, 36 bytes, padded to 40 by the LARGE_INTEGER's alignment.
    internal const int KeyCachedSize = 40;

    // KEY_VIRTUALIZATION_INFORMATION: one ULONG of bit fields.
    internal const int KeyVirtualizationSize = 4;

    // KEY_VALUE_BASIC_INFORMATION: TitleIndex, Type, NameLength, Name.
    internal const int ValueBasicNameOffset = 12;

    // KEY_VALUE_FULL_INFORMATION: TitleIndex, Type, DataOffset, DataLength, NameLength, Name, (Data).
    internal const int ValueFullNameOffset = 20;

    // KEY_VALUE_PARTIAL_INFORMATION: TitleIndex, Type, DataLength, Data.
    internal const int ValuePartialDataOffset = 12;

    // KEY_VALUE_PARTIAL_INFORMATION_ALIGN64: Type, DataLength, Data.
    internal const int ValuePartialAlign64DataOffset = 8;

    /// <summary>ClassOffset and DataOffset when there is no class or no data.</summary>
    internal const uint NoOffset = 0xFFFFFFFF;

    /// <summary>ZwQueryKey: the information about <paramref name="key"/> itself.</summary>
    internal static NTSTATUS WriteKey(CmKey key, KEY_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        var name = key.Name;
        switch (infoClass)
        {
            case KEY_INFORMATION_CLASS.KeyBasicInformation:
                return WriteKeyBasic(key, name, buffer, out resultLength);
            case KEY_INFORMATION_CLASS.KeyNodeInformation:
                return WriteKeyNode(key, name, buffer, out resultLength);
            case KEY_INFORMATION_CLASS.KeyFullInformation:
                return WriteKeyFull(key, buffer, out resultLength);
            case KEY_INFORMATION_CLASS.KeyNameInformation:
                return WriteKeyName(key.FullPath, buffer, out resultLength);
            case KEY_INFORMATION_CLASS.KeyCachedInformation:
                return WriteKeyCached(key, buffer, out resultLength);
            case KEY_INFORMATION_CLASS.KeyVirtualizationInformation:
                // No registry virtualization here: every flag (candidate, enabled, target, store, source) is 0.
                resultLength = KeyVirtualizationSize;
                if (buffer.Length < KeyVirtualizationSize)
                {
                    return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
                }

                BinaryPrimitives.WriteUInt32LittleEndian(buffer, 0);
                return NTSTATUS.STATUS_SUCCESS;
            default:
                resultLength = 0;
                return NTSTATUS.STATUS_INVALID_PARAMETER;
        }
    }

    /// <summary>ZwEnumerateKey: only the basic, node and full classes describe a subkey.</summary>
    internal static NTSTATUS WriteSubkey(CmKey subkey, KEY_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        if (infoClass is not (KEY_INFORMATION_CLASS.KeyBasicInformation or KEY_INFORMATION_CLASS.KeyNodeInformation
            or KEY_INFORMATION_CLASS.KeyFullInformation))
        {
            resultLength = 0;
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        return WriteKey(subkey, infoClass, buffer, out resultLength);
    }

    /// <summary>ZwQueryValueKey and ZwEnumerateValueKey.</summary>
    internal static NTSTATUS WriteValue(CmValue value, KEY_VALUE_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        var nameLength = value.Name.Length * 2;
        var data = value.Data;
        NTSTATUS status;
        switch (infoClass)
        {
            case KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation:
                resultLength = (uint)(ValueBasicNameOffset + nameLength);
                if (buffer.Length < ValueBasicNameOffset)
                {
                    return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
                }

                WriteU32(buffer, 0, 0);
                WriteU32(buffer, 4, value.Type);
                WriteU32(buffer, 8, (uint)nameLength);
                return CopyName(value.Name, buffer[ValueBasicNameOffset..]);

            case KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation:
            case KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformationAlign64:
                {
                    // On x64 the data starts at the next 8-byte boundary after the name (for both classes).
                    var nameEnd = ValueFullNameOffset + nameLength;
                    var dataOffset = data.Length > 0 ? Align(nameEnd, 8) : nameEnd;
                    resultLength = (uint)(dataOffset + data.Length);
                    if (buffer.Length < ValueFullNameOffset)
                    {
                        return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
                    }

                    WriteU32(buffer, 0, 0);
                    WriteU32(buffer, 4, value.Type);
                    WriteU32(buffer, 8, data.Length > 0 ? (uint)dataOffset : NoOffset);
                    WriteU32(buffer, 12, (uint)data.Length);
                    WriteU32(buffer, 16, (uint)nameLength);
                    status = CopyName(value.Name, buffer[ValueFullNameOffset..]);
                    if (data.Length > 0)
                    {
                        status = Worst(status, CopyBytes(data, dataOffset < buffer.Length ? buffer[dataOffset..] : []));
                    }

                    return status;
                }

            case KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation:
                resultLength = (uint)(ValuePartialDataOffset + data.Length);
                if (buffer.Length < ValuePartialDataOffset)
                {
                    return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
                }

                WriteU32(buffer, 0, 0);
                WriteU32(buffer, 4, value.Type);
                WriteU32(buffer, 8, (uint)data.Length);
                return CopyBytes(data, buffer[ValuePartialDataOffset..]);

            case KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformationAlign64:
                resultLength = (uint)(ValuePartialAlign64DataOffset + data.Length);
                if (buffer.Length < ValuePartialAlign64DataOffset)
                {
                    return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
                }

                WriteU32(buffer, 0, value.Type);
                WriteU32(buffer, 4, (uint)data.Length);
                return CopyBytes(data, buffer[ValuePartialAlign64DataOffset..]);

            default:
                resultLength = 0;
                return NTSTATUS.STATUS_INVALID_PARAMETER;
        }
    }

    private static NTSTATUS WriteKeyBasic(CmKey key, string name, Span<byte> buffer, out uint resultLength)
    {
        resultLength = (uint)(KeyBasicNameOffset + (name.Length * 2));
        if (buffer.Length < KeyBasicNameOffset)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        WriteI64(buffer, 0, key.LastWriteTime);
        WriteU32(buffer, 8, 0);
        WriteU32(buffer, 12, (uint)(name.Length * 2));
        return CopyName(name, buffer[KeyBasicNameOffset..]);
    }

    private static NTSTATUS WriteKeyNode(CmKey key, string name, Span<byte> buffer, out uint resultLength)
    {
        var nameEnd = KeyNodeNameOffset + (name.Length * 2);
        var classText = key.Class ?? string.Empty;
        var classLength = classText.Length * 2;

        // The class follows the name at the next ULONG boundary. The size asked for covers that padding, so a
        // buffer of ResultLength bytes always holds the whole answer.
        var classOffset = classLength > 0 ? Align(nameEnd, 4) : nameEnd;
        resultLength = (uint)(classOffset + classLength);
        if (buffer.Length < KeyNodeNameOffset)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        WriteI64(buffer, 0, key.LastWriteTime);
        WriteU32(buffer, 8, 0);
        WriteU32(buffer, 12, classLength > 0 ? (uint)classOffset : NoOffset);
        WriteU32(buffer, 16, (uint)classLength);
        WriteU32(buffer, 20, (uint)(name.Length * 2));
        var status = CopyName(name, buffer[KeyNodeNameOffset..]);
        if (classLength > 0)
        {
            status = Worst(status, CopyName(classText, classOffset < buffer.Length ? buffer[classOffset..] : []));
        }

        return status;
    }

    private static NTSTATUS WriteKeyFull(CmKey key, Span<byte> buffer, out uint resultLength)
    {
        var classText = key.Class ?? string.Empty;
        var classLength = classText.Length * 2;
        resultLength = (uint)(KeyFullClassOffset + classLength);
        if (buffer.Length < KeyFullClassOffset)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        var (maxName, maxClass) = SubkeyMaxima(key);
        var (maxValueName, maxValueData) = ValueMaxima(key);
        WriteI64(buffer, 0, key.LastWriteTime);
        WriteU32(buffer, 8, 0);
        WriteU32(buffer, 12, classLength > 0 ? KeyFullClassOffset : NoOffset);
        WriteU32(buffer, 16, (uint)classLength);
        WriteU32(buffer, 20, (uint)key.SubkeyCount);
        WriteU32(buffer, 24, maxName);
        WriteU32(buffer, 28, maxClass);
        WriteU32(buffer, 32, (uint)key.Values.Count);
        WriteU32(buffer, 36, maxValueName);
        WriteU32(buffer, 40, maxValueData);
        return classLength > 0 ? CopyName(classText, buffer[KeyFullClassOffset..]) : NTSTATUS.STATUS_SUCCESS;
    }

    private static NTSTATUS WriteKeyName(string fullPath, Span<byte> buffer, out uint resultLength)
    {
        resultLength = (uint)(KeyNameNameOffset + (fullPath.Length * 2));
        if (buffer.Length < KeyNameNameOffset)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        WriteU32(buffer, 0, (uint)(fullPath.Length * 2));
        return CopyName(fullPath, buffer[KeyNameNameOffset..]);
    }

    private static NTSTATUS WriteKeyCached(CmKey key, Span<byte> buffer, out uint resultLength)
    {
        resultLength = KeyCachedSize;
        if (buffer.Length < KeyCachedSize)
        {
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        var (maxName, _) = SubkeyMaxima(key);
        var (maxValueName, maxValueData) = ValueMaxima(key);
        WriteI64(buffer, 0, key.LastWriteTime);
        WriteU32(buffer, 8, 0);
        WriteU32(buffer, 12, (uint)key.SubkeyCount);
        WriteU32(buffer, 16, maxName);
        WriteU32(buffer, 20, (uint)key.Values.Count);
        WriteU32(buffer, 24, maxValueName);
        WriteU32(buffer, 28, maxValueData);
        WriteU32(buffer, 32, (uint)(key.Name.Length * 2));
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>MaxNameLen and MaxClassLen: the longest subkey name and class, in bytes.</summary>
    private static (uint MaxName, uint MaxClass) SubkeyMaxima(CmKey key)
    {
        var maxName = 0;
        var maxClass = 0;
        foreach (var subkey in key.Subkeys)
        {
            maxName = Math.Max(maxName, subkey.Name.Length * 2);
            maxClass = Math.Max(maxClass, (subkey.Class?.Length ?? 0) * 2);
        }

        return ((uint)maxName, (uint)maxClass);
    }

    /// <summary>MaxValueNameLen and MaxValueDataLen: the longest value name and data, in bytes.</summary>
    private static (uint MaxName, uint MaxData) ValueMaxima(CmKey key)
    {
        var maxName = 0;
        var maxData = 0;
        foreach (var value in key.Values)
        {
            maxName = Math.Max(maxName, value.Name.Length * 2);
            maxData = Math.Max(maxData, value.DataLength);
        }

        return ((uint)maxName, (uint)maxData);
    }

    /// <summary>Copies as much of a name as fits (whole UTF-16 bytes, as NT copies a byte count).</summary>
    private static NTSTATUS CopyName(string name, Span<byte> destination)
    {
        var bytes = name.Length * 2;
        if (destination.Length >= bytes)
        {
            RegData.WriteUtf16(name, destination);
            return NTSTATUS.STATUS_SUCCESS;
        }

        Span<byte> whole = bytes <= 1024 ? stackalloc byte[bytes] : new byte[bytes];
        RegData.WriteUtf16(name, whole);
        whole[..destination.Length].CopyTo(destination);
        return NTSTATUS.STATUS_BUFFER_OVERFLOW;
    }

    private static NTSTATUS CopyBytes(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length >= source.Length)
        {
            source.CopyTo(destination);
            return NTSTATUS.STATUS_SUCCESS;
        }

        source[..destination.Length].CopyTo(destination);
        return NTSTATUS.STATUS_BUFFER_OVERFLOW;
    }

    private static NTSTATUS Worst(NTSTATUS a, NTSTATUS b) => a == NTSTATUS.STATUS_SUCCESS ? b : a;

    private static int Align(int offset, int alignment) => (offset + alignment - 1) & ~(alignment - 1);

    private static void WriteU32(Span<byte> buffer, int offset, uint value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[offset..], value);

    private static void WriteI64(Span<byte> buffer, int offset, long value) =>
        BinaryPrimitives.WriteInt64LittleEndian(buffer[offset..], value);
}
