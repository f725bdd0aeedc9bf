using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A view of TARGET_DEVICE_REMOVAL_NOTIFICATION (wdm.h, 32 bytes on x64): USHORT Version, USHORT Size, GUID Event
/// (GUID_TARGET_DEVICE_QUERY_REMOVE, _REMOVE_CANCELLED or _REMOVE_COMPLETE), PFILE_OBJECT FileObject at 24: the file
/// object the callback registered with.
/// </summary>
[DebuggerDisplay("TARGET_DEVICE_REMOVAL_NOTIFICATION {Address,h}")]
public readonly record struct TARGET_DEVICE_REMOVAL_NOTIFICATION(ulong Address)
{
    public const ushort SizeOf = 32;

    /// <summary>GUID_TARGET_DEVICE_QUERY_REMOVE (wdmguid.h): close the handle, or fail to veto the removal.</summary>
    public static readonly Guid GUID_TARGET_DEVICE_QUERY_REMOVE = new("cb3a4006-46f0-11d0-b08f-00609713053f");

    /// <summary>GUID_TARGET_DEVICE_REMOVE_CANCELLED (wdmguid.h): the device stays; a handle may be opened again.</summary>
    public static readonly Guid GUID_TARGET_DEVICE_REMOVE_CANCELLED = new("cb3a4007-46f0-11d0-b08f-00609713053f");

    /// <summary>GUID_TARGET_DEVICE_REMOVE_COMPLETE (wdmguid.h): the device is gone (removed, or pulled out); close the handle.</summary>
    public static readonly Guid GUID_TARGET_DEVICE_REMOVE_COMPLETE = new("cb3a4008-46f0-11d0-b08f-00609713053f");

    public ushort Version => ViewMemory.Read<ushort>(Address);

    public ushort Size => ViewMemory.Read<ushort>(Address + 2);

    public Guid Event => DEVICE_INTERFACE_CHANGE_NOTIFICATION.ReadGuid(Address + 4);

    public FILE_OBJECT FileObject => new(ViewMemory.Read<ulong>(Address + 24));
}
