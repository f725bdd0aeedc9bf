using System.Buffers;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// The registry's system services (NtCreateKey, NtQueryValueKey, ...): key handles in, the registry core
/// behind. <c>previousMode</c> is the mode of the caller (KernelMode for the Zw routines): for UserMode a
/// handle must have been granted the access the service needs (STATUS_ACCESS_DENIED otherwise), buffers
/// must lie in user space, and a fault on them comes back as its status, as NT's probes and __try blocks
/// give it; for KernelMode the access is not checked (ObReferenceObjectByHandle) and a bad buffer faults.
/// </summary>
internal sealed partial class ConfigurationManager
{
    /// <summary>Values larger than this are touched page by page before a copy of them is made.</summary>
    private const int LargeValueData = 64 * 1024;

    /// <summary>
    /// NtCreateKey: opens the key ObjectAttributes names, creating its last component when it does not exist
    /// (REG_OPTION_* in <paramref name="createOptions"/>, any other bit STATUS_INVALID_PARAMETER), and
    /// reports REG_CREATED_NEW_KEY or REG_OPENED_EXISTING_KEY. TitleIndex is ignored, as documented.
    /// </summary>
    internal NTSTATUS NtCreateKey(out HANDLE keyHandle, uint desiredAccess, in OBJECT_ATTRIBUTES objectAttributes, uint titleIndex,
        UNICODE_STRING? keyClass, uint createOptions, out uint disposition, KPROCESSOR_MODE previousMode)
    {
        _ = titleIndex;
        keyHandle = HANDLE.NULL;
        disposition = 0;
        if ((createOptions & ~RegConstants.REG_LEGAL_OPTION) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var context = new CmParseContext
        {
            Create = true,
            Options = createOptions,
            Class = keyClass is { Length: > 0 } c ? c.Value : null,
        };
        var ob = Machine.Ob;
        var status = ob.OpenObjectByName(objectAttributes, ob.KeyType, previousMode, null, desiredAccess, context, out keyHandle);
        if (status.IsSuccess())
        {
            disposition = context.Disposition;
        }

        return status;
    }

    /// <summary>
    /// NtOpenKeyEx: opens an existing key. <paramref name="openOptions"/> may hold REG_OPTION_OPEN_LINK
    /// (as OBJ_OPENLINK) and REG_OPTION_BACKUP_RESTORE; any other bit is STATUS_INVALID_PARAMETER.
    /// </summary>
    internal NTSTATUS NtOpenKey(out HANDLE keyHandle, uint desiredAccess, in OBJECT_ATTRIBUTES objectAttributes, uint openOptions,
        KPROCESSOR_MODE previousMode)
    {
        keyHandle = HANDLE.NULL;
        if ((openOptions & ~(RegConstants.REG_OPTION_OPEN_LINK | RegConstants.REG_OPTION_BACKUP_RESTORE)) != 0)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var context = new CmParseContext { Options = openOptions };
        var ob = Machine.Ob;
        return ob.OpenObjectByName(objectAttributes, ob.KeyType, previousMode, null, desiredAccess, context, out keyHandle);
    }

    /// <summary>NtDeleteKey: DELETE access; a key with subkeys, or a hive's root, is STATUS_CANNOT_DELETE.</summary>
    internal NTSTATUS NtDeleteKey(HANDLE keyHandle, KPROCESSOR_MODE previousMode) =>
        WithKey(keyHandle, AccessMask.DELETE, previousMode, DeleteKey);

    /// <summary>
    /// NtFlushKey: every change is in the registry as soon as it is made, so there is nothing to write;
    /// the handle must still be a key's, and the key not deleted.
    /// </summary>
    internal NTSTATUS NtFlushKey(HANDLE keyHandle, KPROCESSOR_MODE previousMode) =>
        WithKey(keyHandle, 0, previousMode, key => key.IsDeleted ? NTSTATUS.STATUS_KEY_DELETED : NTSTATUS.STATUS_SUCCESS);

    /// <summary>
    /// NtQueryKey: KEY_QUERY_VALUE access, except KeyNameInformation and KeyHandleTagsInformation, which
    /// need none.
    /// </summary>
    internal NTSTATUS NtQueryKey(HANDLE keyHandle, KEY_INFORMATION_CLASS infoClass, ulong keyInformation, uint length,
        out uint resultLength, KPROCESSOR_MODE previousMode)
    {
        var access = infoClass is KEY_INFORMATION_CLASS.KeyNameInformation or KEY_INFORMATION_CLASS.KeyHandleTagsInformation
            ? 0
            : AccessMask.KEY_QUERY_VALUE;
        return QueryInformation(keyHandle, access, keyInformation, length, previousMode, out resultLength,
            key => (Span<byte> buffer, out uint result) => QueryKey(key, infoClass, buffer, out result));
    }

    /// <summary>NtEnumerateKey: KEY_ENUMERATE_SUB_KEYS access; STATUS_NO_MORE_ENTRIES past the last subkey.</summary>
    internal NTSTATUS NtEnumerateKey(HANDLE keyHandle, uint index, KEY_INFORMATION_CLASS infoClass, ulong keyInformation,
        uint length, out uint resultLength, KPROCESSOR_MODE previousMode) =>
        QueryInformation(keyHandle, AccessMask.KEY_ENUMERATE_SUB_KEYS, keyInformation, length, previousMode, out resultLength,
            key => (Span<byte> buffer, out uint result) => EnumerateKey(key, index, infoClass, buffer, out result));

    /// <summary>NtQueryValueKey: KEY_QUERY_VALUE access; STATUS_OBJECT_NAME_NOT_FOUND if there is no such value.</summary>
    internal NTSTATUS NtQueryValueKey(HANDLE keyHandle, UNICODE_STRING valueName, KEY_VALUE_INFORMATION_CLASS infoClass,
        ulong keyValueInformation, uint length, out uint resultLength, KPROCESSOR_MODE previousMode)
    {
        var name = valueName.Value;
        return QueryInformation(keyHandle, AccessMask.KEY_QUERY_VALUE, keyValueInformation, length, previousMode, out resultLength,
            key => (Span<byte> buffer, out uint result) => QueryValueKey(key, name, infoClass, buffer, out result));
    }

    /// <summary>NtEnumerateValueKey: KEY_QUERY_VALUE access; STATUS_NO_MORE_ENTRIES past the last value.</summary>
    internal NTSTATUS NtEnumerateValueKey(HANDLE keyHandle, uint index, KEY_VALUE_INFORMATION_CLASS infoClass,
        ulong keyValueInformation, uint length, out uint resultLength, KPROCESSOR_MODE previousMode) =>
        QueryInformation(keyHandle, AccessMask.KEY_QUERY_VALUE, keyValueInformation, length, previousMode, out resultLength,
            key => (Span<byte> buffer, out uint result) => EnumerateValueKey(key, index, infoClass, buffer, out result));

    /// <summary>NtQueryKey into a managed buffer (for kernel callers, which own the buffer).</summary>
    internal NTSTATUS NtQueryKey(HANDLE keyHandle, KEY_INFORMATION_CLASS infoClass, Span<byte> keyInformation, out uint resultLength,
        KPROCESSOR_MODE previousMode)
    {
        var access = infoClass is KEY_INFORMATION_CLASS.KeyNameInformation or KEY_INFORMATION_CLASS.KeyHandleTagsInformation
            ? 0
            : AccessMask.KEY_QUERY_VALUE;
        return QueryInformation(keyHandle, access, previousMode, keyInformation, out resultLength,
            key => (Span<byte> buffer, out uint result) => QueryKey(key, infoClass, buffer, out result));
    }

    /// <summary>NtEnumerateKey into a managed buffer.</summary>
    internal NTSTATUS NtEnumerateKey(HANDLE keyHandle, uint index, KEY_INFORMATION_CLASS infoClass, Span<byte> keyInformation,
        out uint resultLength, KPROCESSOR_MODE previousMode) =>
        QueryInformation(keyHandle, AccessMask.KEY_ENUMERATE_SUB_KEYS, previousMode, keyInformation, out resultLength,
            key => (Span<byte> buffer, out uint result) => EnumerateKey(key, index, infoClass, buffer, out result));

    /// <summary>NtQueryValueKey into a managed buffer.</summary>
    internal NTSTATUS NtQueryValueKey(HANDLE keyHandle, UNICODE_STRING valueName, KEY_VALUE_INFORMATION_CLASS infoClass,
        Span<byte> keyValueInformation, out uint resultLength, KPROCESSOR_MODE previousMode)
    {
        var name = valueName.Value;
        return QueryInformation(keyHandle, AccessMask.KEY_QUERY_VALUE, previousMode, keyValueInformation, out resultLength,
            key => (Span<byte> buffer, out uint result) => QueryValueKey(key, name, infoClass, buffer, out result));
    }

    /// <summary>NtEnumerateValueKey into a managed buffer.</summary>
    internal NTSTATUS NtEnumerateValueKey(HANDLE keyHandle, uint index, KEY_VALUE_INFORMATION_CLASS infoClass,
        Span<byte> keyValueInformation, out uint resultLength, KPROCESSOR_MODE previousMode) =>
        QueryInformation(keyHandle, AccessMask.KEY_QUERY_VALUE, previousMode, keyValueInformation, out resultLength,
            key => (Span<byte> buffer, out uint result) => EnumerateValueKey(key, index, infoClass, buffer, out result));

    /// <summary>
    /// NtSetValueKey: KEY_SET_VALUE access; the value's data is the <paramref name="dataSize"/> bytes at
    /// <paramref name="data"/> in the caller's address space.
    /// </summary>
    internal NTSTATUS NtSetValueKey(HANDLE keyHandle, UNICODE_STRING valueName, uint titleIndex, uint type, ulong data,
        uint dataSize, KPROCESSOR_MODE previousMode)
    {
        _ = titleIndex;
        var status = ReferenceKey(keyHandle, AccessMask.KEY_SET_VALUE, previousMode, out var body);
        if (!status.IsSuccess())
        {
            return status;
        }

        try
        {
            status = CaptureData(data, dataSize, previousMode, out var bytes);
            return status.IsSuccess() ? SetValueKey(body!.Key, valueName.Value, type, bytes) : status;
        }
        finally
        {
            Machine.Ob.DereferenceObject(body!);
        }
    }

    /// <summary>NtSetValueKey with the data in a managed buffer (for kernel callers).</summary>
    internal NTSTATUS NtSetValueKey(HANDLE keyHandle, UNICODE_STRING valueName, uint type, ReadOnlySpan<byte> data,
        KPROCESSOR_MODE previousMode)
    {
        var status = ReferenceKey(keyHandle, AccessMask.KEY_SET_VALUE, previousMode, out var body);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = SetValueKey(body!.Key, valueName.Value, type, data);
        Machine.Ob.DereferenceObject(body);
        return status;
    }

    /// <summary>NtDeleteValueKey: KEY_SET_VALUE access; STATUS_OBJECT_NAME_NOT_FOUND if there is no such value.</summary>
    internal NTSTATUS NtDeleteValueKey(HANDLE keyHandle, UNICODE_STRING valueName, KPROCESSOR_MODE previousMode)
    {
        var name = valueName.Value;
        return WithKey(keyHandle, AccessMask.KEY_SET_VALUE, previousMode, key => DeleteValueKey(key, name));
    }

    /// <summary>
    /// ObReferenceObjectByHandle for CmKeyObjectType with the access a service needs: STATUS_INVALID_HANDLE,
    /// STATUS_OBJECT_TYPE_MISMATCH or (UserMode) STATUS_ACCESS_DENIED, as the object manager answers.
    /// </summary>
    private NTSTATUS ReferenceKey(HANDLE keyHandle, uint desiredAccess, KPROCESSOR_MODE previousMode, out CmKeyBody? body)
    {
        var ob = Machine.Ob;
        var status = ob.ReferenceObjectByHandle(keyHandle, desiredAccess, ob.KeyType, previousMode, out var obj, out _);
        body = status.IsSuccess() ? (CmKeyBody)obj! : null;
        return status;
    }

    private NTSTATUS WithKey(HANDLE keyHandle, uint desiredAccess, KPROCESSOR_MODE previousMode, Func<CmKey, NTSTATUS> operation)
    {
        var status = ReferenceKey(keyHandle, desiredAccess, previousMode, out var body);
        if (!status.IsSuccess())
        {
            return status;
        }

        try
        {
            return operation(body!.Key);
        }
        finally
        {
            Machine.Ob.DereferenceObject(body!);
        }
    }

    private NTSTATUS QueryInformation(HANDLE keyHandle, uint desiredAccess, KPROCESSOR_MODE previousMode, Span<byte> buffer,
        out uint resultLength, Func<CmKey, CmInformationWriter> writerFor)
    {
        resultLength = 0;
        var status = ReferenceKey(keyHandle, desiredAccess, previousMode, out var body);
        if (!status.IsSuccess())
        {
            return status;
        }

        try
        {
            return writerFor(body!.Key)(buffer, out resultLength);
        }
        finally
        {
            Machine.Ob.DereferenceObject(body!);
        }
    }

    private NTSTATUS QueryInformation(HANDLE keyHandle, uint desiredAccess, ulong address, uint length, KPROCESSOR_MODE previousMode,
        out uint resultLength, Func<CmKey, CmInformationWriter> writerFor)
    {
        resultLength = 0;
        var status = ReferenceKey(keyHandle, desiredAccess, previousMode, out var body);
        if (!status.IsSuccess())
        {
            return status;
        }

        try
        {
            return WriteInformation(address, length, previousMode, writerFor(body!.Key), out resultLength);
        }
        finally
        {
            Machine.Ob.DereferenceObject(body!);
        }
    }

    /// <summary>
    /// Puts an answer into the caller's buffer at <paramref name="address"/>: the registry fills a copy of
    /// the bytes the answer covers, which then goes back, so bytes the answer does not write (padding, the
    /// rest of the buffer) keep what the caller had there. The size is learned first; if the key changes
    /// between the two looks, the answer is taken again.
    /// </summary>
    private NTSTATUS WriteInformation(ulong address, uint length, KPROCESSOR_MODE previousMode, CmInformationWriter writer,
        out uint resultLength)
    {
        resultLength = 0;
        var mm = Machine.Mm;
        try
        {
            // ProbeForWrite(Buffer, Length, sizeof(ULONG)) for a user-mode caller.
            var status = Probe(address, length, sizeof(uint), previousMode);
            if (!status.IsSuccess())
            {
                return status;
            }

            status = writer([], out var needed);
            if (status != NTSTATUS.STATUS_BUFFER_TOO_SMALL && status != NTSTATUS.STATUS_BUFFER_OVERFLOW)
            {
                resultLength = needed;
                return status;
            }

            while (true)
            {
                var size = (int)Math.Min(length, needed);
                var rented = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
                try
                {
                    var span = rented.AsSpan(0, size);
                    if (size > 0)
                    {
                        mm.Read(address, span, previousMode);
                    }

                    status = writer(span, out resultLength);
                    var truncated = status == NTSTATUS.STATUS_BUFFER_TOO_SMALL || status == NTSTATUS.STATUS_BUFFER_OVERFLOW;
                    if (truncated && resultLength > size && length > (uint)size)
                    {
                        needed = resultLength;
                        continue;
                    }

                    if (size > 0 && status != NTSTATUS.STATUS_BUFFER_TOO_SMALL && (status.IsSuccess() || truncated))
                    {
                        mm.Write(address, span[..(int)Math.Min((uint)size, resultLength)], previousMode);
                    }

                    return status;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
        catch (NtException e) when (previousMode == KPROCESSOR_MODE.UserMode)
        {
            return e.Status;
        }
    }

    /// <summary>
    /// Copies value data from the caller's address space. A large size is touched page by page first, so a
    /// bad range faults before a copy of its size is allocated.
    /// </summary>
    private NTSTATUS CaptureData(ulong address, uint size, KPROCESSOR_MODE previousMode, out byte[] data)
    {
        data = [];
        if (size == 0)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var mm = Machine.Mm;
        try
        {
            var status = Probe(address, size, 1, previousMode);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (size > LargeValueData)
            {
                Span<byte> one = stackalloc byte[1];
                for (var va = address; va - address < size; va = (va & ~MemoryManager.PageOffsetMask) + MemoryManager.PAGE_SIZE)
                {
                    mm.Read(va, one, previousMode);
                }
            }

            data = new byte[size];
            mm.Read(address, data, previousMode);
            return NTSTATUS.STATUS_SUCCESS;
        }
        catch (NtException e) when (previousMode == KPROCESSOR_MODE.UserMode)
        {
            return e.Status;
        }
    }

    private static NTSTATUS Probe(ulong address, uint length, uint alignment, KPROCESSOR_MODE previousMode) =>
        Ex.Probe.Check(address, length, alignment, previousMode);
}
