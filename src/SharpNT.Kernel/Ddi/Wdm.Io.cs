using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ddi;

public static partial class Wdm
{
    public const WORK_QUEUE_TYPE CriticalWorkQueue = WORK_QUEUE_TYPE.CriticalWorkQueue;
    public const WORK_QUEUE_TYPE DelayedWorkQueue = WORK_QUEUE_TYPE.DelayedWorkQueue;

    /// <summary>wdm.h: what a completion routine returns to let completion go on (STATUS_SUCCESS's value).</summary>
    public const NTSTATUS STATUS_CONTINUE_COMPLETION = NTSTATUS.STATUS_SUCCESS;

    internal static IoManager Io => CurrentMachine.Io;

    // ---- Drivers and devices -----------------------------------------------------------------------

    /// <summary>
    /// IoCreateDevice: IRQL PASSIVE_LEVEL. Creates a device object with a zeroed extension of
    /// DeviceExtensionSize bytes; the device starts with DO_DEVICE_INITIALIZING, which the driver clears.
    /// </summary>
    public static NTSTATUS IoCreateDevice(DRIVER_OBJECT DriverObject, uint DeviceExtensionSize, UNICODE_STRING? DeviceName,
        uint DeviceType, uint DeviceCharacteristics, bool Exclusive, out DEVICE_OBJECT DeviceObject) =>
        Io.CreateDevice(DriverObject, DeviceExtensionSize, DeviceName?.Value, DeviceType, DeviceCharacteristics, Exclusive, null, out DeviceObject);

    /// <summary>
    /// IoCreateDevice for a managed driver: as the documented routine, with the device extension a C#
    /// object of the driver's (retrieved with <see cref="IoGetDeviceExtension{T}"/>) instead of raw bytes.
    /// </summary>
    public static NTSTATUS IoCreateDevice<TExtension>(DRIVER_OBJECT DriverObject, TExtension DeviceExtension, UNICODE_STRING? DeviceName,
        uint DeviceType, uint DeviceCharacteristics, bool Exclusive, out DEVICE_OBJECT DeviceObject)
        where TExtension : class =>
        Io.CreateDevice(DriverObject, 0, DeviceName?.Value, DeviceType, DeviceCharacteristics, Exclusive, DeviceExtension, out DeviceObject);

    /// <summary>
    /// IoCreateDeviceSecure (wdmsec.h): IRQL PASSIVE_LEVEL. IoCreateDevice with the device object protected by
    /// DefaultSDDLString (the SDDL subset for device objects, e.g. SDDL_DEVOBJ_SYS_ALL_ADM_ALL); an SDDL string
    /// outside that subset is STATUS_INVALID_PARAMETER. DeviceClassGuid names the class whose registry
    /// security would override the default; class keys are not modelled, so the default always applies.
    /// </summary>
    public static NTSTATUS IoCreateDeviceSecure(DRIVER_OBJECT DriverObject, uint DeviceExtensionSize, UNICODE_STRING? DeviceName,
        uint DeviceType, uint DeviceCharacteristics, bool Exclusive, UNICODE_STRING DefaultSDDLString, Guid? DeviceClassGuid,
        out DEVICE_OBJECT DeviceObject) =>
        Io.CreateDeviceSecure(DriverObject, DeviceExtensionSize, DeviceName?.Value, DeviceType, DeviceCharacteristics, Exclusive,
            DefaultSDDLString.Value, null, out DeviceObject);

    /// <summary>IoCreateDeviceSecure for a managed driver, with a C# device extension.</summary>
    public static NTSTATUS IoCreateDeviceSecure<TExtension>(DRIVER_OBJECT DriverObject, TExtension DeviceExtension, UNICODE_STRING? DeviceName,
        uint DeviceType, uint DeviceCharacteristics, bool Exclusive, UNICODE_STRING DefaultSDDLString, Guid? DeviceClassGuid,
        out DEVICE_OBJECT DeviceObject)
        where TExtension : class =>
        Io.CreateDeviceSecure(DriverObject, 0, DeviceName?.Value, DeviceType, DeviceCharacteristics, Exclusive, DefaultSDDLString.Value,
            DeviceExtension, out DeviceObject);

    /// <summary>The C# device extension given to IoCreateDevice.</summary>
    public static T IoGetDeviceExtension<T>(DEVICE_OBJECT DeviceObject)
        where T : class =>
        Io.ManagedExtensionOf(DeviceObject) as T ?? throw new InvalidOperationException($"{DeviceObject} has no {typeof(T).Name} extension.");

