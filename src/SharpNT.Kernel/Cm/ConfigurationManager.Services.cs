using System.Globalization;

namespace SharpNT.Kernel.Cm;

internal sealed partial class ConfigurationManager
{
    /// <summary>
    /// Reads Services\<paramref name="serviceName"/> (through CurrentControlSet, as the I/O manager does).
    /// STATUS_OBJECT_NAME_NOT_FOUND if there is no such service or it lacks Start or Type;
    /// STATUS_OBJECT_TYPE_MISMATCH if a value has the wrong type (Start as a string, say).
    /// </summary>
    internal NTSTATUS QueryService(string serviceName, out CmServiceEntry? service)
    {
        service = null;
        if (!IsSingleKeyName(serviceName))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        lock (_lock)
        {
            var status = ParseLocked(null, $@"{ServicesPath}\{serviceName}", create: false, 0, null, null, false, out var key, out _);
            return status.IsSuccess() ? ReadServiceLocked(key!, out service) : status;
        }
    }

    /// <summary>Every service key that reads as a service, in enumeration order (sorted by name).</summary>
    internal IReadOnlyList<CmServiceEntry> EnumerateServices()
    {
        lock (_lock)
        {
            var services = new List<CmServiceEntry>();
            if (OpenKey(ServicesPath) is { } root)
            {
                foreach (var key in root.Subkeys)
                {
                    if (ReadServiceLocked(key, out var service).IsSuccess())
                    {
                        services.Add(service!);
                    }
                }
            }

            return services;
        }
    }

