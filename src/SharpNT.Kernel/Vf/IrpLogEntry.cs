namespace SharpNT.Kernel.Vf;

/// <summary>
/// One IRP as Driver Verifier's IRP logging (0x400) recorded it when it reached a device: the IRP, its
/// major and minor function, the I/O control code (device control requests), the status the dispatch
/// routine returned (null while the routine runs), the thread that sent it and when (interrupt time,
/// 100 ns units since boot).
/// </summary>
public sealed record IrpLogEntry(ulong Irp, byte MajorFunction, byte MinorFunction, uint IoControlCode, NTSTATUS? Status, ulong Thread, long Time);
