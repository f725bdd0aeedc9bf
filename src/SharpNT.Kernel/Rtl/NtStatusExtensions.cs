namespace SharpNT.Kernel;

/// <summary>The NT_SUCCESS family of macros from ntdef.h.</summary>
public static class NtStatusExtensions
{
    /// <summary>NT_SUCCESS: severity success or informational (the value as a signed 32-bit number is >= 0).</summary>
    public static bool IsSuccess(this NTSTATUS status) => (int)status >= 0;

    /// <summary>NT_ERROR: severity error (top two bits set).</summary>
    public static bool IsError(this NTSTATUS status) => ((uint)status >> 30) == 3;

    /// <summary>Formats a status the way the debugger does: name and hex value.</summary>
    public static string Describe(this NTSTATUS status)
    {
        var name = Enum.GetName(status);
        return name is null ? $"0x{(uint)status:X8}" : $"{name} (0x{(uint)status:X8})";
    }
}
