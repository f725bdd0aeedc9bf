using System.Diagnostics;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// How an object type maps the four generic rights to its own rights (wdm.h GENERIC_MAPPING). Each
/// object type has one; a handle's granted access never holds generic bits.
/// </summary>
[DebuggerDisplay("R {GenericRead,h} W {GenericWrite,h} X {GenericExecute,h} A {GenericAll,h}")]
public readonly record struct GENERIC_MAPPING(uint GenericRead, uint GenericWrite, uint GenericExecute, uint GenericAll)
{
    /// <summary>
    /// RtlMapGenericMask: replaces each generic bit of <paramref name="accessMask"/> by the rights it maps
    /// to, and clears the generic bits.
    /// </summary>
    public uint Map(uint accessMask)
    {
        if ((accessMask & AccessMask.GENERIC_READ) != 0)
        {
            accessMask |= GenericRead;
        }

        if ((accessMask & AccessMask.GENERIC_WRITE) != 0)
        {
            accessMask |= GenericWrite;
        }

        if ((accessMask & AccessMask.GENERIC_EXECUTE) != 0)
        {
            accessMask |= GenericExecute;
        }

        if ((accessMask & AccessMask.GENERIC_ALL) != 0)
        {
            accessMask |= GenericAll;
        }

        return accessMask & ~AccessMask.GENERIC_RIGHTS;
    }
}
