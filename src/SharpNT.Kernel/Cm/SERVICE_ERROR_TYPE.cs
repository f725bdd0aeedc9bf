namespace SharpNT.Kernel.Cm;

/// <summary>A service key's ErrorControl value (winnt.h SERVICE_ERROR_TYPE, spelled with the SERVICE_* names).</summary>
internal enum SERVICE_ERROR_TYPE : uint
{
    SERVICE_ERROR_IGNORE = 0,
    SERVICE_ERROR_NORMAL = 1,
    SERVICE_ERROR_SEVERE = 2,
    SERVICE_ERROR_CRITICAL = 3,
}
