using System.Buffers.Binary;
using System.Text;
using SharpNT.Kernel.Cm;

namespace SharpNT.Kernel.Tests.Cm;

/// <summary>Registries for tests: a stand-alone ConfigurationManager on a clock the test moves.</summary>
internal sealed class CmTestRegistry
{
    /// <summary>2026-01-01T00:00:00Z as a FILETIME, like a deterministic machine's boot time.</summary>
    public static readonly long BootTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc();

    public CmTestRegistry(int processors = 1)
    {
        Time = BootTime;
        Cm = new ConfigurationManager(() => Time, processors);
    }

    public long Time { get; set; }

    public ConfigurationManager Cm { get; }

    public CmKey Open(string path)
    {
        var status = Cm.OpenKey(null, path, openLink: false, out var key);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        return key!;
    }

    public CmKey Create(string path, uint options = RegConstants.REG_OPTION_NON_VOLATILE, string? @class = null)
    {
        var status = Cm.CreateKey(null, path, @class, options, out var key, out _);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        return key!;
    }

    /// <summary>The value's type and data as ZwQueryValueKey(KeyValuePartialInformation) returns them.</summary>
    public (uint Type, byte[] Data) Query(CmKey key, string? name)
    {
        var status = Cm.QueryValueKey(key, name, KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, [], out var needed);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        var buffer = new byte[needed];
        status = Cm.QueryValueKey(key, name, KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, buffer, out var written);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(needed, written);
        var type = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(8));
        return (type, buffer.AsSpan(12, (int)length).ToArray());
    }

    /// <summary>Asserts the value's type and exact bytes, as ZwQueryValueKey returns them.</summary>
    public void AssertValue(CmKey key, string? name, uint type, byte[] data)
    {
        var (actualType, actualData) = Query(key, name);
        Assert.Equal(type, actualType);
        Assert.Equal(data, actualData);
    }

    /// <summary>
    /// Everything observable about the whole namespace, volatile keys included: paths, flags, write times,
    /// values with types and bytes, in enumeration order.
    /// </summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        var stack = new Stack<CmKey>();
        stack.Push(Cm.Root);
        while (stack.Count > 0)
        {
            var key = stack.Pop();
            sb.Append(key.FullPath).Append(' ').Append(key.Flags).Append(' ').Append(key.LastWriteTime).Append(' ').Append(key.IsDeleted).Append('\n');
            foreach (var value in Cm.GetValues(key))
            {
                sb.Append("  ").Append(value.Name).Append(' ').Append(value.Type).Append(' ').Append(Convert.ToHexString(value.Data)).Append('\n');
            }

            var subkeys = Cm.GetSubkeys(key);
            for (var i = subkeys.Count - 1; i >= 0; i--)
            {
                stack.Push(subkeys[i]);
            }
        }

        return sb.ToString();
    }

    public static byte[] Utf16(string text) => Encoding.Unicode.GetBytes(text);
}
