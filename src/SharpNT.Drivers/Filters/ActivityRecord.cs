using SharpNT.Kernel;

namespace SharpNT.Drivers.Filters;

/// <summary>One request the activity monitor saw: what it was, on which file, and how it ended.</summary>
public sealed record ActivityRecord(byte MajorFunction, byte MinorFunction, string FileName, NTSTATUS Status, ulong Information)
{
    public override string ToString() =>
        $"{Kernel.Io.IRP_MJ.Name(MajorFunction)} {FileName} {Status} {Information}";
}
