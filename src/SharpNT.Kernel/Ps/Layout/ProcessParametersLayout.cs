namespace SharpNT.Kernel.Ps.Layout;

/// <summary>
/// RTL_USER_PROCESS_PARAMETERS on x64: the fields a process is started with. Strings are UNICODE_STRINGs
/// whose buffers follow the structure; the block is "normalized" (RTL_USER_PROC_PARAMS_NORMALIZED), so the
/// buffers hold absolute addresses.
/// </summary>
public static class ProcessParametersLayout
{
    public const int MaximumLength = 0x000;
    public const int Length = 0x004;
    public const int Flags = 0x008;
    public const int ConsoleHandle = 0x010;
    public const int StandardInput = 0x020;
    public const int StandardOutput = 0x028;
    public const int StandardError = 0x030;
    public const int CurrentDirectoryDosPath = 0x038;
    public const int CurrentDirectoryHandle = 0x048;
    public const int DllPath = 0x050;
    public const int ImagePathName = 0x060;
    public const int CommandLine = 0x070;
    public const int Environment = 0x080;

    /// <summary>The structure's size in Windows 10 (strings follow it in the same block).</summary>
    public const int Size = 0x440;

    /// <summary>RTL_USER_PROC_PARAMS_NORMALIZED: the string buffers hold addresses, not offsets.</summary>
    public const uint RTL_USER_PROC_PARAMS_NORMALIZED = 0x1;
}
