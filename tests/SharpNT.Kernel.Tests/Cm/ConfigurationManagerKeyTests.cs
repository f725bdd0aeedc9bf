using SharpNT.Kernel.Cm;
using static SharpNT.Kernel.Cm.RegConstants;

namespace SharpNT.Kernel.Tests.Cm;

public sealed class ConfigurationManagerKeyTests
{
    private const string Software = ConfigurationManager.SoftwarePath;

    [Fact]
    public void A_booted_machine_has_the_default_hives()
    {
        using var machine = TestMachines.Boot(processors: 2);
        var cm = machine.Cm;
        foreach (var path in new[]
        {
            @"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services",
            @"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Control\Class",
            @"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Enum",
            @"\REGISTRY\MACHINE\SYSTEM\Select",
            @"\REGISTRY\MACHINE\SOFTWARE",
            @"\REGISTRY\MACHINE\HARDWARE\DESCRIPTION\System\CentralProcessor\1",
            @"\REGISTRY\USER\.DEFAULT",
        })
        {
            Assert.NotNull(cm.OpenKey(path));
        }

        var select = cm.OpenKey(@"\REGISTRY\MACHINE\SYSTEM\Select")!;
        Assert.Equal(1u, cm.GetValue(select, "Current")!.AsDword());
        Assert.Equal(1u, cm.GetValue(select, "Default")!.AsDword());
        Assert.Null(cm.OpenKey(@"\REGISTRY\MACHINE\HARDWARE\DESCRIPTION\System\CentralProcessor\2"));
    }

