namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// KSPIN_LOCK on x64 (wdm.h: a ULONG_PTR). It is embedded in KDEVICE_QUEUE and FILE_OBJECT, so the bytes
/// are reserved there even though the lock's state lives in the kernel's KSPIN_LOCK object.
/// </summary>
internal static class KSpinLockLayout
{
    internal const int Size = 0x08;
}
