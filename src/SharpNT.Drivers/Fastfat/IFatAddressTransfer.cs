using SharpNT.Kernel;

namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// A device that can move sectors straight into memory at an address the file system was given (the
/// requester's buffer, or its MDL's system address): the non-cached transfer of NT's file systems, which
/// hand the storage driver the caller's pages so the data lands once.
/// </summary>
internal interface IFatAddressTransfer
{
    /// <summary>Reads <paramref name="length"/> bytes (whole sectors) at <paramref name="firstSector"/> into memory at <paramref name="address"/>.</summary>
    /// <returns>STATUS_SUCCESS, or the device's error; a bad address raises as the memory access does.</returns>
    NTSTATUS ReadSectorsTo(long firstSector, ulong address, int length);

    /// <summary>Copies host bytes into memory at <paramref name="address"/> (cached sectors newer than the device's).</summary>
    void CopyTo(ulong address, ReadOnlySpan<byte> data);
}