    [Fact]
    public void Keys_are_stamped_with_the_machines_system_time()
    {
        using var machine = TestMachines.Boot();
        machine.Run(() =>
        {
            var before = machine.Ke.BootSystemTime + machine.Ke.InterruptTime;
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Cm.CreateKey(null, Software + @"\Stamp", null, 0, out var key, out _));
            var after = machine.Ke.BootSystemTime + machine.Ke.InterruptTime;
            Assert.InRange(key!.LastWriteTime, before, after);
            Assert.True(key.LastWriteTime >= machine.Ke.BootSystemTime);
        });
    }

    [Fact]
    public void CreateKey_creates_then_opens_with_the_right_disposition()
    {
        var r = new CmTestRegistry();
        var status = r.Cm.CreateKey(null, Software + @"\Vendor", "MyClass", REG_OPTION_NON_VOLATILE, out var created, out var disposition);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(REG_CREATED_NEW_KEY, disposition);
        Assert.Equal(@"\REGISTRY\MACHINE\SOFTWARE\Vendor", created!.FullPath);
        Assert.Equal("MyClass", created.Class);

        // An existing key keeps its class and volatility; options and class are ignored.
        status = r.Cm.CreateKey(null, Software + @"\VENDOR", "Other", REG_OPTION_VOLATILE, out var opened, out disposition);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        Assert.Equal(REG_OPENED_EXISTING_KEY, disposition);
        Assert.Same(created, opened);
        Assert.Equal("Vendor", opened!.Name);
        Assert.Equal("MyClass", opened.Class);
        Assert.False(opened.IsVolatile);
    }

    [Fact]
    public void Names_are_case_insensitive_and_case_preserving()
    {
        var r = new CmTestRegistry();
        var key = r.Create(Software + @"\MixedCase");
        Assert.Same(key, r.Open(@"\registry\machine\software\MIXEDCASE"));
        Assert.Equal("MixedCase", key.Name);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, "ValueName", REG_DWORD, RegData.Dword(1)));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, "VALUENAME", REG_DWORD, RegData.Dword(2)));
        var values = r.Cm.GetValues(key);
        Assert.Single(values);
        Assert.Equal("ValueName", values[0].Name);
        Assert.Equal(2u, values[0].AsDword());
    }

    [Fact]
    public void Relative_paths_open_from_the_parent_key()
    {
        var r = new CmTestRegistry();
        var software = r.Open(Software);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(software, "A", null, 0, out var a, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(a, "B", null, 0, out var b, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenKey(software, @"a\b", false, out var again));
        Assert.Same(b, again);

        // Repeated separators are skipped; an empty name opens the key itself.
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenKey(software, @"A\\B\", false, out again));
        Assert.Same(b, again);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenKey(a, string.Empty, false, out again));
        Assert.Same(a, again);
    }

    [Theory]
    [InlineData(@"\REGISTRY\MACHINE\SOFTWARE\Missing", NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)]
    [InlineData(@"\REGISTRY\MACHINE\SOFTWARE\Missing\Below", NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)]
    [InlineData(@"\Nowhere", NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND)]
    [InlineData(@"\Nowhere\Key", NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND)]
    [InlineData(@"REGISTRY\MACHINE", NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD)]
    [InlineData(@"\", NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH)]
    public void OpenKey_reports_what_is_missing(string path, NTSTATUS expected)
    {
        var r = new CmTestRegistry();
        Assert.Equal(expected, r.Cm.OpenKey(null, path, false, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void CreateKey_only_creates_the_last_component()
    {
        var r = new CmTestRegistry();
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND,
            r.Cm.CreateKey(null, Software + @"\NotThere\Child", null, 0, out var key, out var disposition));
        Assert.Null(key);
        Assert.Equal(0u, disposition);
        Assert.Null(r.Cm.OpenKey(Software + @"\NotThere"));
    }

    [Fact]
    public void An_absolute_name_relative_to_a_key_is_a_syntax_error()
    {
        var r = new CmTestRegistry();
        var software = r.Open(Software);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD, r.Cm.OpenKey(software, @"\A", false, out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD, r.Cm.CreateKey(software, @"\A", null, 0, out _, out _));
    }

    [Fact]
    public void Key_names_are_limited_to_255_characters()
    {
        var r = new CmTestRegistry();
        var longest = new string('k', 255);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(null, $@"{Software}\{longest}", null, 0, out _, out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID,
            r.Cm.CreateKey(null, $@"{Software}\{longest}k", null, 0, out var key, out _));
        Assert.Null(key);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, r.Cm.OpenKey(null, $@"{Software}\{longest}k\x", false, out _));
    }

    [Fact]
    public void Unknown_create_options_are_invalid()
    {
        var r = new CmTestRegistry();
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, r.Cm.CreateKey(null, Software + @"\X", null, 0x100, out var key, out _));
        Assert.Null(key);
        Assert.Null(r.Cm.OpenKey(Software + @"\X"));
    }

    [Fact]
    public void A_volatile_key_only_has_volatile_children()
    {
        var r = new CmTestRegistry();
        var parent = r.Create(Software + @"\Volatile", REG_OPTION_VOLATILE);
        Assert.True(parent.IsVolatile);
        Assert.Equal(NTSTATUS.STATUS_CHILD_MUST_BE_VOLATILE, r.Cm.CreateKey(parent, "Stable", null, REG_OPTION_NON_VOLATILE, out var key, out _));
        Assert.Null(key);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(parent, "AlsoVolatile", null, REG_OPTION_VOLATILE, out key, out _));
        Assert.True(key!.IsVolatile);
    }

    [Fact]
    public void Hives_are_not_created_by_CreateKey()
    {
        var r = new CmTestRegistry();
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, r.Cm.CreateKey(null, @"\REGISTRY\MACHINE\NEWHIVE", null, 0, out _, out _));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, r.Cm.CreateKey(null, @"\REGISTRY\USER\S-1-5-18", null, REG_OPTION_VOLATILE, out _, out _));
        Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED, r.Cm.CreateKey(null, @"\REGISTRY\Extra", null, 0, out _, out _));
    }

    [Fact]
    public void Subkeys_enumerate_stable_sorted_by_upcased_name_then_volatile()
    {
        var r = new CmTestRegistry();
        var parent = r.Create(Software + @"\Order");
        foreach (var name in new[] { "b", "_x", "A", "c", "B2" })
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(parent, name, null, 0, out _, out _));
        }

        foreach (var name in new[] { "Zvol", "avol" })
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(parent, name, null, REG_OPTION_VOLATILE, out _, out _));
        }

        var names = new List<string>();
        var buffer = new byte[256];
        for (uint i = 0; ; i++)
        {
            var status = r.Cm.EnumerateKey(parent, i, KEY_INFORMATION_CLASS.KeyBasicInformation, buffer, out var length);
            if (status == NTSTATUS.STATUS_NO_MORE_ENTRIES)
            {
                Assert.Equal(7u, i);
                break;
            }

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
            var nameLength = BitConverter.ToInt32(buffer, 12);
            Assert.Equal((uint)(16 + nameLength), length);
            names.Add(RegData.ReadUtf16(buffer.AsSpan(16, nameLength)));
        }

        // '_' (0x5F) sorts after every upcased letter; volatile keys come after all stable ones.
        Assert.Equal(["A", "b", "B2", "c", "_x", "avol", "Zvol"], names);
        Assert.Equal(NTSTATUS.STATUS_NO_MORE_ENTRIES, r.Cm.EnumerateKey(parent, uint.MaxValue, KEY_INFORMATION_CLASS.KeyBasicInformation, buffer, out _));
    }

    [Fact]
    public void EnumerateKey_accepts_only_the_subkey_information_classes()
    {
        var r = new CmTestRegistry();
        var parent = r.Create(Software + @"\Enum");
        r.Create(Software + @"\Enum\Child");
        var buffer = new byte[256];
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, r.Cm.EnumerateKey(parent, 0, KEY_INFORMATION_CLASS.KeyNameInformation, buffer, out _));
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, r.Cm.EnumerateKey(parent, 0, KEY_INFORMATION_CLASS.KeyCachedInformation, buffer, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.EnumerateKey(parent, 0, KEY_INFORMATION_CLASS.KeyFullInformation, buffer, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.EnumerateKey(parent, 0, KEY_INFORMATION_CLASS.KeyNodeInformation, buffer, out _));
    }

    [Fact]
    public void DeleteKey_refuses_a_key_with_subkeys_and_hive_roots()
    {
        var r = new CmTestRegistry();
        var parent = r.Create(Software + @"\Parent");
        var child = r.Create(Software + @"\Parent\Child");
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, r.Cm.DeleteKey(parent));
        Assert.False(parent.IsDeleted);
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, r.Cm.DeleteKey(r.Open(Software)));
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, r.Cm.DeleteKey(r.Cm.Root));
        Assert.Equal(NTSTATUS.STATUS_CANNOT_DELETE, r.Cm.DeleteKey(r.Cm.MachineKey));

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.DeleteKey(child));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.DeleteKey(parent));
        Assert.Null(r.Cm.OpenKey(Software + @"\Parent"));
    }

    [Fact]
    public void A_deleted_key_fails_every_operation_with_STATUS_KEY_DELETED()
    {
        var r = new CmTestRegistry();
        var key = r.Create(Software + @"\Doomed");
        var otherHandle = r.Open(Software + @"\DOOMED");
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key, "v", REG_DWORD, RegData.Dword(1)));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.DeleteKey(key));

        var buffer = new byte[64];
        foreach (var k in new[] { key, otherHandle })
        {
            Assert.True(k.IsDeleted);
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.DeleteKey(k));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.SetValueKey(k, "v", REG_DWORD, RegData.Dword(2)));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.QueryValueKey(k, "v", KEY_VALUE_INFORMATION_CLASS.KeyValuePartialInformation, buffer, out _));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.EnumerateValueKey(k, 0, KEY_VALUE_INFORMATION_CLASS.KeyValueBasicInformation, buffer, out _));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.EnumerateKey(k, 0, KEY_INFORMATION_CLASS.KeyBasicInformation, buffer, out _));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.QueryKey(k, KEY_INFORMATION_CLASS.KeyNameInformation, buffer, out _));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.DeleteValueKey(k, "v"));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.CreateKey(k, "Child", null, 0, out _, out _));
            Assert.Equal(NTSTATUS.STATUS_KEY_DELETED, r.Cm.OpenKey(k, string.Empty, false, out _));
        }

        // The name is free again: a new key, not the deleted one.
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.OpenKey(null, Software + @"\Doomed", false, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(null, Software + @"\Doomed", null, 0, out var reborn, out var disposition));
        Assert.Equal(REG_CREATED_NEW_KEY, disposition);
        Assert.NotSame(key, reborn);
        Assert.Empty(r.Cm.GetValues(reborn!));
    }

    [Fact]
    public void LastWriteTime_follows_changes_to_the_key_its_values_and_its_subkeys()
    {
        var r = new CmTestRegistry();
        r.Time = 1000;
        var parent = r.Create(Software + @"\Times");
        Assert.Equal(1000, parent.LastWriteTime);

        r.Time = 2000;
        var child = r.Create(Software + @"\Times\Child");
        Assert.Equal(2000, child.LastWriteTime);
        Assert.Equal(2000, parent.LastWriteTime);

        r.Time = 3000;
        r.Cm.SetValueKey(child, "v", REG_SZ, RegData.String("x"));
        Assert.Equal(3000, child.LastWriteTime);
        Assert.Equal(2000, parent.LastWriteTime);

        r.Time = 4000;
        r.Cm.DeleteValueKey(child, "v");
        Assert.Equal(4000, child.LastWriteTime);

        r.Time = 5000;
        r.Cm.DeleteKey(child);
        Assert.Equal(5000, parent.LastWriteTime);

        r.Time = 6000;
        r.Cm.OpenKey(null, Software + @"\Times", false, out _);
        r.Cm.CreateKey(null, Software + @"\Times", null, 0, out _, out _);
        Assert.Equal(5000, parent.LastWriteTime);
    }

    [Fact]
    public void CurrentControlSet_is_a_link_to_ControlSet001()
    {
        var r = new CmTestRegistry();
        var viaLink = r.Open(@"\REGISTRY\MACHINE\SYSTEM\CurrentControlSet\Services");
        Assert.Same(r.Open(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services"), viaLink);
        Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services", viaLink.FullPath);
        Assert.Same(r.Open(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001"), r.Open(ConfigurationManager.CurrentControlSetPath));

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenKey(null, ConfigurationManager.CurrentControlSetPath, true, out var link));
        Assert.True(link!.IsSymbolicLink);
        Assert.True(link.IsVolatile);
        var (type, data) = r.Query(link, RegConstants.SymbolicLinkValueName);
        Assert.Equal(REG_LINK, type);
        Assert.Equal(CmTestRegistry.Utf16(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001"), data);

        // Creating through the link creates in the control set.
        Assert.Equal(NTSTATUS.STATUS_SUCCESS,
            r.Cm.CreateKey(null, ConfigurationManager.ServicesPath + @"\sample", null, 0, out var service, out _));
        Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\sample", service!.FullPath);
    }

    [Fact]
    public void Symbolic_links_are_created_followed_and_deleted_as_NT_does()
    {
        var r = new CmTestRegistry();
        var target = r.Create(Software + @"\Target");
        r.Create(Software + @"\Target\Inside");
        Assert.Equal(NTSTATUS.STATUS_SUCCESS,
            r.Cm.CreateKey(null, Software + @"\Link", null, REG_OPTION_CREATE_LINK | REG_OPTION_VOLATILE, out var link, out _));
        Assert.True(link!.IsSymbolicLink);

        // A link without its SymbolicLinkValue leads nowhere.
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.OpenKey(null, Software + @"\Link", false, out _));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS,
            r.Cm.SetValueKey(link, SymbolicLinkValueName, REG_LINK, RegData.Link(Software + @"\Target")));
        Assert.Same(target, r.Open(Software + @"\link"));
        Assert.Same(r.Open(Software + @"\Target\Inside"), r.Open(Software + @"\Link\Inside"));

        // A link is only created where nothing is.
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION,
            r.Cm.CreateKey(null, Software + @"\Link", null, REG_OPTION_CREATE_LINK | REG_OPTION_VOLATILE, out _, out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION,
            r.Cm.CreateKey(null, Software + @"\Target", null, REG_OPTION_CREATE_LINK, out _, out _));

        // Deleting through an open-link handle removes the link, not the target.
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenKey(null, Software + @"\Link", true, out var linkAgain));
        Assert.Same(link, linkAgain);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.DeleteKey(linkAgain!));
        Assert.False(target.IsDeleted);
        Assert.Null(r.Cm.OpenKey(Software + @"\Link"));
    }

    [Fact]
    public void A_loop_of_links_ends_in_STATUS_OBJECT_NAME_NOT_FOUND()
    {
        var r = new CmTestRegistry();
        var a = r.Create(Software + @"\LoopA", REG_OPTION_CREATE_LINK);
        var b = r.Create(Software + @"\LoopB", REG_OPTION_CREATE_LINK);
        r.Cm.SetValueKey(a, SymbolicLinkValueName, REG_LINK, RegData.Link(Software + @"\LoopB"));
        r.Cm.SetValueKey(b, SymbolicLinkValueName, REG_LINK, RegData.Link(Software + @"\LoopA"));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.OpenKey(null, Software + @"\LoopA", false, out var key));
        Assert.Null(key);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.OpenKey(null, Software + @"\LoopA\Below", false, out _));
    }

    [Fact]
    public void Concurrent_callers_see_a_consistent_tree()
    {
        var r = new CmTestRegistry();
        var root = r.Create(Software + @"\Parallel");
        Parallel.For(0, 8, worker =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.CreateKey(root, $"k{i % 50}", null, 0, out var key, out _));
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.SetValueKey(key!, $"w{worker}", REG_DWORD, RegData.Dword((uint)i)));
                var status = r.Cm.EnumerateKey(root, (uint)(i % 60), KEY_INFORMATION_CLASS.KeyBasicInformation, new byte[64], out _);
                Assert.True(status is NTSTATUS.STATUS_SUCCESS or NTSTATUS.STATUS_NO_MORE_ENTRIES);
            }
        });

        var subkeys = r.Cm.GetSubkeys(root);
        Assert.Equal(50, subkeys.Count);
        Assert.All(subkeys, k => Assert.Equal(8, r.Cm.GetValues(k).Count));
    }
}
