using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    /// <summary>
    /// NtCreateSymbolicLinkObject: a symbolic link object standing for <paramref name="linkTarget"/>, with a
    /// handle to it. The target is not looked up until the link is used. A target whose lengths are not
    /// whole characters, or longer than its buffer, is STATUS_INVALID_PARAMETER.
    /// </summary>
    internal NTSTATUS CreateSymbolicLink(out HANDLE linkHandle, uint desiredAccess, in OBJECT_ATTRIBUTES attributes,
        UNICODE_STRING linkTarget, KPROCESSOR_MODE accessMode)
    {
        linkHandle = HANDLE.NULL;
        if ((linkTarget.Length & 1) != 0 || (linkTarget.MaximumLength & 1) != 0 || linkTarget.Length > linkTarget.MaximumLength
            || (linkTarget.Length > 0 && (linkTarget.Buffer is null || linkTarget.Buffer.Length < linkTarget.Length / 2)))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var ke = _machine.Ke;
        var link = new OBJECT_SYMBOLIC_LINK(linkTarget.Value, ke.BootSystemTime + ke.InterruptTime);
        var status = CreateObject(SymbolicLinkType, link, attributes);
        if (!status.IsSuccess())
        {
            return status;
        }

        return InsertObject(link, null, desiredAccess, accessMode, 0, out _, out linkHandle);
    }

    /// <summary>
    /// NtQuerySymbolicLinkObject: copies the link's target into <paramref name="linkTarget"/>, with its
    /// terminating NUL when the buffer has room for it. <paramref name="returnedLength"/> is the number of
    /// bytes copied, or on STATUS_BUFFER_TOO_SMALL the number needed.
    /// </summary>
    internal NTSTATUS QuerySymbolicLink(HANDLE linkHandle, ref UNICODE_STRING linkTarget, out uint returnedLength,
        KPROCESSOR_MODE previousMode)
    {
        returnedLength = 0;
        var status = ReferenceObjectByHandle(linkHandle, AccessMask.SYMBOLIC_LINK_QUERY, SymbolicLinkType, previousMode,
            out var body, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        var target = ((OBJECT_SYMBOLIC_LINK)body!).LinkTarget;
        DereferenceObject(body!);
        var length = (uint)target.Length * 2;
        if (linkTarget.MaximumLength < length)
        {
            returnedLength = length + 2;
            return NTSTATUS.STATUS_BUFFER_TOO_SMALL;
        }

        linkTarget.Buffer = target;
        linkTarget.Length = (ushort)length;
        returnedLength = linkTarget.MaximumLength >= length + 2 ? length + 2 : length;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// IoCreateSymbolicLink: a permanent link (OBJ_PERMANENT, so it outlives the handle used to create it)
    /// named <paramref name="symbolicLinkName"/> standing for <paramref name="deviceName"/>.
    /// </summary>
    internal NTSTATUS CreatePermanentSymbolicLink(UNICODE_STRING symbolicLinkName, UNICODE_STRING deviceName)
    {
        OBJECT_ATTRIBUTES.Initialize(out var attributes, symbolicLinkName,
            OBJECT_ATTRIBUTES.OBJ_PERMANENT | OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE | OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE,
            HANDLE.NULL, null);
        var status = CreateSymbolicLink(out var handle, AccessMask.SYMBOLIC_LINK_ALL_ACCESS, attributes, deviceName,
            KPROCESSOR_MODE.KernelMode);
        if (status.IsSuccess())
        {
            CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
        }

        return status;
    }

    /// <summary>
    /// IoDeleteSymbolicLink: opens the link, makes it temporary and closes it, so its name goes.
    /// </summary>
    internal NTSTATUS DeletePermanentSymbolicLink(UNICODE_STRING symbolicLinkName)
    {
        OBJECT_ATTRIBUTES.Initialize(out var attributes, symbolicLinkName,
            OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE | OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE, HANDLE.NULL, null);
        var status = OpenObjectByName(attributes, SymbolicLinkType, KPROCESSOR_MODE.KernelMode, null, AccessMask.DELETE, null,
            out var handle);
        if (!status.IsSuccess())
        {
            return status;
        }

        MakeTemporaryObject(handle, KPROCESSOR_MODE.KernelMode);
        CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// ObpParseSymbolicLink: substitutes the link's target for the part of the name the link stood for
    /// and asks for a reparse. Opened as a symbolic link with no name left, the link itself is the result.
    /// </summary>
    private NTSTATUS ParseSymbolicLink(object parseObject, OBJECT_TYPE? objectType, ACCESS_STATE accessState,
        KPROCESSOR_MODE accessMode, uint attributes, ref UNICODE_STRING completeName, ref UNICODE_STRING remainingName,
        object? context, object? securityQos, out object? obj)
    {
        obj = null;
        var link = (OBJECT_SYMBOLIC_LINK)parseObject;
        if (remainingName.Length == 0 && objectType == SymbolicLinkType)
        {
            ReferenceObject(link);
            obj = link;
            return NTSTATUS.STATUS_SUCCESS;
        }

        var newLength = (link.LinkTarget.Length + (remainingName.Length / 2)) * 2;
        if (newLength > UNICODE_STRING.MaxLength)
        {
            return NTSTATUS.STATUS_NAME_TOO_LONG;
        }

        completeName = new UNICODE_STRING(string.Concat(link.LinkTarget.AsSpan(), remainingName.AsSpan()));
        return NTSTATUS.STATUS_REPARSE;
    }
}