    /// <summary>IoDeleteDevice: IRQL PASSIVE_LEVEL.</summary>
    public static void IoDeleteDevice(DEVICE_OBJECT DeviceObject) => Io.DeleteDevice(DeviceObject);

    /// <summary>IoAttachDeviceToDeviceStack: IRQL &lt;= DISPATCH_LEVEL; returns the device attached to, or NULL.</summary>
    public static DEVICE_OBJECT IoAttachDeviceToDeviceStack(DEVICE_OBJECT SourceDevice, DEVICE_OBJECT TargetDevice) =>
        Io.AttachDeviceToDeviceStack(SourceDevice, TargetDevice);

    /// <summary>IoDetachDevice: IRQL PASSIVE_LEVEL.</summary>
    public static void IoDetachDevice(DEVICE_OBJECT TargetDevice) => Io.DetachDevice(TargetDevice);

    /// <summary>
    /// IoGetDeviceObjectPointer: IRQL PASSIVE_LEVEL. Opens the named device; returns its file object
    /// (referenced: ObDereferenceObject closes the open) and the device at the top of its stack.
    /// </summary>
    public static NTSTATUS IoGetDeviceObjectPointer(UNICODE_STRING ObjectName, uint DesiredAccess, out FILE_OBJECT FileObject,
        out DEVICE_OBJECT DeviceObject) => Io.GetDeviceObjectPointer(ObjectName.Value, DesiredAccess, out FileObject, out DeviceObject);

    /// <summary>IoGetRelatedDeviceObject: the device at the top of the stack the file object's requests go to.</summary>
    public static DEVICE_OBJECT IoGetRelatedDeviceObject(FILE_OBJECT FileObject) => IoManager.GetRelatedDeviceObject(FileObject);

    /// <summary>IoGetAttachedDevice: the top of the stack (no reference taken).</summary>
    public static DEVICE_OBJECT IoGetAttachedDevice(DEVICE_OBJECT DeviceObject) => IoManager.GetAttachedDevice(DeviceObject);

    /// <summary>IoGetAttachedDeviceReference: the top of the stack, referenced; release with ObDereferenceObject.</summary>
    public static DEVICE_OBJECT IoGetAttachedDeviceReference(DEVICE_OBJECT DeviceObject) => Io.GetAttachedDeviceReference(DeviceObject);

    // ---- IRPs --------------------------------------------------------------------------------------

    /// <summary>IoAllocateIrp: IRQL &lt;= DISPATCH_LEVEL; NULL when pool is exhausted.</summary>
    public static IRP IoAllocateIrp(sbyte StackSize, bool ChargeQuota)
    {
        var thread = CurrentThread;
        var machine = thread.Machine;

        // Driver Verifier's low resources simulation fails a verified driver's IRP allocations too.
        if (machine.Options.Verifier.Flags != 0 && machine.Verifier.ShouldFailAllocation(thread))
        {
            return IRP.NULL;
        }

        return machine.Io.AllocateIrp(StackSize, ChargeQuota);
    }

    /// <summary>IoFreeIrp: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void IoFreeIrp(IRP Irp) => Io.FreeIrp(Irp);

    /// <summary>IoReuseIrp: reinitialises an IRP for another request.</summary>
    public static void IoReuseIrp(IRP Irp, NTSTATUS Iostatus) => Io.ReuseIrp(Irp, Iostatus);

    /// <summary>IoSizeOfIrp: bytes for an IRP with StackSize stack locations.</summary>
    public static ushort IoSizeOfIrp(sbyte StackSize) => SharpNT.Kernel.Io.Layout.IrpLayout.IoSizeOfIrp(StackSize);

    /// <summary>IoCallDriver: IRQL &lt;= DISPATCH_LEVEL; passes the IRP to the device's driver.</summary>
    public static NTSTATUS IoCallDriver(DEVICE_OBJECT DeviceObject, IRP Irp) => Io.CallDriver(DeviceObject, Irp);

    /// <summary>IoCompleteRequest: IRQL &lt;= DISPATCH_LEVEL; the driver is done with the IRP.</summary>
    public static void IoCompleteRequest(IRP Irp, sbyte PriorityBoost) => Io.CompleteRequest(Irp, PriorityBoost);