    /// <summary>
    /// Creates or updates Services\Name from <paramref name="service"/> (what an INF AddService directive or
    /// a machine description does): Start, Type, ErrorControl as REG_DWORD, ImagePath as REG_EXPAND_SZ,
    /// Group as REG_SZ, Tag as REG_DWORD; ImagePath, Group and Tag are removed when null.
    /// </summary>
    internal NTSTATUS RegisterService(CmServiceEntry service)
    {
        if (!IsSingleKeyName(service.Name))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        lock (_lock)
        {
            var status = CreateKeyPathLocked($@"{ServicesPath}\{service.Name}", out var key);
            if (!status.IsSuccess())
            {
                return status;
            }

            SetValueLocked(key!, "Start", RegConstants.REG_DWORD, RegData.Dword((uint)service.Start), null);
            SetValueLocked(key!, "Type", RegConstants.REG_DWORD, RegData.Dword((uint)service.Type), null);
            SetValueLocked(key!, "ErrorControl", RegConstants.REG_DWORD, RegData.Dword((uint)service.ErrorControl), null);
            SetOrRemoveLocked(key!, "ImagePath", RegConstants.REG_EXPAND_SZ, service.ImagePath is { } image ? RegData.String(image) : null);
            SetOrRemoveLocked(key!, "Group", RegConstants.REG_SZ, service.Group is { } group ? RegData.String(group) : null);
            SetOrRemoveLocked(key!, "Tag", RegConstants.REG_DWORD, service.Tag is { } tag ? RegData.Dword(tag) : null);
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// Reads Enum\<paramref name="instancePath"/> and its setup class key: hardware and compatible IDs,
    /// Service, ClassGUID, Class, Driver, the device's and the class's UpperFilters and LowerFilters (each
    /// a REG_MULTI_SZ; a REG_SZ reads as a list of one).
    /// </summary>
    internal NTSTATUS QueryDeviceInstance(string instancePath, out CmDeviceInstance? device)
    {
        device = null;
        lock (_lock)
        {
            var status = OpenInstanceKeyLocked(instancePath, out var key);
            if (!status.IsSuccess())
            {
                return status;
            }

            var k = key!;
            if (!(status = ReadMulti(k, "HardwareID", out var hardwareIds)).IsSuccess()
                || !(status = ReadMulti(k, "CompatibleIDs", out var compatibleIds)).IsSuccess()
                || !(status = ReadText(k, "Service", out var serviceName)).IsSuccess()
                || !(status = ReadText(k, "ClassGUID", out var classGuid)).IsSuccess()
                || !(status = ReadText(k, "Class", out var className)).IsSuccess()
                || !(status = ReadText(k, "Driver", out var driver)).IsSuccess()
                || !(status = ReadMulti(k, "UpperFilters", out var upper)).IsSuccess()
                || !(status = ReadMulti(k, "LowerFilters", out var lower)).IsSuccess())
            {
                return status;
            }

            IReadOnlyList<string> classUpper = [];
            IReadOnlyList<string> classLower = [];
            if (classGuid is { Length: > 0 } && IsSingleKeyName(classGuid)
                && ParseLocked(null, $@"{ClassPath}\{classGuid}", false, 0, null, null, false, out var classKey, out _).IsSuccess())
            {
                if (!(status = ReadMulti(classKey!, "UpperFilters", out classUpper)).IsSuccess()
                    || !(status = ReadMulti(classKey!, "LowerFilters", out classLower)).IsSuccess())
                {
                    return status;
                }
            }

            device = new CmDeviceInstance
            {
                InstancePath = instancePath,
                HardwareIds = hardwareIds,
                CompatibleIds = compatibleIds,
                Service = serviceName,
                ClassGuid = classGuid,
                Class = className,
                Driver = driver,
                UpperFilters = upper,
                LowerFilters = lower,
                ClassUpperFilters = classUpper,
                ClassLowerFilters = classLower,
            };
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>Every device instance path under Enum (enumerator\device ID\instance ID), in enumeration order.</summary>
    internal IReadOnlyList<string> EnumerateDeviceInstances()
    {
        lock (_lock)
        {
            var paths = new List<string>();
            if (OpenKey(EnumPath) is { } root)
            {
                foreach (var enumerator in root.Subkeys)
                {
                    foreach (var deviceId in enumerator.Subkeys)
                    {
                        foreach (var instance in deviceId.Subkeys)
                        {
                            paths.Add($@"{enumerator.Name}\{deviceId.Name}\{instance.Name}");
                        }
                    }
                }
            }

            return paths;
        }
    }

    /// <summary>
    /// Creates or updates the device instance key from <paramref name="device"/>: HardwareID, CompatibleIDs,
    /// UpperFilters and LowerFilters as REG_MULTI_SZ (removed when empty), Service, ClassGUID, Class and
    /// Driver as REG_SZ (removed when null). The class filters belong to the class key: see
    /// <see cref="RegisterDeviceClass"/>.
    /// </summary>
    internal NTSTATUS RegisterDeviceInstance(CmDeviceInstance device)
    {
        if (!IsInstancePath(device.InstancePath))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        lock (_lock)
        {
            var status = CreateKeyPathLocked($@"{EnumPath}\{device.InstancePath}", out var key);
            if (!status.IsSuccess())
            {
                return status;
            }

            var k = key!;
            SetOrRemoveLocked(k, "HardwareID", RegConstants.REG_MULTI_SZ, MultiOrNull(device.HardwareIds));
            SetOrRemoveLocked(k, "CompatibleIDs", RegConstants.REG_MULTI_SZ, MultiOrNull(device.CompatibleIds));
            SetOrRemoveLocked(k, "Service", RegConstants.REG_SZ, device.Service is { } s ? RegData.String(s) : null);
            SetOrRemoveLocked(k, "ClassGUID", RegConstants.REG_SZ, device.ClassGuid is { } g ? RegData.String(g) : null);
            SetOrRemoveLocked(k, "Class", RegConstants.REG_SZ, device.Class is { } c ? RegData.String(c) : null);
            SetOrRemoveLocked(k, "Driver", RegConstants.REG_SZ, device.Driver is { } d ? RegData.String(d) : null);
            SetOrRemoveLocked(k, "UpperFilters", RegConstants.REG_MULTI_SZ, MultiOrNull(device.UpperFilters));
            SetOrRemoveLocked(k, "LowerFilters", RegConstants.REG_MULTI_SZ, MultiOrNull(device.LowerFilters));
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// Creates or updates the setup class key Control\Class\{<paramref name="classGuid"/>}: its default value
    /// and Class name, and the class-wide UpperFilters and LowerFilters (removed when empty).
    /// </summary>
    internal NTSTATUS RegisterDeviceClass(string classGuid, string? className, IReadOnlyList<string> upperFilters, IReadOnlyList<string> lowerFilters)
    {
        if (!IsSingleKeyName(classGuid))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        lock (_lock)
        {
            var status = CreateKeyPathLocked($@"{ClassPath}\{classGuid}", out var key);
            if (!status.IsSuccess())
            {
                return status;
            }

            SetOrRemoveLocked(key!, string.Empty, RegConstants.REG_SZ, className is null ? null : RegData.String(className));
            SetOrRemoveLocked(key!, "Class", RegConstants.REG_SZ, className is null ? null : RegData.String(className));
            SetOrRemoveLocked(key!, "UpperFilters", RegConstants.REG_MULTI_SZ, MultiOrNull(upperFilters));
            SetOrRemoveLocked(key!, "LowerFilters", RegConstants.REG_MULTI_SZ, MultiOrNull(lowerFilters));
            return NTSTATUS.STATUS_SUCCESS;
        }
    }

    /// <summary>
    /// The registry half of IoOpenDeviceRegistryKey for the device instance <paramref name="instancePath"/>:
    /// PLUGPLAY_REGKEY_DEVICE opens (creating it) the hardware key, Enum\instance\Device Parameters;
    /// PLUGPLAY_REGKEY_DRIVER opens (creating it) the software key Control\Class\&lt;Driver&gt;, first giving
    /// the device the class's next free NNNN key when its Driver value is not set yet. With
    /// PLUGPLAY_REGKEY_CURRENT_HWPROFILE both are taken under Hardware Profiles\Current instead. Exactly one
    /// of DEVICE and DRIVER, and no other bit, or STATUS_INVALID_PARAMETER.
    /// </summary>
    internal NTSTATUS OpenDeviceRegistryKey(string instancePath, uint devInstKeyType, out CmKey? key)
    {
        key = null;
        const uint all = RegConstants.PLUGPLAY_REGKEY_DEVICE | RegConstants.PLUGPLAY_REGKEY_DRIVER
            | RegConstants.PLUGPLAY_REGKEY_CURRENT_HWPROFILE;
        var which = devInstKeyType & (RegConstants.PLUGPLAY_REGKEY_DEVICE | RegConstants.PLUGPLAY_REGKEY_DRIVER);
        if ((devInstKeyType & ~all) != 0
            || which is not (RegConstants.PLUGPLAY_REGKEY_DEVICE or RegConstants.PLUGPLAY_REGKEY_DRIVER))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var profile = (devInstKeyType & RegConstants.PLUGPLAY_REGKEY_CURRENT_HWPROFILE) != 0;
        var setRoot = profile ? $@"{CurrentHardwareProfilePath}\System\CurrentControlSet" : CurrentControlSetPath;
        lock (_lock)
        {
            var status = OpenInstanceKeyLocked(instancePath, out var instanceKey);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (which == RegConstants.PLUGPLAY_REGKEY_DEVICE)
            {
                var path = profile ? $@"{setRoot}\Enum\{instancePath}" : $@"{EnumPath}\{instancePath}\Device Parameters";
                return CreateKeyPathLocked(path, out key);
            }

            if (!(status = ReadText(instanceKey!, "Driver", out var driver)).IsSuccess())
            {
                return status;
            }

            if (driver is not { Length: > 0 })
            {
                status = AssignDriverKeyLocked(instanceKey!, out driver);
                if (!status.IsSuccess())
                {
                    return status;
                }
            }

            return CreateKeyPathLocked($@"{setRoot}\Control\Class\{driver}", out key);
        }
    }

    /// <summary>Gives a device the lowest free NNNN software key of its setup class and records it in Driver.</summary>
    private NTSTATUS AssignDriverKeyLocked(CmKey instanceKey, out string? driver)
    {
        driver = null;
        var status = ReadText(instanceKey, "ClassGUID", out var classGuid);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (classGuid is not { Length: > 0 } || !IsSingleKeyName(classGuid))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        }

        status = CreateKeyPathLocked($@"{ClassPath}\{classGuid}", out var classKey);
        if (!status.IsSuccess())
        {
            return status;
        }

        var number = 0;
        while (classKey!.FindSubkey(number.ToString("D4", CultureInfo.InvariantCulture)) is not null)
        {
            number++;
        }

        driver = $@"{classGuid}\{number.ToString("D4", CultureInfo.InvariantCulture)}";
        SetValueLocked(instanceKey, "Driver", RegConstants.REG_SZ, RegData.String(driver), null);
        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS OpenInstanceKeyLocked(string instancePath, out CmKey? key)
    {
        key = null;
        if (!IsInstancePath(instancePath))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        return ParseLocked(null, $@"{EnumPath}\{instancePath}", false, 0, null, null, false, out key, out _);
    }

    /// <summary>Opens an absolute path, creating each missing key on the way as a non-volatile key.</summary>
    private NTSTATUS CreateKeyPathLocked(string absolutePath, out CmKey? key)
    {
        key = null;
        var components = absolutePath.Split('\\', StringSplitOptions.RemoveEmptyEntries);
        var prefix = string.Empty;
        foreach (var component in components)
        {
            prefix += @"\" + component;
            var status = ParseLocked(null, prefix, create: true, RegConstants.REG_OPTION_NON_VOLATILE, null, null, false, out key, out _);
            if (!status.IsSuccess())
            {
                return status;
            }
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    private NTSTATUS ReadServiceLocked(CmKey key, out CmServiceEntry? service)
    {
        service = null;
        NTSTATUS status;
        if (!(status = ReadDword(key, "Start", out var start)).IsSuccess()
            || !(status = ReadDword(key, "Type", out var type)).IsSuccess()
            || !(status = ReadDword(key, "ErrorControl", out var errorControl)).IsSuccess()
            || !(status = ReadText(key, "ImagePath", out var imagePath)).IsSuccess()
            || !(status = ReadText(key, "Group", out var group)).IsSuccess()
            || !(status = ReadDword(key, "Tag", out var tag)).IsSuccess())
        {
            return status;
        }

        if (start is null || type is null)
        {
            return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
        }

        service = new CmServiceEntry
        {
            Name = key.Name,
            Start = (SERVICE_LOAD_TYPE)start.Value,
            Type = (SERVICE_NODE_TYPE)type.Value,
            ErrorControl = (SERVICE_ERROR_TYPE)(errorControl ?? (uint)SERVICE_ERROR_TYPE.SERVICE_ERROR_NORMAL),
            ImagePath = imagePath,
            Group = group,
            Tag = tag,
        };
        return NTSTATUS.STATUS_SUCCESS;
    }

    private void SetOrRemoveLocked(CmKey key, string name, uint type, byte[]? data)
    {
        if (data is null)
        {
            DeleteValueLocked(key, name, null);
        }
        else
        {
            SetValueLocked(key, name, type, data, null);
        }
    }

    private static byte[]? MultiOrNull(IReadOnlyList<string> strings) => strings.Count == 0 ? null : RegData.MultiString(strings);

    /// <summary>A REG_DWORD value; null when absent; STATUS_OBJECT_TYPE_MISMATCH when it is something else.</summary>
    private static NTSTATUS ReadDword(CmKey key, string name, out uint? value)
    {
        value = null;
        if (key.FindValue(name) is not { } v)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        value = v.AsDword();
        return value is null ? NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH : NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>A REG_SZ or REG_EXPAND_SZ value; null when absent; STATUS_OBJECT_TYPE_MISMATCH otherwise.</summary>
    private static NTSTATUS ReadText(CmKey key, string name, out string? value)
    {
        value = null;
        if (key.FindValue(name) is not { } v)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (v.Type is not (RegConstants.REG_SZ or RegConstants.REG_EXPAND_SZ))
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        value = v.AsString();
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>A REG_MULTI_SZ (or single REG_SZ) list; empty when absent; STATUS_OBJECT_TYPE_MISMATCH otherwise.</summary>
    private static NTSTATUS ReadMulti(CmKey key, string name, out IReadOnlyList<string> value)
    {
        value = [];
        if (key.FindValue(name) is not { } v)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        if (v.AsMultiString() is not { } list)
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        value = list;
        return NTSTATUS.STATUS_SUCCESS;
    }

    private static bool IsSingleKeyName(string name) =>
        name.Length is > 0 and <= RegConstants.MaxKeyNameLength && !name.Contains('\\');

    /// <summary>enumerator\device ID\instance ID: three key names.</summary>
    private static bool IsInstancePath(string path)
    {
        var parts = path.Split('\\');
        return parts.Length == 3 && parts.All(IsSingleKeyName);
    }
}
