using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.FsRtl;

/// <summary>
/// COMPLETE_LOCK_IRP_ROUTINE: completes a lock-control IRP in the file system's stead (FsRtlProcessFileLock
/// calls it instead of IoCompleteRequest when the FILE_LOCK names one); Context is the caller's.
/// </summary>
public delegate NTSTATUS COMPLETE_LOCK_IRP_ROUTINE(object? Context, IRP Irp);

/// <summary>UNLOCK_ROUTINE: told of each byte-range lock the package releases, with the caller's Context.</summary>
public delegate void UNLOCK_ROUTINE(object? Context, in FILE_LOCK_INFO FileLockInfo);