    /// <summary>IoGetCurrentIrpStackLocation: the caller's stack location.</summary>
    public static IO_STACK_LOCATION IoGetCurrentIrpStackLocation(IRP Irp) => IoManager.GetCurrentIrpStackLocation(Irp);

    /// <summary>IoGetNextIrpStackLocation: the location of the next lower driver.</summary>
    public static IO_STACK_LOCATION IoGetNextIrpStackLocation(IRP Irp) => IoManager.GetNextIrpStackLocation(Irp);

    /// <summary>IoSetNextIrpStackLocation: moves a fresh IRP to its first location (for the IRP's owner).</summary>
    public static void IoSetNextIrpStackLocation(IRP Irp) => IoManager.SetNextIrpStackLocation(Irp);

    /// <summary>IoSkipCurrentIrpStackLocation: the next driver gets this driver's location.</summary>
    public static void IoSkipCurrentIrpStackLocation(IRP Irp) => IoManager.SkipCurrentIrpStackLocation(Irp);

    /// <summary>IoCopyCurrentIrpStackLocationToNext: the next driver gets a copy, without a completion routine.</summary>
    public static void IoCopyCurrentIrpStackLocationToNext(IRP Irp) => Io.CopyCurrentIrpStackLocationToNext(Irp);

    /// <summary>IoSetCompletionRoutine: the routine runs when lower drivers complete the IRP.</summary>
    public static void IoSetCompletionRoutine(IRP Irp, IO_COMPLETION_ROUTINE? CompletionRoutine, object? Context,
        bool InvokeOnSuccess, bool InvokeOnError, bool InvokeOnCancel) =>
        Io.SetCompletionRoutine(Irp, CompletionRoutine, Context, InvokeOnSuccess, InvokeOnError, InvokeOnCancel);

    /// <summary>
    /// IoSetCompletionRoutineEx: as IoSetCompletionRoutine, keeping the driver loaded until the routine
    /// has run; returns STATUS_SUCCESS or STATUS_INSUFFICIENT_RESOURCES.
    /// </summary>
    public static NTSTATUS IoSetCompletionRoutineEx(DEVICE_OBJECT DeviceObject, IRP Irp, IO_COMPLETION_ROUTINE CompletionRoutine,
        object? Context, bool InvokeOnSuccess, bool InvokeOnError, bool InvokeOnCancel)
    {
        Io.SetCompletionRoutine(Irp, CompletionRoutine, Context, InvokeOnSuccess, InvokeOnError, InvokeOnCancel);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoMarkIrpPending: the dispatch routine will return STATUS_PENDING.</summary>
    public static void IoMarkIrpPending(IRP Irp) => Io.MarkIrpPending(Irp);

    // ---- Building requests -------------------------------------------------------------------------

    /// <summary>
    /// IoBuildDeviceIoControlRequest: IRQL PASSIVE_LEVEL. The I/O manager completes the IRP: it sets
    /// Event, writes IoStatusBlock and frees the IRP.
    /// </summary>
    public static IRP IoBuildDeviceIoControlRequest(uint IoControlCode, DEVICE_OBJECT DeviceObject, ulong InputBuffer,
        uint InputBufferLength, ulong OutputBuffer, uint OutputBufferLength, bool InternalDeviceIoControl, KEVENT? Event,
        IO_STATUS_BLOCK IoStatusBlock) =>
        Io.BuildDeviceIoControlRequest(IoControlCode, DeviceObject, InputBuffer, InputBufferLength, OutputBuffer,
            OutputBufferLength, InternalDeviceIoControl, Event, IoStatusBlock);

    /// <summary>IoBuildSynchronousFsdRequest: IRQL PASSIVE_LEVEL; the I/O manager sets Event and frees the IRP.</summary>
    public static IRP IoBuildSynchronousFsdRequest(byte MajorFunction, DEVICE_OBJECT DeviceObject, ulong Buffer, uint Length,
        LARGE_INTEGER? StartingOffset, KEVENT? Event, IO_STATUS_BLOCK IoStatusBlock) =>
        Io.BuildFsdRequest(MajorFunction, DeviceObject, Buffer, Length, StartingOffset?.QuadPart, Event, IoStatusBlock, synchronous: true);

