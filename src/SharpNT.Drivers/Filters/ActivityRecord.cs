using SharpNT.Kernel;

namespace SharpNT.Drivers.Filters;

/// <summary>
/// One request the activity monitor saw: what it was, on which file, and how it ended. A fast I/O call is
/// recorded under its entry point's name (<see cref="FastIo"/>, e.g. FASTIO_READ) with the major function it
/// stands in for; <see cref="FastIoResult"/> is what the routine returned (FALSE: the request goes on as an IRP,
/// which is recorded in its turn).
/// </summary>
public sealed record ActivityRecord(byte MajorFunction, byte MinorFunction, string FileName, NTSTATUS Status, ulong Information)
{
    /// <summary>The fast I/O entry point (FASTIO_CHECK_IF_POSSIBLE, FASTIO_READ, FASTIO_WRITE), or null for an IRP.</summary>
    public string? FastIo { get; init; }

    /// <summary>The fast I/O routine's BOOLEAN answer; Status and Information mean something only when it is true.</summary>
    public bool FastIoResult { get; init; }

    public override string ToString() => FastIo is null
        ? $"{Kernel.Io.IRP_MJ.Name(MajorFunction)} {FileName} {Status} {Information}"
        : $"{FastIo} {FileName} {(FastIoResult ? $"{Status} {Information}" : "FALSE")}";
}
