namespace SharpNT.Kernel.Mm;

/// <summary>
/// The x64 MDL in memory (wdm.h), 48 bytes followed by the PFN_NUMBER array:
/// <code>
/// +0x00 Next                      PMDL
/// +0x08 Size                      CSHORT  (header plus PFN array, in bytes)
/// +0x0A MdlFlags                  CSHORT
/// +0x0C AllocationProcessorNumber USHORT
/// +0x0E Reserved                  USHORT
/// +0x10 Process                   PEPROCESS
/// +0x18 MappedSystemVa            PVOID
/// +0x20 StartVa                   PVOID   (page aligned)
/// +0x28 ByteCount                 ULONG
/// +0x2C ByteOffset                ULONG
/// +0x30 PFN_NUMBER[]              one ULONG_PTR per page spanned
/// </code>
/// </summary>
internal static class MdlLayout
{
    public const int Next = 0x00;
    public const int Size = 0x08;
    public const int MdlFlags = 0x0A;
    public const int AllocationProcessorNumber = 0x0C;
    public const int Reserved = 0x0E;
    public const int Process = 0x10;
    public const int MappedSystemVa = 0x18;
    public const int StartVa = 0x20;
    public const int ByteCount = 0x28;
    public const int ByteOffset = 0x2C;
    public const int HeaderSize = 0x30;

    /// <summary>IRP.MdlAddress: the IRP's MDL chain, at +0x08 of the x64 IRP.</summary>
    public const int IrpMdlAddress = 0x08;

    /// <summary>The tag MDLs are allocated with: "Mdl ".</summary>
    public static readonly uint PoolTag = PoolTags.FromString("Mdl ");
}