    /// <summary>IoBuildAsynchronousFsdRequest: IRQL &lt;= DISPATCH_LEVEL; the caller's completion routine frees the IRP.</summary>
    public static IRP IoBuildAsynchronousFsdRequest(byte MajorFunction, DEVICE_OBJECT DeviceObject, ulong Buffer, uint Length,
        LARGE_INTEGER? StartingOffset, IO_STATUS_BLOCK IoStatusBlock) =>
        Io.BuildFsdRequest(MajorFunction, DeviceObject, Buffer, Length, StartingOffset?.QuadPart, null, IoStatusBlock, synchronous: false);

    // ---- Cancellation ------------------------------------------------------------------------------

    /// <summary>IoAcquireCancelSpinLock: raises to DISPATCH_LEVEL.</summary>
    public static void IoAcquireCancelSpinLock(out byte Irql) => Irql = Io.AcquireCancelSpinLock();

    /// <summary>IoReleaseCancelSpinLock: back to the IRQL the acquire returned.</summary>
    public static void IoReleaseCancelSpinLock(byte Irql) => Io.ReleaseCancelSpinLock(Irql);

    /// <summary>IoSetCancelRoutine: returns the previous cancel routine (null once cancellation has taken it).</summary>
    public static DRIVER_CANCEL? IoSetCancelRoutine(IRP Irp, DRIVER_CANCEL? CancelRoutine) => Io.SetCancelRoutine(Irp, CancelRoutine);

    /// <summary>IoCancelIrp: IRQL &lt;= DISPATCH_LEVEL; true if a cancel routine was called.</summary>
    public static bool IoCancelIrp(IRP Irp) => Io.CancelIrp(Irp);

    /// <summary>IoCsqInitialize: the driver's queue callbacks.</summary>
    public static NTSTATUS IoCsqInitialize(IO_CSQ Csq, IO_CSQ_INSERT_IRP CsqInsertIrp, IO_CSQ_REMOVE_IRP CsqRemoveIrp,
        IO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp, IO_CSQ_ACQUIRE_LOCK CsqAcquireLock, IO_CSQ_RELEASE_LOCK CsqReleaseLock,
        IO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp) =>
        Io.CsqInitialize(Csq, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);

    /// <summary>IoCsqInitializeEx: as IoCsqInitialize, with an insert routine that may refuse an IRP.</summary>
    public static NTSTATUS IoCsqInitializeEx(IO_CSQ Csq, IO_CSQ_INSERT_IRP_EX CsqInsertIrp, IO_CSQ_REMOVE_IRP CsqRemoveIrp,
        IO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp, IO_CSQ_ACQUIRE_LOCK CsqAcquireLock, IO_CSQ_RELEASE_LOCK CsqReleaseLock,
        IO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp) =>
        Io.CsqInitializeEx(Csq, CsqInsertIrp, CsqRemoveIrp, CsqPeekNextIrp, CsqAcquireLock, CsqReleaseLock, CsqCompleteCanceledIrp);

    /// <summary>
    /// IoCsqInsertIrpEx: queues the IRP unless the queue's CsqInsertIrpEx refuses it; returns that routine's
    /// status. A queued IRP is marked pending; a refused one is left to the caller.
    /// </summary>
    public static NTSTATUS IoCsqInsertIrpEx(IO_CSQ Csq, IRP Irp, IO_CSQ_IRP_CONTEXT? Context, object? InsertContext) =>
        Io.CsqInsertIrpEx(Csq, Irp, Context, InsertContext);

    /// <summary>IoCsqInsertIrp: queues the IRP, cancel-safely; it is marked pending.</summary>
    public static void IoCsqInsertIrp(IO_CSQ Csq, IRP Irp, IO_CSQ_IRP_CONTEXT? Context) => Io.CsqInsertIrp(Csq, Irp, Context);

    /// <summary>IoCsqRemoveNextIrp: the next queued IRP not being cancelled, or NULL.</summary>
    public static IRP IoCsqRemoveNextIrp(IO_CSQ Csq, object? PeekContext) => Io.CsqRemoveNextIrp(Csq, PeekContext);

    /// <summary>IoCsqRemoveIrp: the IRP the context names, unless it is being cancelled.</summary>
    public static IRP IoCsqRemoveIrp(IO_CSQ Csq, IO_CSQ_IRP_CONTEXT Context) => Io.CsqRemoveIrp(Csq, Context);

    // ---- Device timers ---------------------------------------------------------------------------------

