namespace SharpNT.Kernel.Io;

/// <summary>
/// A managed driver: the C# counterpart of a .sys image. The I/O manager loads it, gives it a
/// DRIVER_OBJECT and calls its DriverEntry, which fills in the MajorFunction table as WDM C code does.
/// </summary>
public abstract class DriverImage
{
    /// <summary>The image name, e.g. "sample.sys"; the driver's code addresses lie in its range.</summary>
    public abstract string ImageName { get; }

    /// <summary>The service name: the driver object is \Driver\ServiceName. Defaults to the image name without .sys.</summary>
    public virtual string ServiceName => Path.GetFileNameWithoutExtension(ImageName);

    /// <summary>DriverEntry: IRQL PASSIVE_LEVEL; returns STATUS_SUCCESS or the reason the driver cannot load.</summary>
    public abstract NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath);
}
