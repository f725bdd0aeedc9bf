namespace SharpNT.Kernel.Cm;

/// <summary>
/// What NtCreateKey hands through the object manager's lookup to the Key type's parse procedure
/// (CM_PARSE_CONTEXT): the create options and class for a key that may be made, and the disposition the
/// parse reports back. An open passes none (or one with <see cref="Create"/> clear).
/// </summary>
internal sealed class CmParseContext
{
    /// <summary>True for ZwCreateKey: the last component is created when it does not exist.</summary>
    internal bool Create { get; init; }

    /// <summary>REG_OPTION_* bits of ZwCreateKey's CreateOptions or ZwOpenKeyEx's OpenOptions.</summary>
    internal uint Options { get; init; }

    /// <summary>The class string of a new key (ZwCreateKey's Class), or null.</summary>
    internal string? Class { get; init; }

    /// <summary>REG_CREATED_NEW_KEY or REG_OPENED_EXISTING_KEY, set by the parse procedure.</summary>
    internal uint Disposition { get; set; }
}