    /// <summary>IoInitializeTimer: IRQL PASSIVE_LEVEL; the device's once-a-second routine, run at DISPATCH_LEVEL once started.</summary>
    public static NTSTATUS IoInitializeTimer(DEVICE_OBJECT DeviceObject, IO_TIMER_ROUTINE TimerRoutine, object? Context) =>
        Io.InitializeTimer(DeviceObject, TimerRoutine, Context);

    /// <summary>IoStartTimer: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void IoStartTimer(DEVICE_OBJECT DeviceObject) => Io.StartTimer(DeviceObject);

    /// <summary>IoStopTimer: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void IoStopTimer(DEVICE_OBJECT DeviceObject) => Io.StopTimer(DeviceObject);

    // ---- Remove locks, work items, StartIo -----------------------------------------------------------

    /// <summary>IoInitializeRemoveLock: IRQL PASSIVE_LEVEL.</summary>
    public static void IoInitializeRemoveLock(IO_REMOVE_LOCK Lock, uint AllocateTag, uint MaxLockedMinutes, uint HighWatermark) =>
        IoManager.InitializeRemoveLock(Lock, AllocateTag);

    /// <summary>IoAcquireRemoveLock: STATUS_SUCCESS, or STATUS_DELETE_PENDING once the device is being removed.</summary>
    public static NTSTATUS IoAcquireRemoveLock(IO_REMOVE_LOCK RemoveLock, object? Tag) => Io.AcquireRemoveLock(RemoveLock);

    /// <summary>IoReleaseRemoveLock.</summary>
    public static void IoReleaseRemoveLock(IO_REMOVE_LOCK RemoveLock, object? Tag) => Io.ReleaseRemoveLock(RemoveLock);

    /// <summary>IoReleaseRemoveLockAndWait: IRQL PASSIVE_LEVEL; waits for all I/O under the lock to finish.</summary>
    public static void IoReleaseRemoveLockAndWait(IO_REMOVE_LOCK RemoveLock, object? Tag) => Io.ReleaseRemoveLockAndWait(RemoveLock);

    /// <summary>IoAllocateWorkItem: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static IO_WORKITEM IoAllocateWorkItem(DEVICE_OBJECT DeviceObject) => Io.AllocateWorkItem(DeviceObject);

    /// <summary>IoQueueWorkItem: IRQL &lt;= DISPATCH_LEVEL; the routine runs at PASSIVE_LEVEL on a worker thread.</summary>
    public static void IoQueueWorkItem(IO_WORKITEM IoWorkItem, IO_WORKITEM_ROUTINE WorkerRoutine, WORK_QUEUE_TYPE QueueType, object? Context) =>
        Io.QueueWorkItem(IoWorkItem, WorkerRoutine, QueueType, Context);

    /// <summary>IoFreeWorkItem.</summary>
    public static void IoFreeWorkItem(IO_WORKITEM IoWorkItem) => Io.FreeWorkItem(IoWorkItem);

    /// <summary>IoStartPacket: IRQL &lt;= DISPATCH_LEVEL.</summary>
    public static void IoStartPacket(DEVICE_OBJECT DeviceObject, IRP Irp, uint? Key, DRIVER_CANCEL? CancelFunction) =>
        Io.StartPacket(DeviceObject, Irp, Key, CancelFunction);

    /// <summary>IoStartNextPacket: IRQL DISPATCH_LEVEL.</summary>
    public static void IoStartNextPacket(DEVICE_OBJECT DeviceObject, bool Cancelable) => Io.StartNextPacket(DeviceObject, Cancelable);

    /// <summary>IoStartNextPacketByKey: IRQL DISPATCH_LEVEL.</summary>
    public static void IoStartNextPacketByKey(DEVICE_OBJECT DeviceObject, bool Cancelable, uint Key) =>
        Io.StartNextPacketByKey(DeviceObject, Cancelable, Key);

    /// <summary>KeRemoveEntryDeviceQueue for the StartIo queue: takes a waiting IRP out (from a cancel routine).</summary>
    public static bool KeRemoveEntryDeviceQueue(DEVICE_OBJECT DeviceObject, IRP Irp) => Io.RemoveEntryDeviceQueue(DeviceObject, Irp);

    /// <summary>CTL_CODE: an I/O control code from its device type, function, method and access.</summary>
    public static uint CTL_CODE(uint DeviceType, uint Function, uint Method, uint Access) => IoCtl.CTL_CODE(DeviceType, Function, Method, Access);
}
