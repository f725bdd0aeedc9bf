using SharpNT.Kernel.Cm;
using static SharpNT.Kernel.Cm.RegConstants;

namespace SharpNT.Kernel.Tests.Cm;

public sealed class ServiceAndDeviceTests
{
    private const string DiskClass = "{4d36e967-e325-11ce-bfc1-08002be10318}";

    private const string Machine = """
        Windows Registry Editor Version 5.00

        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\sample]
        "Start"=dword:00000003
        "Type"=dword:00000001
        "ErrorControl"=dword:00000001
        "ImagePath"=str(2):"\\SystemRoot\\System32\\drivers\\sample.sys"
        "Group"="Extended Base"
        "Tag"=dword:00000002

        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\fastfat]
        "Start"=dword:00000004
        "Type"=dword:00000002

        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\broken]
        "Start"="3"
        "Type"=dword:00000001

        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\notaservice]
        "Description"="no Start, no Type"

        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Enum\ROOT\SAMPLE\0000]
        "HardwareID"=str(7):"ROOT\\SAMPLE\0"
        "CompatibleIDs"=hex(7):47,00,45,00,4e,00,00,00,00,00
        "Service"="sample"
        "ClassGUID"="{4d36e967-e325-11ce-bfc1-08002be10318}"
        "UpperFilters"=str(7):"up1\0up2\0"
        "LowerFilters"="low1"

        [HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Class\{4d36e967-e325-11ce-bfc1-08002be10318}]
        "Class"="DiskDrive"
        "UpperFilters"=str(7):"partmgr\0"
        "LowerFilters"=str(7):"classlow\0"
        """;

    private static CmTestRegistry Loaded()
    {
        var r = new CmTestRegistry();
        Assert.Null(r.Cm.LoadRegText(Machine, "machine.reg"));
        return r;
    }

