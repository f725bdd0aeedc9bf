using SharpNT.Kernel.Io;

namespace SharpNT.Drivers.Samples;

/// <summary>The sample stack's I/O control codes, one per transfer method, and its device names.</summary>
public static class SampleIoctl
{
    public const uint FILE_DEVICE_SAMPLE = 0x8000;

    /// <summary>Upper-cases the input into the output (METHOD_BUFFERED).</summary>
    public static readonly uint IOCTL_SAMPLE_BUFFERED = IoCtl.CTL_CODE(FILE_DEVICE_SAMPLE, 0x800, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS);

    /// <summary>Sums the bytes of the second buffer, which the device reads through an MDL (METHOD_IN_DIRECT).</summary>
    public static readonly uint IOCTL_SAMPLE_IN_DIRECT = IoCtl.CTL_CODE(FILE_DEVICE_SAMPLE, 0x801, IoCtl.METHOD_IN_DIRECT, IoCtl.FILE_ANY_ACCESS);

    /// <summary>Fills the output buffer, mapped through an MDL, with a counting pattern (METHOD_OUT_DIRECT).</summary>
    public static readonly uint IOCTL_SAMPLE_OUT_DIRECT = IoCtl.CTL_CODE(FILE_DEVICE_SAMPLE, 0x802, IoCtl.METHOD_OUT_DIRECT, IoCtl.FILE_ANY_ACCESS);

    /// <summary>Reverses the input into the output, both raw requester addresses (METHOD_NEITHER).</summary>
    public static readonly uint IOCTL_SAMPLE_NEITHER = IoCtl.CTL_CODE(FILE_DEVICE_SAMPLE, 0x803, IoCtl.METHOD_NEITHER, IoCtl.FILE_ANY_ACCESS);

    public const string LowerDeviceName = @"\Device\SampleLower";
    public const string FunctionDeviceName = @"\Device\SampleFunction";
    public const string FilterDeviceName = @"\Device\SampleFilter";
    public const string DosDeviceName = @"\DosDevices\Sample";
}
