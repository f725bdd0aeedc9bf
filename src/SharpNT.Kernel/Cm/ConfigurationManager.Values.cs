namespace SharpNT.Kernel.Cm;

internal sealed partial class ConfigurationManager
{
    /// <summary>
    /// ZwSetValueKey: sets the value <paramref name="valueName"/> (null or empty: the key's default value)
    /// to <paramref name="type"/> and a copy of <paramref name="data"/>. A new value goes after the existing
    /// ones; an existing value keeps its place and the case of its name. A name longer than 16,383
    /// characters is STATUS_INVALID_PARAMETER.
    /// </summary>
    internal NTSTATUS SetValueKey(CmKey key, string? valueName, uint type, ReadOnlySpan<byte> data)
    {
        var name = valueName ?? string.Empty;
        if (name.Length > RegConstants.MaxValueNameLength)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        lock (_lock)
        {
            if (key.IsDeleted)
            {
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            SetValueLocked(key, name, type, data, undo: null);
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// ZwQueryValueKey: the value as KEY_VALUE_BASIC_INFORMATION, KEY_VALUE_FULL_INFORMATION or
    /// KEY_VALUE_PARTIAL_INFORMATION (or their Align64 forms); STATUS_OBJECT_NAME_NOT_FOUND if the key has
    /// no such value.
    /// </summary>
    internal NTSTATUS QueryValueKey(CmKey key, string? valueName, KEY_VALUE_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        resultLength = 0;
        if (!IsValueInformationClass(infoClass))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        lock (_lock)
        {
            if (key.IsDeleted)
            {
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            if (key.FindValue(valueName ?? string.Empty) is not { } value)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
            }

            return CmInformation.WriteValue(value, infoClass, buffer, out resultLength);
        }
    }

    /// <summary>
    /// ZwEnumerateValueKey: the value at <paramref name="index"/> in the order the values were first set;
    /// STATUS_NO_MORE_ENTRIES past the last one.
    /// </summary>
    internal NTSTATUS EnumerateValueKey(CmKey key, uint index, KEY_VALUE_INFORMATION_CLASS infoClass, Span<byte> buffer, out uint resultLength)
    {
        resultLength = 0;
        if (!IsValueInformationClass(infoClass))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        lock (_lock)
        {
            if (key.IsDeleted)
            {
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            if (index >= (uint)key.Values.Count)
            {
                return NTSTATUS.STATUS_NO_MORE_ENTRIES;
            }

            return CmInformation.WriteValue(key.Values[(int)index], infoClass, buffer, out resultLength);
        }
    }

    /// <summary>ZwDeleteValueKey: removes a value; the values after it move up one place.</summary>
    internal NTSTATUS DeleteValueKey(CmKey key, string? valueName)
    {
        lock (_lock)
        {
            if (key.IsDeleted)
            {
                return NTSTATUS.STATUS_KEY_DELETED;
            }

            return DeleteValueLocked(key, valueName ?? string.Empty, undo: null)
                ? NTSTATUS.STATUS_SUCCESS
                : NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        }
    }

    /// <summary>A value of a key (immutable), or null if it has none by that name or the key is deleted.</summary>
    internal CmValue? GetValue(CmKey key, string? valueName)
    {
        lock (_lock)
        {
            return key.IsDeleted ? null : key.FindValue(valueName ?? string.Empty);
        }
    }

    /// <summary>A snapshot of a key's values in enumeration order.</summary>
    internal IReadOnlyList<CmValue> GetValues(CmKey key)
    {
        lock (_lock)
        {
            return [.. key.Values];
        }
    }

    private static bool IsValueInformationClass(KEY_VALUE_INFORMATION_CLASS infoClass) => infoClass is
        KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation or KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation
        or KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation or KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformationAlign64
        or KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformationAlign64;

    private void SetValueLocked(CmKey key, string name, uint type, ReadOnlySpan<byte> data, CmUndoLog? undo)
    {
        undo?.SaveTime(key);
        var index = key.FindValueIndex(name);
        if (index >= 0)
        {
            var old = key.Values[index];
            key.ReplaceValueAt(index, new CmValue(old.Name, type, data));
            undo?.Record(() => key.ReplaceValueAt(index, old));
        }
        else
        {
            index = key.Values.Count;
            key.InsertValueAt(index, new CmValue(name, type, data));
            undo?.Record(() => key.RemoveValueAt(index));
        }

        key.LastWriteTime = Now();
    }

    private bool DeleteValueLocked(CmKey key, string name, CmUndoLog? undo)
    {
        var index = key.FindValueIndex(name);
        if (index < 0)
        {
            return false;
        }

        undo?.SaveTime(key);
        var old = key.Values[index];
        key.RemoveValueAt(index);
        undo?.Record(() => key.InsertValueAt(index, old));
        key.LastWriteTime = Now();
        return true;
    }
}
