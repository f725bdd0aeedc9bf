namespace SharpNT.Kernel.Mm;

/// <summary>
/// POOL_FLAGS for ExAllocatePool2 (wdm.h): the low 32 bits are required attributes (the allocation fails if
/// one is unknown), the high 32 bits optional ones; and the modifier bits ExAllocatePoolWithTag accepts
/// ORed into a POOL_TYPE.
/// </summary>
public static class PoolFlags
{
    public const ulong POOL_FLAG_USE_QUOTA = 0x0000_0001;
    public const ulong POOL_FLAG_UNINITIALIZED = 0x0000_0002;
    public const ulong POOL_FLAG_SESSION = 0x0000_0004;
    public const ulong POOL_FLAG_CACHE_ALIGNED = 0x0000_0008;
    public const ulong POOL_FLAG_RESERVED1 = 0x0000_0010;
    public const ulong POOL_FLAG_RAISE_ON_FAILURE = 0x0000_0020;
    public const ulong POOL_FLAG_NON_PAGED = 0x0000_0040;
    public const ulong POOL_FLAG_NON_PAGED_EXECUTE = 0x0000_0080;
    public const ulong POOL_FLAG_PAGED = 0x0000_0100;
    public const ulong POOL_FLAG_RESERVED2 = 0x0000_0200;
    public const ulong POOL_FLAG_RESERVED3 = 0x0000_0400;
    public const ulong POOL_FLAG_LAST_KNOWN_REQUIRED = POOL_FLAG_RESERVED3;
    public const ulong POOL_FLAG_REQUIRED_MASK = 0x0000_0000_FFFF_FFFF;
    public const ulong POOL_FLAG_SPECIAL_POOL = 0x0000_0001_0000_0000;

    public const uint POOL_QUOTA_FAIL_INSTEAD_OF_RAISE = 0x0008;
    public const uint POOL_RAISE_IF_ALLOCATION_FAILURE = 0x0010;
    public const uint POOL_COLD_ALLOCATION = 0x0100;
    public const uint POOL_NX_ALLOCATION = 0x0200;
    public const uint POOL_ZERO_ALLOCATION = 0x0400;
}
