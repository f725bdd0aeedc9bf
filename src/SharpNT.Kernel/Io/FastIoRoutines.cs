namespace SharpNT.Kernel.Io;

/// <summary>
/// FAST_IO_CHECK_IF_POSSIBLE: whether a read or write of Length bytes at FileOffset could be done by fast
/// I/O now (no byte-range lock in the way, the file cached). TRUE: it could; FALSE: use an IRP.
/// </summary>
public delegate bool FAST_IO_CHECK_IF_POSSIBLE(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey,
    bool CheckForReadOperation, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject);

/// <summary>
/// FAST_IO_READ: copies Length bytes at FileOffset from the file's cache into Buffer (an address in the
/// requester's context). TRUE: done, IoStatus holds the result; FALSE: not done, the I/O manager sends an IRP.
/// </summary>
public delegate bool FAST_IO_READ(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey, ulong Buffer,
    IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject);

/// <summary>FAST_IO_WRITE: as FAST_IO_READ, copying Buffer into the file's cache.</summary>
public delegate bool FAST_IO_WRITE(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, uint Length, bool Wait, uint LockKey, ulong Buffer,
    IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject);

/// <summary>
/// FAST_IO_LOCK: takes a byte-range lock with no IRP (the file system's FsRtlFastLock). TRUE: decided, IoStatus
/// holds STATUS_SUCCESS or STATUS_LOCK_NOT_GRANTED; FALSE: the lock would have to wait, the I/O manager sends an IRP.
/// </summary>
public delegate bool FAST_IO_LOCK(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length, Ps.EPROCESS? ProcessId, uint Key,
    bool FailImmediately, bool ExclusiveLock, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject);

/// <summary>FAST_IO_UNLOCK_SINGLE: releases one byte-range lock (FsRtlFastUnlockSingle); TRUE with the status in IoStatus.</summary>
public delegate bool FAST_IO_UNLOCK_SINGLE(FILE_OBJECT FileObject, in LARGE_INTEGER FileOffset, in LARGE_INTEGER Length, Ps.EPROCESS? ProcessId,
    uint Key, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject);

/// <summary>FAST_IO_UNLOCK_ALL: releases every lock the file object holds for the process (FsRtlFastUnlockAll).</summary>
public delegate bool FAST_IO_UNLOCK_ALL(FILE_OBJECT FileObject, Ps.EPROCESS? ProcessId, IO_STATUS_BLOCK IoStatus, DEVICE_OBJECT DeviceObject);

/// <summary>FAST_IO_UNLOCK_ALL_BY_KEY: releases the file object's locks for the process that carry the key (FsRtlFastUnlockAllByKey).</summary>
public delegate bool FAST_IO_UNLOCK_ALL_BY_KEY(FILE_OBJECT FileObject, Ps.EPROCESS? ProcessId, uint Key, IO_STATUS_BLOCK IoStatus,
    DEVICE_OBJECT DeviceObject);
