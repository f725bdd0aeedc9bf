using System.Diagnostics;

namespace SharpNT.Kernel.Cm;

/// <summary>
/// The Configuration Manager (Cm): the registry of one machine. Keys live in NT's namespace form under
/// \REGISTRY (MACHINE with the SYSTEM, SOFTWARE and volatile HARDWARE hives, USER with .DEFAULT); names
/// compare case-insensitively and keep their case; CurrentControlSet is a symbolic link to the control
/// set Select\Current names. One lock guards the whole tree, as NT's registry lock does, so simulated
/// threads on several processors may call in at once.
/// </summary>
[DebuggerDisplay("Registry: {MachineKey.SubkeyCount} hives in HKLM, {UserKey.SubkeyCount} in HKU")]
internal sealed partial class ConfigurationManager
{
    internal const string RegistryPath = @"\REGISTRY";
    internal const string MachinePath = @"\REGISTRY\MACHINE";
    internal const string UserPath = @"\REGISTRY\USER";
    internal const string SystemPath = @"\REGISTRY\MACHINE\SYSTEM";
    internal const string SoftwarePath = @"\REGISTRY\MACHINE\SOFTWARE";
    internal const string HardwarePath = @"\REGISTRY\MACHINE\HARDWARE";
    internal const string CurrentControlSetPath = @"\REGISTRY\MACHINE\SYSTEM\CurrentControlSet";
    internal const string ServicesPath = CurrentControlSetPath + @"\Services";
    internal const string EnumPath = CurrentControlSetPath + @"\Enum";
    internal const string ClassPath = CurrentControlSetPath + @"\Control\Class";
    internal const string CurrentHardwareProfilePath = CurrentControlSetPath + @"\Hardware Profiles\Current";

    private const CmKeyFlags MasterFlags = CmKeyFlags.Master | CmKeyFlags.NoDelete | CmKeyFlags.Volatile;

    private readonly Lock _lock = new();
    private readonly Func<long> _systemTime;

    /// <param name="systemTime">The machine's system time (KeQuerySystemTime): stamps LastWriteTime.</param>
    /// <param name="processorCount">How many CentralProcessor keys HARDWARE\DESCRIPTION\System gets.</param>
    internal ConfigurationManager(Func<long> systemTime, int processorCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processorCount, 1);
        _systemTime = systemTime;
        var now = systemTime();
        Root = new CmKey(this, null, "REGISTRY", MasterFlags, null, now);
        MachineKey = AddBuiltIn(Root, "MACHINE", MasterFlags);
        UserKey = AddBuiltIn(Root, "USER", MasterFlags);
        BuildDefaultHives(processorCount);
    }

    /// <summary>\REGISTRY: the root of the registry's namespace.</summary>
    internal CmKey Root { get; }

    /// <summary>\REGISTRY\MACHINE (HKEY_LOCAL_MACHINE).</summary>
    internal CmKey MachineKey { get; }

    /// <summary>\REGISTRY\USER (HKEY_USERS).</summary>
    internal CmKey UserKey { get; }

    /// <summary>How many keys the namespace holds, volatile ones included.</summary>
    internal int KeyCount
    {
        get
        {
            lock (_lock)
            {
                var count = 0;
                var stack = new Stack<CmKey>();
                stack.Push(Root);
                while (stack.Count > 0)
                {
                    var key = stack.Pop();
                    count++;
                    foreach (var child in key.Subkeys)
                    {
                        stack.Push(child);
                    }
                }

                return count;
            }
        }
    }

    private long Now() => _systemTime();

    /// <summary>
    /// What a booted machine's registry holds before any file is loaded: the SYSTEM hive with
    /// ControlSet001 (Services, Enum, Control\Class, one hardware profile), Select naming it current, and
    /// the volatile links CurrentControlSet and Hardware Profiles\Current; an empty SOFTWARE hive; the
    /// volatile HARDWARE hive with DESCRIPTION\System; and HKEY_USERS\.DEFAULT.
    /// </summary>
    private void BuildDefaultHives(int processorCount)
    {
        var hiveRoot = CmKeyFlags.NoDelete;
        var system = AddBuiltIn(MachineKey, "SYSTEM", hiveRoot);
        AddBuiltIn(MachineKey, "SOFTWARE", hiveRoot);
        var hardware = AddBuiltIn(MachineKey, "HARDWARE", hiveRoot | CmKeyFlags.Volatile);
        AddBuiltIn(UserKey, ".DEFAULT", hiveRoot);

        const int currentSet = 1;
        var select = AddBuiltIn(system, "Select", CmKeyFlags.None);
        PutBuiltInValue(select, "Current", RegConstants.REG_DWORD, RegData.Dword(currentSet));
        PutBuiltInValue(select, "Default", RegConstants.REG_DWORD, RegData.Dword(currentSet));
        PutBuiltInValue(select, "Failed", RegConstants.REG_DWORD, RegData.Dword(0));
        PutBuiltInValue(select, "LastKnownGood", RegConstants.REG_DWORD, RegData.Dword(currentSet));

        // CmpCreateControlSet: CurrentControlSet is a volatile link to ControlSet%03d of Select\Current.
        var controlSetName = $"ControlSet{currentSet:D3}";
        var controlSet = AddBuiltIn(system, controlSetName, CmKeyFlags.None);
        var control = AddBuiltIn(controlSet, "Control", CmKeyFlags.None);
        AddBuiltIn(control, "Class", CmKeyFlags.None);
        AddBuiltIn(controlSet, "Enum", CmKeyFlags.None);
        AddBuiltIn(controlSet, "Services", CmKeyFlags.None);
        var profiles = AddBuiltIn(controlSet, "Hardware Profiles", CmKeyFlags.None);
        AddBuiltIn(profiles, "0001", CmKeyFlags.None);
        var profileLink = AddBuiltIn(profiles, "Current", CmKeyFlags.Volatile | CmKeyFlags.SymbolicLink);
        PutBuiltInValue(profileLink, RegConstants.SymbolicLinkValueName, RegConstants.REG_LINK,
            RegData.Link($@"{SystemPath}\{controlSetName}\Hardware Profiles\0001"));
        var link = AddBuiltIn(system, "CurrentControlSet", CmKeyFlags.Volatile | CmKeyFlags.SymbolicLink);
        PutBuiltInValue(link, RegConstants.SymbolicLinkValueName, RegConstants.REG_LINK, RegData.Link($@"{SystemPath}\{controlSetName}"));

        var description = AddBuiltIn(hardware, "DESCRIPTION", CmKeyFlags.Volatile);
        var systemDescription = AddBuiltIn(description, "System", CmKeyFlags.Volatile);
        PutBuiltInValue(systemDescription, "Identifier", RegConstants.REG_SZ, RegData.String("AT/AT COMPATIBLE"));
        var processors = AddBuiltIn(systemDescription, "CentralProcessor", CmKeyFlags.Volatile);
        for (var i = 0; i < processorCount; i++)
        {
            AddBuiltIn(processors, i.ToString(System.Globalization.CultureInfo.InvariantCulture), CmKeyFlags.Volatile);
        }

        AddBuiltIn(hardware, "DEVICEMAP", CmKeyFlags.Volatile);
    }

    private CmKey AddBuiltIn(CmKey parent, string name, CmKeyFlags flags)
    {
        var key = new CmKey(this, parent, name, flags, null, Now());
        parent.AddSubkey(key);
        return key;
    }

    private static void PutBuiltInValue(CmKey key, string name, uint type, byte[] data) =>
        key.InsertValueAt(key.Values.Count, new CmValue(name, type, data));
}
