namespace SharpNT.Kernel.Pnp;

/// <summary>
/// The states of a device node (PNP_DEVNODE_STATE, as !devnode prints them): a node is created
/// Uninitialized when its parent first reports its PDO, becomes Initialized once its IDs are read, DriversAdded
/// once every AddDevice of its stack ran, Started after IRP_MN_START_DEVICE; removal takes it through
/// QueryRemoved (orderly) or RemovePendingCloses (surprise removal, waiting for handles) to Removed and Deleted.
/// </summary>
public enum PNP_DEVNODE_STATE
{
    DeviceNodeUnspecified = 0x300,
    DeviceNodeUninitialized = 0x301,
    DeviceNodeInitialized = 0x302,
    DeviceNodeDriversAdded = 0x303,
    DeviceNodeResourcesAssigned = 0x304,
    DeviceNodeStartPending = 0x305,
    DeviceNodeStartCompletion = 0x306,
    DeviceNodeStartPostWork = 0x307,
    DeviceNodeStarted = 0x308,
    DeviceNodeQueryStopped = 0x309,
    DeviceNodeStopped = 0x30A,
    DeviceNodeRestartCompletion = 0x30B,
    DeviceNodeEnumeratePending = 0x30C,
    DeviceNodeEnumerateCompletion = 0x30D,
    DeviceNodeAwaitingQueuedDeletion = 0x30E,
    DeviceNodeAwaitingQueuedRemoval = 0x30F,
    DeviceNodeQueryRemoved = 0x310,
    DeviceNodeRemovePendingCloses = 0x311,
    DeviceNodeRemoved = 0x312,
    DeviceNodeDeletePendingCloses = 0x313,
    DeviceNodeDeleted = 0x314,
}
