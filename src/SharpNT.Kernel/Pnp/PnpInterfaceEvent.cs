namespace SharpNT.Kernel.Pnp;

/// <summary>One device interface arrival or removal in the PnP manager's event queue for user mode.</summary>
internal sealed record PnpInterfaceEvent(bool Arrival, Guid ClassGuid, string SymbolicLinkName);
