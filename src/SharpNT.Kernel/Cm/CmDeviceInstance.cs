namespace SharpNT.Kernel.Cm;

/// <summary>
/// What a device instance key (HKLM\SYSTEM\CurrentControlSet\Enum\<see cref="InstancePath"/>) and its setup
/// class key (Control\Class\{ClassGUID}) say about a device: how it is identified and which drivers make up
/// its stack.
/// </summary>
internal sealed record CmDeviceInstance
{
    /// <summary>The device instance path, e.g. ROOT\SAMPLE\0000 (enumerator\device ID\instance ID).</summary>
    public required string InstancePath { get; init; }

    public IReadOnlyList<string> HardwareIds { get; init; } = [];

    public IReadOnlyList<string> CompatibleIds { get; init; } = [];

    /// <summary>Service: the function driver's service name.</summary>
    public string? Service { get; init; }

    public string? ClassGuid { get; init; }

    public string? Class { get; init; }

    /// <summary>Driver: the software key under Control\Class, e.g. {4d36e967-e325-11ce-bfc1-08002be10318}\0000.</summary>
    public string? Driver { get; init; }

    public IReadOnlyList<string> UpperFilters { get; init; } = [];

    public IReadOnlyList<string> LowerFilters { get; init; } = [];

    /// <summary>UpperFilters of the device's setup class key: filters for every device of the class.</summary>
    public IReadOnlyList<string> ClassUpperFilters { get; init; } = [];

    /// <summary>LowerFilters of the device's setup class key.</summary>
    public IReadOnlyList<string> ClassLowerFilters { get; init; } = [];

    /// <summary>
    /// The services whose AddDevice the PnP manager calls, bottom of the stack first (just above the bus
    /// driver's PDO): device lower filters, class lower filters, the function driver, device upper filters,
    /// class upper filters.
    /// </summary>
    public IReadOnlyList<string> DriverStack =>
    [
        .. LowerFilters,
        .. ClassLowerFilters,
        .. Service is { Length: > 0 } service ? [service] : Array.Empty<string>(),
        .. UpperFilters,
        .. ClassUpperFilters,
    ];
}
