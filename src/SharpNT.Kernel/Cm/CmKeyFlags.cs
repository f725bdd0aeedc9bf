namespace SharpNT.Kernel.Cm;

/// <summary>What kind of key a <see cref="CmKey"/> is (NT keeps these as KEY_* flags in the key node).</summary>
[Flags]
internal enum CmKeyFlags
{
    None = 0,

    /// <summary>REG_OPTION_VOLATILE: lives in memory only and is never saved.</summary>
    Volatile = 1,

    /// <summary>REG_OPTION_CREATE_LINK: a symbolic link whose SymbolicLinkValue names the target.</summary>
    SymbolicLink = 2,

    /// <summary>KEY_NO_DELETE: the root of a hive or of the namespace; ZwDeleteKey refuses it.</summary>
    NoDelete = 4,

    /// <summary>
    /// A key of the master hive (\REGISTRY, \REGISTRY\MACHINE, \REGISTRY\USER): hives are mounted below
    /// it, no key is created in it by ZwCreateKey.
    /// </summary>
    Master = 8,
}
