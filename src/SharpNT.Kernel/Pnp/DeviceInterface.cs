using System.Diagnostics;

namespace SharpNT.Kernel.Pnp;

/// <summary>A registered device interface instance (IoRegisterDeviceInterface): a class GUID on a device, maybe with a reference string.</summary>
[DebuggerDisplay("{SymbolicLinkName} enabled={Enabled}")]
internal sealed class DeviceInterface
{
    internal required Guid ClassGuid { get; init; }

    internal required DEVICE_NODE Node { get; init; }

    internal string? ReferenceString { get; init; }

    /// <summary>The name drivers are given: \??\ROOT#TOASTER#0000#{guid}, then \ReferenceString if there is one.</summary>
    internal required string SymbolicLinkName { get; init; }

    /// <summary>The symbolic link object's name (without the reference string), under \??.</summary>
    internal required string LinkObjectName { get; init; }

    internal bool Enabled { get; set; }
}
