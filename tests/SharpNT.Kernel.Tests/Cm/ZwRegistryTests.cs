using System.Buffers.Binary;
using System.Text;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Tests.Io;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Cm;

/// <summary>
/// The handle-based registry DDIs: names reach the registry through \REGISTRY in the object namespace,
/// buffers are simulated memory, and handles carry their granted access.
/// </summary>
public sealed class ZwRegistryTests
{
    private const string Services = @"\Registry\Machine\System\CurrentControlSet\Services";
    private static readonly uint Tag = PoolTag("CmTs");

    private static OBJECT_ATTRIBUTES Oa(string name, uint attributes = OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, HANDLE? root = null)
    {
        InitializeObjectAttributes(out var oa, new UNICODE_STRING(name), attributes, root, null);
        return oa;
    }

    private static HANDLE Create(string name, out uint disposition, uint access = KEY_ALL_ACCESS, HANDLE? root = null)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateKey(out var h, access, Oa(name, root: root), 0, null, REG_OPTION_NON_VOLATILE, out disposition));
        return h;
    }

    private static HANDLE Open(string name, uint access = KEY_READ, uint attributes = OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, HANDLE? root = null)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenKey(out var h, access, Oa(name, attributes, root)));
        return h;
    }

    /// <summary>A pool buffer holding <paramref name="bytes"/>.</summary>
    private static ulong PoolWith(Machine machine, ReadOnlySpan<byte> bytes)
    {
        var p = ExAllocatePool2(POOL_FLAG_PAGED, (ulong)Math.Max(bytes.Length, 1), Tag);
        Assert.NotEqual(0UL, p);
        machine.Mm.Write(p, bytes);
        return p;
    }

    /// <summary>A pool buffer of <paramref name="size"/> bytes, all 0xCC, so untouched bytes show.</summary>
    private static ulong Filled(Machine machine, int size)
    {
        var fill = new byte[size];
        fill.AsSpan().Fill(0xCC);
        return PoolWith(machine, fill);
    }

    private static byte[] ReadMemory(Machine machine, ulong address, int size)
    {
        var bytes = new byte[size];
        machine.Mm.Read(address, bytes);
        return bytes;
    }

    private static string KeyName(HANDLE h)
    {
        var buffer = new byte[1024];
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwQueryKey(h, KeyNameInformation, buffer, out var length));
        var nameLength = BinaryPrimitives.ReadInt32LittleEndian(buffer);
        Assert.Equal(4 + nameLength, (int)length);
        return Encoding.Unicode.GetString(buffer, 4, nameLength);
    }

    [Fact]
    public void Key_access_rights_have_their_documented_values()
    {
        Assert.Equal(0x1u, KEY_QUERY_VALUE);
        Assert.Equal(0x2u, KEY_SET_VALUE);
        Assert.Equal(0x4u, KEY_CREATE_SUB_KEY);
        Assert.Equal(0x8u, KEY_ENUMERATE_SUB_KEYS);
        Assert.Equal(0x20019u, KEY_READ);
        Assert.Equal(0x20006u, KEY_WRITE);
        Assert.Equal(0xF003Fu, KEY_ALL_ACCESS);
        Assert.Equal(1u, REG_CREATED_NEW_KEY);
        Assert.Equal(2u, REG_OPENED_EXISTING_KEY);
        Assert.Equal(11u, REG_QWORD);
        Assert.Equal(7u, REG_MULTI_SZ);
    }

    [Fact]
    public void ZwCreateKey_creates_a_service_key_then_opens_it_and_the_name_is_case_insensitive()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var first = Create(Services + @"\ZwTest", out var disposition);
            Assert.Equal(REG_CREATED_NEW_KEY, disposition);
            var second = Create(@"\REGISTRY\MACHINE\SYSTEM\currentcontrolset\SERVICES\zwtest", out disposition);
            Assert.Equal(REG_OPENED_EXISTING_KEY, disposition);

            // The link led to ControlSet001, where the key now is.
            Assert.NotNull(machine.Cm.OpenKey(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\ZwTest"));
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\ZwTest", KeyName(second));
            Assert.Same(machine.Ob.KeyType, ObGetObjectType(ObjectOf(first)));
            ZwClose(first);
            ZwClose(second);
        });

        static object ObjectOf(HANDLE h)
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObReferenceObjectByHandle(h, 0, CmKeyObjectType, KernelMode, out var body, out _));
            ObDereferenceObject(body!);
            return body!;
        }
    }

    [Fact]
    public void Values_set_from_pool_buffers_read_back_as_KeyValuePartialInformation_in_memory()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var key = Create(Services + @"\ZwValues", out _);
            var qword = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(qword, 0x0123456789ABCDEFUL);
            var dword = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(dword, 0x12345678);
            var values = new (string Name, uint Type, byte[] Data)[]
            {
                ("ImagePath", REG_SZ, Encoding.Unicode.GetBytes("\\SystemRoot\\zw.sys\0")),
                ("Start", REG_DWORD, dword),
                ("DependOnService", REG_MULTI_SZ, Encoding.Unicode.GetBytes("a\0bc\0\0")),
                ("Big", REG_QWORD, qword),
                ("Blob", REG_BINARY, [1, 2, 3, 0, 0xFF]),
            };

            foreach (var (name, type, data) in values)
            {
                var source = PoolWith(machine, data);
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwSetValueKey(key, new UNICODE_STRING(name), 0, type, source, (uint)data.Length));
                ExFreePoolWithTag(source, Tag);
            }

            foreach (var (name, type, data) in values)
            {
                const int size = 128;
                var buffer = Filled(machine, size);
                Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                    ZwQueryValueKey(key, new UNICODE_STRING(name), KeyValuePartialInformation, buffer, size, out var resultLength));
                Assert.Equal((uint)(12 + data.Length), resultLength);
                var bytes = ReadMemory(machine, buffer, size);
                Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
                Assert.Equal(type, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
                Assert.Equal((uint)data.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
                Assert.Equal(data, bytes.AsSpan(12, data.Length).ToArray());

                // The answer wrote its own bytes only.
                Assert.Equal(0xCC, bytes[12 + data.Length]);
                ExFreePoolWithTag(buffer, Tag);
            }

            ZwClose(key);
        });
    }

    [Fact]
    public void Subkeys_and_values_enumerate_in_NT_order_and_end_with_STATUS_NO_MORE_ENTRIES()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var parent = Create(Services + @"\ZwEnum", out _);
            foreach (var name in new[] { "b", "A", "c" })
            {
                ZwClose(Create(name, out var d, root: parent));
                Assert.Equal(REG_CREATED_NEW_KEY, d);
            }

            ZwSetValueKey(parent, new UNICODE_STRING("Second"), 0, REG_DWORD, new byte[4]);
            ZwSetValueKey(parent, new UNICODE_STRING("First"), 0, REG_DWORD, new byte[4]);

            var names = new List<string>();
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 256, Tag);
            NTSTATUS status;
            uint index = 0;
            while ((status = ZwEnumerateKey(parent, index++, KeyBasicInformation, buffer, 256, out var length)).IsSuccess())
            {
                var bytes = ReadMemory(machine, buffer, (int)length);
                var nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
                names.Add(Encoding.Unicode.GetString(bytes, 16, nameLength));
            }

            Assert.Equal(NTSTATUS.STATUS_NO_MORE_ENTRIES, status);
            Assert.Equal(new[] { "A", "b", "c" }, names);

            names.Clear();
            index = 0;
            while ((status = ZwEnumerateValueKey(parent, index++, KeyValueBasicInformation, buffer, 256, out var length)).IsSuccess())
            {
                var bytes = ReadMemory(machine, buffer, (int)length);
                Assert.Equal(REG_DWORD, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
                var nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
                names.Add(Encoding.Unicode.GetString(bytes, 12, nameLength));
            }

            Assert.Equal(NTSTATUS.STATUS_NO_MORE_ENTRIES, status);
            Assert.Equal(new[] { "Second", "First" }, names);

            // KeyFullInformation counts what was just enumerated.
            var full = new byte[64];
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwQueryKey(parent, KeyFullInformation, full, out _));
            Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(full.AsSpan(20)));
            Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(full.AsSpan(32)));
            ExFreePoolWithTag(buffer, Tag);
            ZwClose(parent);
        });
    }

    [Fact]
    public void CurrentControlSet_is_followed_to_ControlSet001_and_OBJ_OPENLINK_opens_the_link_itself()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var direct = Create(@"\Registry\Machine\System\ControlSet001\Services\ZwLink", out _);
            ZwSetValueKey(direct, new UNICODE_STRING("Type"), 0, REG_DWORD, [1, 0, 0, 0]);

            var viaLink = Open(Services + @"\ZwLink");
            var data = new byte[16];
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwQueryValueKey(viaLink, new UNICODE_STRING("Type"), KeyValuePartialInformation, data, out var length));
            Assert.Equal(16u, length);
            Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12)));

            var set = Open(@"\Registry\Machine\System\CurrentControlSet");
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001", KeyName(set));

            var link = Open(@"\Registry\Machine\System\CurrentControlSet", KEY_READ, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE | OBJ_OPENLINK);
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\CurrentControlSet", KeyName(link));
            var target = new byte[256];
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ZwQueryValueKey(link, new UNICODE_STRING("SymbolicLinkValue"), KeyValuePartialInformation, target, out length));
            Assert.Equal(REG_LINK, BinaryPrimitives.ReadUInt32LittleEndian(target.AsSpan(4)));
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001", Encoding.Unicode.GetString(target, 12, (int)length - 12));

            // ZwOpenKeyEx's REG_OPTION_OPEN_LINK does the same; a bit it does not know is refused.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ZwOpenKeyEx(out var linkEx, KEY_READ, Oa(@"\Registry\Machine\System\CurrentControlSet"), REG_OPTION_OPEN_LINK));
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\CurrentControlSet", KeyName(linkEx));
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
                ZwOpenKeyEx(out _, KEY_READ, Oa(@"\Registry\Machine\System"), REG_OPTION_VOLATILE));

            foreach (var h in new[] { direct, viaLink, set, link, linkEx })
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void A_RootDirectory_key_handle_opens_and_creates_relative_names()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var controlSet = Open(@"\Registry\Machine\System\ControlSet001", KEY_ALL_ACCESS);
            var services = Open("SERVICES", root: controlSet);
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services", KeyName(services));

            var created = Create(@"Services\ZwRelative", out var disposition, root: controlSet);
            Assert.Equal(REG_CREATED_NEW_KEY, disposition);
            Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\ZwRelative", KeyName(created));

            // An empty relative name opens the root key again.
            var same = Open(string.Empty, root: services);
            Assert.Equal(KeyName(services), KeyName(same));

            Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD, ZwOpenKey(out _, KEY_READ, Oa(@"\Services", root: controlSet)));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenKey(out _, KEY_READ, Oa("NoSuchKey", root: controlSet)));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenKey(out _, KEY_READ, Oa(@"NoSuchKey\Below", root: controlSet)));

            // Hives are mounted, not created: \REGISTRY\MACHINE takes no new key.
            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED,
                ZwCreateKey(out _, KEY_ALL_ACCESS, Oa(@"\Registry\Machine\NewHive"), 0, null, 0, out _));
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
                ZwCreateKey(out _, KEY_ALL_ACCESS, Oa(Services + @"\Bad"), 0, null, 0x1000, out _));

            foreach (var h in new[] { controlSet, services, created, same })
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void ZwDeleteKey_refuses_a_key_with_subkeys_and_a_deleted_key_answers_STATUS_KEY_DELETED()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var parent = Create(Services + @"\ZwDelete", out _);
            var child = Create("Child", out _, root: parent);
            Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, ZwDeleteKey(parent));

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwDeleteKey(child));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, ZwQueryKey(child, KeyBasicInformation, new byte[64], out _));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, ZwSetValueKey(child, new UNICODE_STRING("X"), 0, REG_DWORD, new byte[4]));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, ZwFlushKey(child));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenKey(out _, KEY_READ, Oa(Services + @"\ZwDelete\Child")));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwClose(child));

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwFlushKey(parent));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwDeleteKey(parent));
            Assert.Null(machine.Cm.OpenKey(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\ZwDelete"));
            ZwClose(parent);
        });
    }

    [Fact]
    public void ZwDeleteValueKey_removes_a_value_and_a_missing_one_is_not_found()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var key = Create(Services + @"\ZwDeleteValue", out _);
            ZwSetValueKey(key, new UNICODE_STRING("Gone"), 0, REG_SZ, Encoding.Unicode.GetBytes("x\0"));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwDeleteValueKey(key, new UNICODE_STRING("GONE")));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND,
                ZwQueryValueKey(key, new UNICODE_STRING("Gone"), KeyValuePartialInformation, new byte[32], out _));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwDeleteValueKey(key, new UNICODE_STRING("Gone")));
            ZwClose(key);
        });
    }

    [Fact]
    public void A_user_mode_caller_needs_the_right_on_its_handle_and_a_kernel_caller_does_not()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwClose(Create(Services + @"\ZwAccess", out _));
            var cm = machine.Cm;
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                cm.NtOpenKey(out var readOnly, KEY_READ, Oa(Services + @"\ZwAccess", OBJ_CASE_INSENSITIVE), 0, UserMode));
            Assert.False(readOnly.IsKernelHandle);

            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED,
                cm.NtSetValueKey(readOnly, new UNICODE_STRING("V"), 0, REG_DWORD, 0, 0, UserMode));
            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, cm.NtDeleteValueKey(readOnly, new UNICODE_STRING("V"), UserMode));
            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, cm.NtDeleteKey(readOnly, UserMode));

            // KEY_READ holds KEY_QUERY_VALUE and KEY_ENUMERATE_SUB_KEYS.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, cm.NtQueryKey(readOnly, KeyFullInformation, new byte[64], out _, UserMode));
            Assert.Equal(NTSTATUS.STATUS_NO_MORE_ENTRIES, cm.NtEnumerateKey(readOnly, 0, KeyBasicInformation, new byte[64], out _, UserMode));

            // A user-mode caller's buffer must be in user space: a pool address fails the probe.
            var pool = ExAllocatePool2(POOL_FLAG_PAGED, 64, Tag);
            Assert.Equal(NTSTATUS.STATUS_ACCESS_VIOLATION, cm.NtQueryKey(readOnly, KeyFullInformation, pool, 64, out _, UserMode));
            Assert.Equal(NTSTATUS.STATUS_DATATYPE_MISALIGNMENT, cm.NtQueryKey(readOnly, KeyFullInformation, 0x10001, 64, out _, UserMode));

            // ObReferenceObjectByHandle skips the check for KernelMode: the Zw routine may write through the handle.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwSetValueKey(readOnly, new UNICODE_STRING("V"), 0, REG_DWORD, new byte[4]));
            ExFreePoolWithTag(pool, Tag);
            ZwClose(readOnly);
        });
    }

    [Fact]
    public void A_handle_that_is_not_a_key_or_not_a_handle_is_refused()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE,
                ZwQueryValueKey(new HANDLE(0x1234), new UNICODE_STRING("V"), KeyValuePartialInformation, new byte[32], out _));
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, ZwSetValueKey(new HANDLE(0x1234), new UNICODE_STRING("V"), 0, REG_DWORD, new byte[4]));

            InitializeObjectAttributes(out var oa, null, OBJ_KERNEL_HANDLE, null, null);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var evt, EVENT_ALL_ACCESS, oa, NotificationEvent, false));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ZwQueryKey(evt, KeyBasicInformation, new byte[64], out _));

            // A root that is neither a directory nor an object with a parse procedure: the object manager's answer.
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, ZwOpenKey(out _, KEY_READ, Oa("Sub", root: evt)));
            ZwClose(evt);
        });
    }

    [Fact]
    public void With_bad_handle_detection_an_invalid_kernel_key_handle_is_INVALID_KERNEL_HANDLE()
    {
        using var machine = Machine.Boot();
        machine.Ob.BadHandleDetection = true;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
            ZwQueryKey(new HANDLE(0xFFFFFFFF80000040), KeyBasicInformation, new byte[64], out _)));
        Assert.Equal(BugCheckCode.INVALID_KERNEL_HANDLE, e.Code);
        Assert.Equal(0xFFFFFFFF80000040UL, e.Info.Parameter1);
    }

    [Fact]
    public void A_short_buffer_gets_nothing_or_the_header_and_what_fits_and_ResultLength_is_the_whole_size()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var key = Create(Services + @"\ZwShort", out _);
            var text = Encoding.Unicode.GetBytes("abcd\0");
            ZwSetValueKey(key, new UNICODE_STRING("Text"), 0, REG_SZ, text);

            var tooSmall = Filled(machine, 32);
            Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL,
                ZwQueryValueKey(key, new UNICODE_STRING("Text"), KeyValuePartialInformation, tooSmall, 8, out var resultLength));
            Assert.Equal((uint)(12 + text.Length), resultLength);
            Assert.All(ReadMemory(machine, tooSmall, 32), b => Assert.Equal(0xCC, b));

            var overflow = Filled(machine, 32);
            Assert.Equal(NTSTATUS.STATUS_BUFFER_OVERFLOW,
                ZwQueryValueKey(key, new UNICODE_STRING("Text"), KeyValuePartialInformation, overflow, 16, out resultLength));
            Assert.Equal((uint)(12 + text.Length), resultLength);
            var bytes = ReadMemory(machine, overflow, 32);
            Assert.Equal(REG_SZ, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
            Assert.Equal((uint)text.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
            Assert.Equal(text.AsSpan(0, 4).ToArray(), bytes.AsSpan(12, 4).ToArray());
            Assert.All(bytes.AsSpan(16).ToArray(), b => Assert.Equal(0xCC, b));

            // Zero bytes asked: only the size comes back.
            Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, ZwQueryKey(key, KeyNameInformation, 0, 0, out resultLength));
            Assert.Equal((uint)(4 + (2 * @"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\ZwShort".Length)), resultLength);

            ExFreePoolWithTag(tooSmall, Tag);
            ExFreePoolWithTag(overflow, Tag);
            ZwClose(key);
        });
    }

    [Fact]
    public void Registry_routines_above_PASSIVE_LEVEL_are_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            KeRaiseIrql(APC_LEVEL, out _);
            ZwOpenKey(out _, KEY_READ, Oa(Services));
        }));
        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal((ulong)APC_LEVEL, e.Info.Parameter2);
    }

    [Fact]
    public void IoOpenDeviceRegistryKey_on_a_device_that_is_not_a_PDO_is_STATUS_INVALID_DEVICE_REQUEST()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var driver = new LayerDriver("ZwRegDevice", null, []);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Io.LoadDriver(driver, out _));
            Assert.Equal(NTSTATUS.STATUS_INVALID_DEVICE_REQUEST,
                IoOpenDeviceRegistryKey(driver.Device, PLUGPLAY_REGKEY_DEVICE, KEY_READ, out var handle));
            Assert.True(handle.IsNull);
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
                IoOpenDeviceRegistryKey(driver.Device, PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER, KEY_READ, out _));
        });
    }

    [Fact]
    public void Closing_key_handles_leaves_no_key_bodies_behind()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var type = machine.Ob.KeyType;
            var objects = type.TotalNumberOfObjects;
            var handles = type.TotalNumberOfHandles;
            var key = Create(Services + @"\ZwCount", out _);
            var again = Open(Services + @"\ZwCount");
            Assert.Equal(objects + 2, type.TotalNumberOfObjects);
            Assert.Equal(handles + 2, type.TotalNumberOfHandles);
            ZwClose(key);
            ZwClose(again);
            Assert.Equal(objects, type.TotalNumberOfObjects);
            Assert.Equal(handles, type.TotalNumberOfHandles);
        });
    }
}
