namespace SharpNT.Kernel.Hardware.Nvme;

/// <summary>A submission or completion queue the controller knows: where it lives in physical memory and its pointers.</summary>
internal sealed class NvmeQueue
{
    internal required int Id { get; init; }

    internal required ulong Base { get; init; }

    /// <summary>Entries in the queue (the 0-based size field plus one).</summary>
    internal required int Size { get; init; }

    /// <summary>Submission queue: the completion queue its entries complete to.</summary>
    internal int CompletionQueueId { get; init; }

    /// <summary>Completion queue: interrupts enabled (IEN).</summary>
    internal bool InterruptsEnabled { get; init; }

    /// <summary>Submission queue: the host's tail (doorbell); completion queue: the host's head (doorbell).</summary>
    internal int HostPointer { get; set; }

    /// <summary>Submission queue: the controller's head; completion queue: the controller's tail.</summary>
    internal int ControllerPointer { get; set; }

    /// <summary>Completion queue: the phase tag the controller writes now (starts at 1, flips at each wrap).</summary>
    internal int Phase { get; set; } = 1;

    internal bool CompletionQueueFull => (ControllerPointer + 1) % Size == HostPointer;
}
