using System.Text;
using static SharpNT.Win32.Ntdll;

namespace SharpNT.Win32;

/// <summary>
/// cfgmgr32: the Configuration Manager API programs use to find devices. CM_Get_Device_Interface_List and its
/// _Size companion ask the PnP manager (NtPlugPlayControl, PlugPlayControlGetInterfaceDeviceList) for the
/// interfaces of a class and return them as a REG_MULTI_SZ of \\?\ names that CreateFile opens.
/// </summary>
public static class Cfgmgr32
{
    public const uint CR_SUCCESS = 0x00000000;
    public const uint CR_INVALID_POINTER = 0x00000003;
    public const uint CR_INVALID_FLAG = 0x00000004;
    public const uint CR_NO_SUCH_DEVNODE = 0x0000000D;
    public const uint CR_FAILURE = 0x00000013;
    public const uint CR_BUFFER_SMALL = 0x0000001A;

    /// <summary>Only interfaces that are enabled (their devices present and started).</summary>
    public const uint CM_GET_DEVICE_INTERFACE_LIST_PRESENT = 0x00000000;

    /// <summary>Every registered interface, enabled or not.</summary>
    public const uint CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES = 0x00000001;

    private const uint PlugPlayControlGetInterfaceDeviceList = 9;
    private const int PlugPlayDataSize = 48;
    private const int STATUS_BUFFER_TOO_SMALL = unchecked((int)0xC0000023);
    private const int STATUS_NO_SUCH_DEVICE = unchecked((int)0xC000000E);

    /// <summary>CM_Get_Device_Interface_List_Size: the characters the list needs, its final NUL included.</summary>
    public static uint CM_Get_Device_Interface_List_Size(out uint pulLen, in Guid InterfaceClassGuid, string? pDeviceID, uint ulFlags)
    {
        pulLen = 0;
        var result = GetList(InterfaceClassGuid, pDeviceID, 0, 0, ulFlags, out var needed);
        if (result == CR_SUCCESS)
        {
            pulLen = needed;
        }

        return result;
    }

    /// <summary>
    /// CM_Get_Device_Interface_List: the symbolic link names of the class's interfaces (of one device when pDeviceID
    /// names its instance), each NUL-terminated, the list ending with an empty string; CR_BUFFER_SMALL if BufferLen
    /// (in characters) is too small, CR_NO_SUCH_DEVNODE for an unknown device instance.
    /// </summary>
    public static uint CM_Get_Device_Interface_List(in Guid InterfaceClassGuid, string? pDeviceID, ulong Buffer, uint BufferLen, uint ulFlags)
    {
        if (Buffer == 0 || BufferLen == 0)
        {
            return CR_INVALID_POINTER;
        }

        var result = GetList(InterfaceClassGuid, pDeviceID, Buffer, BufferLen, ulFlags, out _);
        if (result != CR_SUCCESS)
        {
            return result;
        }

        // The kernel names interfaces \??\...; programs get the \\?\ form of the same name.
        for (var at = Buffer; ;)
        {
            var name = ReadString(at);
            if (name.Length == 0)
            {
                break;
            }

            if (name.StartsWith(@"\??\", StringComparison.Ordinal))
            {
                Memory.Write<ushort>(at + 2, '\\');
            }

            at += (ulong)(name.Length + 1) * 2;
        }

        return CR_SUCCESS;
    }

    /// <summary>The strings of a REG_MULTI_SZ in the caller's memory (what a program does with the list).</summary>
    public static IReadOnlyList<string> ReadMultiString(ulong buffer)
    {
        var list = new List<string>();
        for (var at = buffer; ;)
        {
            var s = ReadString(at);
            if (s.Length == 0)
            {
                return list;
            }

            list.Add(s);
            at += (ulong)(s.Length + 1) * 2;
        }
    }

    private static uint GetList(in Guid guid, string? deviceId, ulong buffer, uint bufferLength, uint flags, out uint needed)
    {
        needed = 0;
        if ((flags & ~CM_GET_DEVICE_INTERFACE_LIST_ALL_DEVICES) != 0)
        {
            return CR_INVALID_FLAG;
        }

        using var frame = UserStack.Frame();
        var guidAt = frame.Alloc(16);
        Memory.Write(guidAt, guid.ToByteArray());
        var data = frame.Alloc(PlugPlayDataSize);
        Memory.Fill(data, PlugPlayDataSize, 0);
        if (deviceId is { Length: > 0 })
        {
            var chars = frame.String(deviceId);
            Memory.Write(data, (ushort)(deviceId.Length * 2));
            Memory.Write(data + 2, (ushort)((deviceId.Length * 2) + 2));
            Memory.Write(data + 8, chars);
        }

        Memory.Write(data + 16, guidAt);
        Memory.Write(data + 24, flags);
        Memory.Write(data + 32, buffer);
        Memory.Write(data + 40, bufferLength);
        var status = NtPlugPlayControl(PlugPlayControlGetInterfaceDeviceList, data, PlugPlayDataSize);
        needed = Memory.Read<uint>(data + 40);
        return status switch
        {
            >= 0 => CR_SUCCESS,
            STATUS_BUFFER_TOO_SMALL => CR_BUFFER_SMALL,
            STATUS_NO_SUCH_DEVICE => CR_NO_SUCH_DEVNODE,
            _ => CR_FAILURE,
        };
    }

    private static string ReadString(ulong at)
    {
        var sb = new StringBuilder();
        for (var c = Memory.Read<ushort>(at); c != 0; c = Memory.Read<ushort>(at += 2))
        {
            sb.Append((char)c);
        }

        return sb.ToString();
    }
}
