namespace SharpNT.Kernel.Vf;

/// <summary>The IRP log (verifier flag 0x400) of one device object, oldest entry first, as !verifier reads it.</summary>
internal sealed record DeviceIrpLog(ulong DeviceObject, IReadOnlyList<IrpLogEntry> Entries);
