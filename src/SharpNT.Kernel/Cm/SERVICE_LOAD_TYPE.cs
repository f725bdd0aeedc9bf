namespace SharpNT.Kernel.Cm;

/// <summary>A service key's Start value (winnt.h SERVICE_LOAD_TYPE, spelled with the SERVICE_* names).</summary>
internal enum SERVICE_LOAD_TYPE : uint
{
    /// <summary>Loaded by the boot loader, started in phase 0.</summary>
    SERVICE_BOOT_START = 0,

    /// <summary>Loaded and started by the I/O manager during phase 1.</summary>
    SERVICE_SYSTEM_START = 1,

    SERVICE_AUTO_START = 2,

    /// <summary>Started on demand (for PnP drivers: when the PnP manager finds their device).</summary>
    SERVICE_DEMAND_START = 3,

    SERVICE_DISABLED = 4,
}
