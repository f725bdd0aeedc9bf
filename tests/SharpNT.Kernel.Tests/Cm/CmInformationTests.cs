using System.Buffers.Binary;
using SharpNT.Kernel.Cm;
using static SharpNT.Kernel.Cm.RegConstants;

namespace SharpNT.Kernel.Tests.Cm;

/// <summary>The KEY_*_INFORMATION layouts byte for byte, and the buffer-size rules of ZwQueryValueKey/ZwQueryKey.</summary>
public sealed class CmInformationTests
{
    private const string Software = ConfigurationManager.SoftwarePath;
    private const byte Fill = 0xCC;

    private static (CmTestRegistry R, CmKey Key) Registry()
    {
        var r = new CmTestRegistry { Time = 0x0102030405060708 };
        var key = r.Create(Software + @"\Info");
        r.Cm.SetValueKey(key, "Start", REG_DWORD, RegData.Dword(3));
        r.Cm.SetValueKey(key, "Empty", REG_BINARY, []);
        return (r, key);
    }

    private static byte[] Bytes(params object[] parts)
    {
        var list = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case uint u:
                    list.AddRange(BitConverter.GetBytes(u));
                    break;
                case long l:
                    list.AddRange(BitConverter.GetBytes(l));
                    break;
                case string s:
                    list.AddRange(CmTestRegistry.Utf16(s));
                    break;
                case byte[] b:
                    list.AddRange(b);
                    break;
                default:
                    throw new ArgumentException(part.GetType().Name);
            }
        }

        return [.. list];
    }

    private static (NTSTATUS Status, uint Length, byte[] Buffer) QueryValue(CmTestRegistry r, CmKey key, string name,
        KEY_VALUE_INFORMATION_CLASS infoClass, int size)
    {
        var buffer = Enumerable.Repeat(Fill, size).ToArray();
        var status = r.Cm.QueryValueKey(key, name, infoClass, buffer, out var length);
        return (status, length, buffer);
    }

    [Fact]
    public void KEY_VALUE_BASIC_INFORMATION()
    {
        var (r, key) = Registry();
        var (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, 22);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(22u, length);
        Assert.Equal(Bytes(0u, REG_DWORD, 10u, "Start"), buffer);

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, 11);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(22u, length);
        Assert.All(buffer, b => Assert.Equal(Fill, b));

        // Room for the header and part of the name: the header, as much name as fits, BUFFER_OVERFLOW.
        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, 15);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(22u, length);
        Assert.Equal(Bytes(0u, REG_DWORD, 10u, "St")[..15], buffer);
    }

    [Fact]
    public void KEY_VALUE_FULL_INFORMATION_puts_the_data_on_an_8_byte_boundary()
    {
        var (r, key) = Registry();

        // Name "Start" ends at 20 + 10 = 30; the data starts at 32.
        var expected = Bytes(0u, REG_DWORD, 32u, 4u, 10u, "Start", new[] { Fill, Fill }, 3u);
        var (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, 36);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(36u, length);
        Assert.Equal(expected, buffer);

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformationAlign64, 36);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(expected, buffer);

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, 19);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(36u, length);
        Assert.All(buffer, b => Assert.Equal(Fill, b));

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, 20);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(36u, length);
        Assert.Equal(expected[..20], buffer);

        (status, _, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, 34);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(expected[..34], buffer);
    }

    [Fact]
    public void KEY_VALUE_FULL_INFORMATION_without_data_has_no_data_offset()
    {
        var (r, key) = Registry();
        var (status, length, buffer) = QueryValue(r, key, "Empty", KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, 30);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(30u, length);
        Assert.Equal(Bytes(0u, REG_BINARY, 0xFFFFFFFFu, 0u, 10u, "Empty"), buffer);
    }

    [Fact]
    public void KEY_VALUE_PARTIAL_INFORMATION()
    {
        var (r, key) = Registry();
        var (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, 16);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(16u, length);
        Assert.Equal(Bytes(0u, REG_DWORD, 4u, 3u), buffer);

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, 11);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(16u, length);
        Assert.All(buffer, b => Assert.Equal(Fill, b));

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, 14);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(16u, length);
        Assert.Equal(Bytes(0u, REG_DWORD, 4u, 3u)[..14], buffer);

        (status, length, buffer) = QueryValue(r, key, "Start", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformationAlign64, 12);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(12u, length);
        Assert.Equal(Bytes(REG_DWORD, 4u, 3u), buffer);
    }

    [Fact]
    public void EnumerateValueKey_gives_the_same_layouts()
    {
        var (r, key) = Registry();
        var buffer = new byte[36];
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.EnumerateValueKey(key, 0, KEY_VALUE_INFORMATION_CLASS.KeyValueFullInformation, buffer, out var length));
        Assert.Equal(36u, length);
        Assert.Equal(Bytes(0u, REG_DWORD, 32u, 4u, 10u, "Start", new byte[2], 3u), buffer);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, r.Cm.EnumerateValueKey(key, 1, KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, buffer.AsSpan(0, 4), out length));
        Assert.Equal(22u, length);
        Assert.Equal(NTSTATUS.STATUS_NO_MORE_ENTRIES, r.Cm.EnumerateValueKey(key, 2, KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, buffer, out _));
    }

    private static (NTSTATUS Status, uint Length, byte[] Buffer) QueryKey(CmTestRegistry r, CmKey key, KEY_INFORMATION_CLASS infoClass, int size)
    {
        var buffer = Enumerable.Repeat(Fill, size).ToArray();
        var status = r.Cm.QueryKey(key, infoClass, buffer, out var length);
        return (status, length, buffer);
    }

    [Fact]
    public void KEY_BASIC_INFORMATION()
    {
        var (r, key) = Registry();
        const long time = 0x0102030405060708;
        var (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyBasicInformation, 24);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(24u, length);
        Assert.Equal(Bytes(time, 0u, 8u, "Info"), buffer);

        (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyBasicInformation, 15);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(24u, length);
        Assert.All(buffer, b => Assert.Equal(Fill, b));

        (status, _, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyBasicInformation, 20);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(Bytes(time, 0u, 8u, "In"), buffer);
    }

    [Fact]
    public void KEY_NODE_INFORMATION_puts_the_class_on_a_4_byte_boundary()
    {
        var r = new CmTestRegistry { Time = 77 };
        var key = r.Create(Software + @"\Abc", @class: "Cls");

        // Name "Abc" ends at 24 + 6 = 30; the class starts at 32.
        var (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyNodeInformation, 38);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(38u, length);
        Assert.Equal(Bytes(77L, 0u, 32u, 6u, 6u, "Abc", new[] { Fill, Fill }, "Cls"), buffer);

        (status, length, _) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyNodeInformation, 23);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(38u, length);

        (status, _, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyNodeInformation, 34);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(Bytes(77L, 0u, 32u, 6u, 6u, "Abc", new[] { Fill, Fill }, "C"), buffer);

        var plain = r.Create(Software + @"\Plain");
        (status, length, buffer) = QueryKey(r, plain, KEY_INFORMATION_CLASS.KeyNodeInformation, 34);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(34u, length);
        Assert.Equal(Bytes(77L, 0u, 0xFFFFFFFFu, 0u, 10u, "Plain"), buffer);
    }

    [Fact]
    public void KEY_FULL_INFORMATION_counts_subkeys_and_values_with_their_largest_sizes()
    {
        var r = new CmTestRegistry { Time = 5 };
        var key = r.Create(Software + @"\Full", @class: "K");
        r.Create(Software + @"\Full\Short", @class: "Longer");
        r.Create(Software + @"\Full\LongestName", REG_OPTION_VOLATILE);
        r.Cm.SetValueKey(key, "ab", REG_BINARY, new byte[10]);
        r.Cm.SetValueKey(key, "abcd", REG_BINARY, new byte[3]);
        r.Time = 5;

        var (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyFullInformation, 46);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(46u, length);
        var writeTime = BinaryPrimitives.ReadInt64LittleEndian(buffer);
        Assert.Equal(Bytes(writeTime, 0u, 44u, 2u, 2u, 22u, 12u, 2u, 8u, 10u, "K"), buffer);

        (status, length, _) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyFullInformation, 43);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(46u, length);

        (status, _, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyFullInformation, 44);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW, status);
        Assert.Equal(Bytes(writeTime, 0u, 44u, 2u, 2u, 22u, 12u, 2u, 8u, 10u), buffer);

        var leaf = r.Open(Software + @"\Full\LongestName");
        (status, length, buffer) = QueryKey(r, leaf, KEY_INFORMATION_CLASS.KeyFullInformation, 44);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(44u, length);
        Assert.Equal(0xFFFFFFFFu, BitConverter.ToUInt32(buffer, 12));
    }

    [Fact]
    public void KEY_NAME_INFORMATION_is_the_full_path_even_through_a_link()
    {
        var r = new CmTestRegistry();
        var key = r.Open(ConfigurationManager.ServicesPath);
        const string path = @"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services";
        var (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyNameInformation, 4 + (path.Length * 2));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal((uint)(4 + (path.Length * 2)), length);
        Assert.Equal(Bytes((uint)(path.Length * 2), path), buffer);

        (status, length, _) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyNameInformation, 3);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal((uint)(4 + (path.Length * 2)), length);
    }

    [Fact]
    public void KEY_CACHED_INFORMATION_and_KEY_VIRTUALIZATION_INFORMATION_have_fixed_sizes()
    {
        var (r, key) = Registry();
        r.Create(Software + @"\Info\Sub");
        var (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyCachedInformation, 40);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(40u, length);
        Assert.Equal(Bytes(key.LastWriteTime, 0u, 1u, 6u, 2u, 10u, 4u, 8u, new[] { Fill, Fill, Fill, Fill }), buffer);

        (status, length, _) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyCachedInformation, 39);
        Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, status);
        Assert.Equal(40u, length);

        (status, length, buffer) = QueryKey(r, key, KEY_INFORMATION_CLASS.KeyVirtualizationInformation, 4);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(4u, length);
        Assert.Equal(new byte[4], buffer);

        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, r.Cm.QueryKey(key, KEY_INFORMATION_CLASS.KeyLayerInformation, new byte[64], out _));
    }
}
