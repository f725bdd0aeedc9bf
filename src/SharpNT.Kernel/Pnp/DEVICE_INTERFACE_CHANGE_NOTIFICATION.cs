using System.Diagnostics;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Pnp;

/// <summary>
/// A view of DEVICE_INTERFACE_CHANGE_NOTIFICATION (wdm.h, 48 bytes on x64): USHORT Version, USHORT Size, GUID Event
/// (GUID_DEVICE_INTERFACE_ARRIVAL or _REMOVAL), GUID InterfaceClassGuid, PUNICODE_STRING SymbolicLinkName at 40.
/// </summary>
[DebuggerDisplay("DEVICE_INTERFACE_CHANGE_NOTIFICATION {Address,h}")]
public readonly record struct DEVICE_INTERFACE_CHANGE_NOTIFICATION(ulong Address)
{
    public const ushort SizeOf = 48;

    /// <summary>GUID_DEVICE_INTERFACE_ARRIVAL (wdmguid.h).</summary>
    public static readonly Guid GUID_DEVICE_INTERFACE_ARRIVAL = new("cb3a4004-46f0-11d0-b08f-00609713053f");

    /// <summary>GUID_DEVICE_INTERFACE_REMOVAL (wdmguid.h).</summary>
    public static readonly Guid GUID_DEVICE_INTERFACE_REMOVAL = new("cb3a4005-46f0-11d0-b08f-00609713053f");

    public ushort Version => ViewMemory.Read<ushort>(Address);

    public ushort Size => ViewMemory.Read<ushort>(Address + 2);

    public Guid Event => ReadGuid(Address + 4);

    public Guid InterfaceClassGuid => ReadGuid(Address + 20);

    /// <summary>The interface's symbolic link name (read through the PUNICODE_STRING).</summary>
    public string SymbolicLinkName
    {
        get
        {
            var unicode = ViewMemory.Read<ulong>(Address + 40);
            var length = ViewMemory.Read<ushort>(unicode);
            var buffer = ViewMemory.Read<ulong>(unicode + 8);
            var chars = new char[length / 2];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)ViewMemory.Read<ushort>(buffer + ((ulong)i * 2));
            }

            return new string(chars);
        }
    }

    internal static Guid ReadGuid(ulong address)
    {
        Span<byte> bytes = stackalloc byte[16];
        ViewMemory.Mm.Read(address, bytes);
        return new Guid(bytes);
    }
}
