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
