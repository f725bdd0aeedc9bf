namespace SharpNT.Kernel.Io;

/// <summary>
/// PDRIVER_FS_NOTIFICATION (IoRegisterFsRegistrationChange): called at PASSIVE_LEVEL with a file system's
/// control device object when it registers (FsActive true) or unregisters (false).
/// </summary>
public delegate void DRIVER_FS_NOTIFICATION(DEVICE_OBJECT DeviceObject, bool FsActive);
