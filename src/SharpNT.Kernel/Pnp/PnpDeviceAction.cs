namespace SharpNT.Kernel.Pnp;

/// <summary>The device actions the PnP manager's worker carries out (PipRequestDeviceAction's requests).</summary>
internal enum PnpDeviceAction
{
    /// <summary>Re-enumerate the node's bus (IoInvalidateDeviceRelations with BusRelations).</summary>
    Enumerate,

    /// <summary>Query-remove and remove the node and everything below it (an orderly, user-requested removal).</summary>
    QueryRemoveAndRemove,

    /// <summary>Send IRP_MN_REMOVE_DEVICE to surprise-removed nodes whose last handle has closed.</summary>
    CompletePendingRemovals,
}
