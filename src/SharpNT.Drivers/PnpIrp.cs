using System.Text;
using SharpNT.Kernel;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Pnp;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Drivers;

/// <summary>What the in-box WDM bus and function drivers (pci.sys, nvmeport.sys, disk.sys) do the same way with PnP IRPs.</summary>
internal static class PnpIrp
{
    /// <summary>
    /// Passes the IRP down and waits for the lower drivers to finish with it (IRP_MN_START_DEVICE goes to the bus
    /// driver first, as documented); the IRP comes back to the caller, which completes it.
    /// </summary>
    public static NTSTATUS SendIrpSynchronously(DEVICE_OBJECT LowerDevice, IRP Irp)
    {
        var evt = new KEVENT();
        KeInitializeEvent(evt, NotificationEvent, false);
        IoCopyCurrentIrpStackLocationToNext(Irp);
        IoSetCompletionRoutine(Irp, SynchronousCompletion, evt, true, true, true);
        var status = IoCallDriver(LowerDevice, Irp);
        if (status == STATUS_PENDING)
        {
            KeWaitForSingleObject(evt, Executive, KernelMode, false, null);
            status = Irp.IoStatus.Status;
        }

        return status;
    }

    private static NTSTATUS SynchronousCompletion(DEVICE_OBJECT DeviceObject, IRP Irp, object? Context)
    {
        if (Irp.PendingReturned)
        {
            KeSetEvent((KEVENT)Context!, IO_NO_INCREMENT, false);
        }

        return STATUS_MORE_PROCESSING_REQUIRED;
    }

    /// <summary>
    /// A bus driver's answer to IRP_MN_QUERY_CAPABILITIES for a child whose address is unique on its bus only
    /// (UniqueID FALSE, so the PnP manager prefixes the instance ID with the parent's): the structure must be
    /// version 1 and large enough, else STATUS_UNSUCCESSFUL.
    /// </summary>
    public static NTSTATUS CompleteBusAddressCapabilities(IRP Irp, IO_STACK_LOCATION stack, uint addressOnBus, uint uiNumber)
    {
        var caps = new DEVICE_CAPABILITIES(stack.Parameters.DeviceCapabilities.Capabilities);
        if (caps.Version != 1 || caps.Size < DEVICE_CAPABILITIES.SizeOf)
        {
            return Complete(Irp, STATUS_UNSUCCESSFUL);
        }

        caps.UniqueID = false;
        caps.AddressOnBus = addressOnBus;
        caps.UINumber = uiNumber;
        return Complete(Irp, STATUS_SUCCESS);
    }

    /// <summary>Completes an IRP with a status and information, returning the status.</summary>
    public static NTSTATUS Complete(IRP Irp, NTSTATUS status, ulong information = 0)
    {
        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    /// <summary>
    /// Completes IRP_MN_QUERY_ID with <paramref name="text"/> (NUL-terminated; a REG_MULTI_SZ list ends with two)
    /// in paged pool the PnP manager frees; null text completes with the status the IRP came with.
    /// </summary>
    public static NTSTATUS CompleteQueryId(IRP Irp, string? text, uint tag)
    {
        if (text is null)
        {
            return Complete(Irp, Irp.IoStatus.Status, Irp.IoStatus.Information);
        }

        var bytes = Encoding.Unicode.GetBytes(text);
        var buffer = ExAllocatePool2(POOL_FLAG_PAGED, (ulong)bytes.Length, tag);
        if (buffer == 0)
        {
            return Complete(Irp, STATUS_INSUFFICIENT_RESOURCES);
        }

        CopyFromHost(buffer, bytes);
        return Complete(Irp, STATUS_SUCCESS, buffer);
    }

    /// <summary>
    /// BusRelations: the relations a driver above already put in the IRP, then <paramref name="children"/>, each
    /// referenced for the PnP manager; the new list replaces the old in IoStatus.Information.
    /// </summary>
    public static NTSTATUS ReportBusRelations(IRP Irp, IReadOnlyList<DEVICE_OBJECT> children, uint tag)
    {
        var previous = new DEVICE_RELATIONS(Irp.IoStatus.Information);
        var previousCount = previous.IsNull ? 0u : previous.Count;
        var relations = new DEVICE_RELATIONS(ExAllocatePool2(POOL_FLAG_PAGED, DEVICE_RELATIONS.SizeFor(previousCount + (uint)children.Count), tag));
        if (relations.IsNull)
        {
            return STATUS_INSUFFICIENT_RESOURCES;
        }

        for (var i = 0u; i < previousCount; i++)
        {
            relations[i] = previous[i];
        }

        var n = previousCount;
        foreach (var child in children)
        {
            ObReferenceObject(child);
            relations[n++] = child;
        }

        relations.Count = n;
        if (!previous.IsNull)
        {
            ExFreePool(previous.Address);
        }

        Irp.IoStatus.Information = relations.Address;
        Irp.IoStatus.Status = STATUS_SUCCESS;
        return STATUS_SUCCESS;
    }
}
