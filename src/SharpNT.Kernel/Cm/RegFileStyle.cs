namespace SharpNT.Kernel.Cm;

/// <summary>How a saved .reg file spells values.</summary>
internal enum RegFileStyle
{
    /// <summary>
    /// As regedit exports: "text" for REG_SZ, dword: for REG_DWORD, hex(N): bytes for every other type
    /// (REG_EXPAND_SZ as hex(2), REG_MULTI_SZ as hex(7), REG_QWORD as hex(b)).
    /// </summary>
    Regedit,

    /// <summary>
    /// For people: also str(2):"...", str(7):"a\0b\0" and str(6):"..." (the form Wine's registry files
    /// use) and qword:, wherever the data is well-formed text or an eight-byte number.
    /// </summary>
    Readable,
}
