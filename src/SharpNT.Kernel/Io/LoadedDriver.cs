using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Io;

/// <summary>The I/O manager's record of a loaded driver: its image, module and driver object.</summary>
[DebuggerDisplay("{Name} {Module.Name}")]
internal sealed class LoadedDriver
{
    internal LoadedDriver(DriverImage image, LoadedModule module, DRIVER_OBJECT driverObject, string name)
    {
        Image = image;
        Module = module;
        DriverObject = driverObject;
        Name = name;
    }

    internal DriverImage Image { get; }

    internal LoadedModule Module { get; }

    internal DRIVER_OBJECT DriverObject { get; }

    /// <summary>The object name, \Driver\service.</summary>
    internal string Name { get; }

    internal bool Unloaded { get; set; }
}
