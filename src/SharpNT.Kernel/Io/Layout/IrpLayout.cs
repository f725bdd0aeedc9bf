namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// IRP on x64 (wdm.h). An IRP and its I/O stack locations are one allocation: StackCount
/// IO_STACK_LOCATIONs follow the IRP header at <see cref="Size"/> (IoSizeOfIrp). CurrentLocation counts
/// from StackCount + 1 (fresh IRP, no current location yet) down to 1 (the lowest driver's location);
/// Tail.Overlay.CurrentStackLocation is the address of the location CurrentLocation names.
/// Union members that share bytes have equal offsets: AssociatedIrp (MasterIrp / IrpCount /
/// SystemBuffer), Overlay (AsynchronousParameters / AllocationSize), and Tail (Overlay / Apc /
/// CompletionKey, and within Tail.Overlay DeviceQueueEntry / DriverContext, CurrentStackLocation /
/// PacketType).
/// </summary>
internal static class IrpLayout
{
    internal const int Size = 0xD0;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size (IRP plus stack locations); the header's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int MdlAddress = 0x08;
    internal const int Flags = 0x10;

    internal const int AssociatedIrp_MasterIrp = 0x18;
    internal const int AssociatedIrp_IrpCount = 0x18;
    internal const int AssociatedIrp_SystemBuffer = 0x18;

    internal const int ThreadListEntry = 0x20;

    internal const int IoStatus = 0x30;
    internal const int IoStatus_Status = 0x30;
    internal const int IoStatus_Pointer = 0x30;
    internal const int IoStatus_Information = 0x38;

    internal const int RequestorMode = 0x40;
    internal const int PendingReturned = 0x41;
    internal const int StackCount = 0x42;
    internal const int CurrentLocation = 0x43;
    internal const int Cancel = 0x44;
    internal const int CancelIrql = 0x45;
    internal const int ApcEnvironment = 0x46;
    internal const int AllocationFlags = 0x47;
    internal const int UserIosb = 0x48;
    internal const int UserEvent = 0x50;

    internal const int Overlay_AsynchronousParameters_UserApcRoutine = 0x58;
    internal const int Overlay_AsynchronousParameters_IssuingProcess = 0x58;
    internal const int Overlay_AsynchronousParameters_UserApcContext = 0x60;
    internal const int Overlay_AllocationSize = 0x58;

    internal const int CancelRoutine = 0x68;
    internal const int UserBuffer = 0x70;

    internal const int Tail_Overlay_DeviceQueueEntry = 0x78;

    /// <summary>PVOID DriverContext[4]: the owning driver's scratch space while it holds the IRP.</summary>
    internal const int Tail_Overlay_DriverContext = 0x78;
    internal const int Tail_Overlay_Thread = 0x98;
    internal const int Tail_Overlay_AuxiliaryBuffer = 0xA0;
    internal const int Tail_Overlay_ListEntry = 0xA8;
    internal const int Tail_Overlay_CurrentStackLocation = 0xB8;
    internal const int Tail_Overlay_PacketType = 0xB8;
    internal const int Tail_Overlay_OriginalFileObject = 0xC0;
    internal const int Tail_Apc = 0x78;
    internal const int Tail_CompletionKey = 0x78;

    /// <summary>
    /// IoSizeOfIrp (wdm.h): bytes for an IRP with <paramref name="stackSize"/> stack locations, the value
    /// IoAllocateIrp stores in the IRP's Size member.
    /// </summary>
    internal static ushort IoSizeOfIrp(sbyte stackSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stackSize);
        return (ushort)(Size + (stackSize * IoStackLocationLayout.Size));
    }

    /// <summary>
    /// Offset from the IRP's start of the stack location that CurrentLocation value
    /// <paramref name="currentLocation"/> names: location 1 sits right after the header. StackCount + 1,
    /// the value of a fresh IRP, gives the offset one past the last location, where IoAllocateIrp points
    /// Tail.Overlay.CurrentStackLocation.
    /// </summary>
    internal static int StackLocationOffset(int currentLocation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(currentLocation, 1);
        return Size + ((currentLocation - 1) * IoStackLocationLayout.Size);
    }
}