    [Fact]
    public void A_service_key_reads_as_a_typed_entry()
    {
        var r = Loaded();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.QueryService("SAMPLE", out var service));
        Assert.Equal(new CmServiceEntry
        {
            Name = "sample",
            Start = SERVICE_LOAD_TYPE.SERVICE_DEMAND_START,
            Type = SERVICE_NODE_TYPE.SERVICE_KERNEL_DRIVER,
            ErrorControl = SERVICE_ERROR_TYPE.SERVICE_ERROR_NORMAL,
            ImagePath = @"\SystemRoot\System32\drivers\sample.sys",
            Group = "Extended Base",
            Tag = 2,
        }, service);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.QueryService("fastfat", out var fat));
        Assert.Equal(SERVICE_LOAD_TYPE.SERVICE_DISABLED, fat!.Start);
        Assert.Equal(SERVICE_NODE_TYPE.SERVICE_FILE_SYSTEM_DRIVER, fat.Type);
        Assert.Null(fat.ImagePath);
        Assert.Equal(@"\SystemRoot\System32\drivers\fastfat.sys", fat.DriverImagePath);

        Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, r.Cm.QueryService("broken", out var broken));
        Assert.Null(broken);
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.QueryService("notaservice", out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.QueryService("absent", out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, r.Cm.QueryService(@"a\b", out _));

        Assert.Equal(["fastfat", "sample"], r.Cm.EnumerateServices().Select(s => s.Name));
    }

    [Fact]
    public void RegisterService_writes_the_documented_values()
    {
        var r = new CmTestRegistry();
        var entry = new CmServiceEntry
        {
            Name = "disk",
            Start = SERVICE_LOAD_TYPE.SERVICE_BOOT_START,
            Type = SERVICE_NODE_TYPE.SERVICE_KERNEL_DRIVER,
            ImagePath = @"System32\drivers\disk.sys",
            Group = "SCSI Class",
        };
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.RegisterService(entry));
        var key = r.Open(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\disk");
        r.AssertValue(key, "Start", REG_DWORD, RegData.Dword(0));
        r.AssertValue(key, "Type", REG_DWORD, RegData.Dword(1));
        r.AssertValue(key, "ErrorControl", REG_DWORD, RegData.Dword(1));
        r.AssertValue(key, "ImagePath", REG_EXPAND_SZ, RegData.String(@"System32\drivers\disk.sys"));
        r.AssertValue(key, "Group", REG_SZ, RegData.String("SCSI Class"));
        Assert.Null(r.Cm.GetValue(key, "Tag"));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.QueryService("disk", out var read));
        Assert.Equal(entry, read);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.RegisterService(entry with { Group = null }));
        Assert.Null(r.Cm.GetValue(key, "Group"));
    }

    [Fact]
    public void A_device_instance_reads_with_its_class_filters_and_stack_order()
    {
        var r = Loaded();
        Assert.Equal([@"ROOT\SAMPLE\0000"], r.Cm.EnumerateDeviceInstances());
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.QueryDeviceInstance(@"ROOT\SAMPLE\0000", out var device));
        Assert.Equal([@"ROOT\SAMPLE"], device!.HardwareIds);
        Assert.Equal(["GEN"], device.CompatibleIds);
        Assert.Equal("sample", device.Service);
        Assert.Equal(DiskClass, device.ClassGuid);
        Assert.Equal(["up1", "up2"], device.UpperFilters);
        Assert.Equal(["low1"], device.LowerFilters);
        Assert.Equal(["partmgr"], device.ClassUpperFilters);
        Assert.Equal(["classlow"], device.ClassLowerFilters);
        Assert.Equal(["low1", "classlow", "sample", "up1", "up2", "partmgr"], device.DriverStack);

        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.QueryDeviceInstance(@"ROOT\NONE\0000", out _));
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, r.Cm.QueryDeviceInstance(@"ROOT\SAMPLE", out _));
    }

    [Fact]
    public void RegisterDeviceInstance_and_RegisterDeviceClass_round_trip()
    {
        var r = new CmTestRegistry();
        var device = new CmDeviceInstance
        {
            InstancePath = @"PCI\VEN_1234&DEV_0001\3&11583659&0&10",
            HardwareIds = [@"PCI\VEN_1234&DEV_0001", @"PCI\VEN_1234"],
            Service = "fdo",
            ClassGuid = DiskClass,
            LowerFilters = ["lf"],
        };
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.RegisterDeviceInstance(device));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.RegisterDeviceClass(DiskClass, "DiskDrive", ["cu"], []));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.QueryDeviceInstance(device.InstancePath, out var read));
        Assert.Equal(device.HardwareIds, read!.HardwareIds);
        Assert.Equal(["lf", "fdo", "cu"], read.DriverStack);
        var classKey = r.Open(ConfigurationManager.ClassPath + @"\" + DiskClass);
        Assert.Equal("DiskDrive", r.Cm.GetValue(classKey, "Class")!.AsString());
        Assert.Null(r.Cm.GetValue(classKey, "LowerFilters"));
    }

    [Fact]
    public void OpenDeviceRegistryKey_opens_the_hardware_and_software_keys()
    {
        var r = Loaded();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenDeviceRegistryKey(@"ROOT\SAMPLE\0000", PLUGPLAY_REGKEY_DEVICE, out var hardware));
        Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Enum\ROOT\SAMPLE\0000\Device Parameters", hardware!.FullPath);
        Assert.False(hardware.IsVolatile);

        // No Driver value yet: the device gets the class's first free software key.
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenDeviceRegistryKey(@"ROOT\SAMPLE\0000", PLUGPLAY_REGKEY_DRIVER, out var software));
        Assert.Equal($@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Control\Class\{DiskClass}\0000", software!.FullPath);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.QueryDeviceInstance(@"ROOT\SAMPLE\0000", out var device));
        Assert.Equal($@"{DiskClass}\0000", device!.Driver);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, r.Cm.OpenDeviceRegistryKey(@"ROOT\SAMPLE\0000", PLUGPLAY_REGKEY_DRIVER, out var again));
        Assert.Same(software, again);

        Assert.Equal(NTSTATUS.STATUS_SUCCESS,
            r.Cm.OpenDeviceRegistryKey(@"ROOT\SAMPLE\0000", PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_CURRENT_HWPROFILE, out var profile));
        Assert.Equal(@"\REGISTRY\MACHINE\SYSTEM\ControlSet001\Hardware Profiles\0001\System\CurrentControlSet\Enum\ROOT\SAMPLE\0000",
            profile!.FullPath);

        foreach (var bad in new[] { 0u, PLUGPLAY_REGKEY_DEVICE | PLUGPLAY_REGKEY_DRIVER, PLUGPLAY_REGKEY_CURRENT_HWPROFILE, 8u | PLUGPLAY_REGKEY_DEVICE })
        {
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, r.Cm.OpenDeviceRegistryKey(@"ROOT\SAMPLE\0000", bad, out var none));
            Assert.Null(none);
        }

        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, r.Cm.OpenDeviceRegistryKey(@"ROOT\NONE\0000", PLUGPLAY_REGKEY_DEVICE, out _));
    }
}
