namespace SharpNT.Win32;

/// <summary>winioctl.h: CTL_CODE and its fields.</summary>
public static class WinIoCtl
{
    public const uint METHOD_BUFFERED = 0;
    public const uint METHOD_IN_DIRECT = 1;
    public const uint METHOD_OUT_DIRECT = 2;
    public const uint METHOD_NEITHER = 3;
    public const uint FILE_ANY_ACCESS = 0;
    public const uint FILE_READ_ACCESS = 1;
    public const uint FILE_WRITE_ACCESS = 2;

    /// <summary>CTL_CODE(DeviceType, Function, Method, Access).</summary>
    public static uint CTL_CODE(uint DeviceType, uint Function, uint Method, uint Access) =>
        (DeviceType << 16) | (Access << 14) | (Function << 2) | Method;
}
