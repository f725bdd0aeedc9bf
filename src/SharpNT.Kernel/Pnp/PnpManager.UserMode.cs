using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Pnp;

internal sealed partial class PnpManager
{
    /// <summary>Interface arrivals and removals, in order, for user mode (what the PnP event queue carries to programs).</summary>
    private readonly List<PnpInterfaceEvent> _interfaceEvents = [];

    /// <summary>Signaled at each interface arrival or removal.</summary>
    private readonly KEVENT _interfaceEvent = CreateNotificationEvent();

    private static KEVENT CreateNotificationEvent()
    {
        var evt = new KEVENT();
        KernelCore.InitializeEvent(evt, EVENT_TYPE.SynchronizationEvent, false);
        return evt;
    }
}
