using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    /// <summary>IRPs with up to this many stack locations come from the lookaside list (IopLargeIrpStackLocations).</summary>
    internal const sbyte LookasideStackSize = 8;

    /// <summary>Free IRPs per processor: [processor * 2] one-location IRPs, [processor * 2 + 1] eight-location ones.</summary>
    private Stack<ulong>[]? _irpLookaside;

    /// <summary>Free IRPs held in the lookaside lists (still allocated from pool, tagged 'Irp ').</summary>
    internal int LookasideIrpCount => _irpLookaside?.Sum(l => l.Count) ?? 0;

    private Stack<ulong> LookasideFor(KPRCB prcb, sbyte stackCount)
    {
        var lists = _irpLookaside;
        if (lists is null)
        {
            lists = new Stack<ulong>[_machine.Ke.Processors.Length * 2];
            for (var i = 0; i < lists.Length; i++)
            {
                lists[i] = new Stack<ulong>();
            }

            _irpLookaside = lists;
        }

        return lists[(prcb.Number * 2) + (stackCount == 1 ? 0 : 1)];
    }

    /// <summary>
    /// IoAllocateIrp: IRQL &lt;= DISPATCH_LEVEL. An IRP with <paramref name="stackSize"/> stack locations,
    /// initialised as IoInitializeIrp does; null (a NULL IRP) if no pool is left.
    /// </summary>
    internal IRP AllocateIrp(sbyte stackSize, bool chargeQuota)
    {
        if (stackSize < 1)
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        var thread = _machine.Ke.CurrentThread;
        var prcb = thread.Processor!;
        ulong address = 0;
        byte allocationFlags = chargeQuota ? IRP_FLAGS.IRP_QUOTA_CHARGED : (byte)0;
        if (stackSize <= LookasideStackSize)
        {
            // The two lookaside sizes of IoAllocateIrp: one stack location, or IopLargeIrpStackLocations
            // (8); an IRP from the large list has StackCount 8 whatever was asked for, as on NT.
            stackSize = stackSize == 1 ? (sbyte)1 : LookasideStackSize;
            // A lookaside list belongs to one processor and is used only by the thread that holds it (no
            // lock, as on NT); a thread that does not hold its processor goes to the pool.
            if (prcb.CurrentThread == thread)
            {
                LookasideFor(prcb, stackSize).TryPop(out address);
            }

            allocationFlags |= (byte)(IRP_FLAGS.IRP_ALLOCATED_FIXED_SIZE | IRP_FLAGS.IRP_LOOKASIDE_ALLOCATION);
        }
        else
        {
            allocationFlags |= IRP_FLAGS.IRP_ALLOCATED_FIXED_SIZE;
        }

        var size = IrpLayout.IoSizeOfIrp(stackSize);
        if (address == 0)
        {
            address = AllocateNonPaged(size, TagIrp);
            if (address == 0)
            {
                return IRP.NULL;
            }
        }

        InitializeIrp(new IRP(address), size, stackSize, allocationFlags);
        return new IRP(address);
    }

    /// <summary>
    /// IoInitializeIrp: zeroes the IRP and its stack locations and sets Type, Size, StackCount,
    /// CurrentLocation (StackCount + 1) and CurrentStackLocation (one past the last location).
    /// </summary>
    internal void InitializeIrp(IRP irp, ushort packetSize, sbyte stackSize) => InitializeIrp(irp, packetSize, stackSize, 0);

    /// <summary>IoInitializeIrp with the AllocationFlags IoAllocateIrp records, in one pass over the IRP's page.</summary>
    private void InitializeIrp(IRP irp, ushort packetSize, sbyte stackSize, byte allocationFlags)
    {
        var bytes = Mm.MapKernelRange(irp.Address, packetSize, write: true);
        if (bytes.IsEmpty)
        {
            Span<byte> zeros = stackalloc byte[256];
            zeros.Clear();
            for (var offset = 0; offset < packetSize; offset += zeros.Length)
            {
                Mm.Write(irp.Address + (ulong)offset, zeros[..Math.Min(zeros.Length, packetSize - offset)]);
            }

            // The packet straddles a page: the header goes through the memory manager field by field.
            WriteIrpHeader(new IrpMemory(Mm, irp.Address), irp.Address, packetSize, stackSize, allocationFlags);
        }
        else
        {
            bytes.Clear();
            WriteIrpHeader(new IrpMemory(irp.Address, bytes), irp.Address, packetSize, stackSize, allocationFlags);
        }
    }

    private static void WriteIrpHeader(in IrpMemory m, ulong address, ushort packetSize, sbyte stackSize, byte allocationFlags)
    {
        m.Write(IrpLayout.Type, IO_TYPE.IO_TYPE_IRP);
        m.Write(IrpLayout.SizeField, packetSize);
        m.Write(IrpLayout.StackCount, stackSize);
        m.Write(IrpLayout.CurrentLocation, (sbyte)(stackSize + 1));
        m.Write(IrpLayout.Tail_Overlay_CurrentStackLocation, address + (ulong)IrpLayout.StackLocationOffset(stackSize + 1));
        m.Write(IrpLayout.ThreadListEntry, address + IrpLayout.ThreadListEntry);
        m.Write(IrpLayout.ThreadListEntry + 8, address + IrpLayout.ThreadListEntry);
        m.Write(IrpLayout.AllocationFlags, allocationFlags);
    }

    /// <summary>
    /// IoFreeIrp: IRQL &lt;= DISPATCH_LEVEL. The IRP goes back to the lookaside list (or the pool); its Type
    /// is cleared first, so that a second completion or free of it is caught.
    /// </summary>
    internal void FreeIrp(IRP irp)
    {
        var m = new IrpMemory(Mm, irp.Address);
        if (m.Read<short>(IrpLayout.Type) != IO_TYPE.IO_TYPE_IRP)
        {
            // Freeing something that is not (or no longer) an IRP: the pool block was already freed.
            _machine.BugCheck.Raise(BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS, irp.Address, 0, 0, 0);
        }

        var cancelRoutine = m.Read<ulong>(IrpLayout.CancelRoutine);
        if (cancelRoutine != 0)
        {
            _machine.BugCheck.Raise(BugCheckCode.CANCEL_STATE_IN_COMPLETED_IRP, irp.Address, cancelRoutine, 0, 0);
        }

        var stackCount = m.Read<sbyte>(IrpLayout.StackCount);
        ReleaseStackLocationPins(in m, stackCount);
        m.Write(IrpLayout.Type, (short)0);
        var flags = m.Read<byte>(IrpLayout.AllocationFlags);
        if ((flags & IRP_FLAGS.IRP_LOOKASIDE_ALLOCATION) != 0)
        {
            var thread = _machine.Ke.CurrentThread;
            var prcb = thread.Processor!;
            if (prcb.CurrentThread == thread)
            {
                var list = LookasideFor(prcb, stackCount);
                if (list.Count < 64)
                {
                    list.Push(irp.Address);
                    return;
                }
            }
        }

        FreePool(irp.Address);
    }

    /// <summary>IoReuseIrp: reinitialises an IRP for another request, keeping its allocation, with the given status.</summary>
    internal void ReuseIrp(IRP irp, NTSTATUS status)
    {
        var allocationFlags = Mm.Read<byte>(irp.Address + IrpLayout.AllocationFlags);
        var stackCount = irp.StackCount;
        var size = Mm.Read<ushort>(irp.Address + IrpLayout.SizeField);
        ReleaseStackLocationPins(new IrpMemory(Mm, irp.Address), stackCount);
        InitializeIrp(irp, size, (sbyte)((size - IrpLayout.Size) / IoStackLocationLayout.Size));
        Mm.Write(irp.Address + IrpLayout.StackCount, stackCount);
        Mm.Write(irp.Address + IrpLayout.CurrentLocation, (sbyte)(stackCount + 1));
        Mm.Write(irp.Address + IrpLayout.Tail_Overlay_CurrentStackLocation, irp.Address + (ulong)IrpLayout.StackLocationOffset(stackCount + 1));
        Mm.Write(irp.Address + IrpLayout.AllocationFlags, allocationFlags);
        irp.IoStatus.Status = status;
    }

    private void ReleaseStackLocationPins(in IrpMemory m, sbyte stackCount)
    {
        for (var i = 1; i <= stackCount; i++)
        {
            var context = IrpLayout.StackLocationOffset(i) + IoStackLocationLayout.Context;
            var ctx = m.Read<ulong>(context);
            if (ctx >= ManagedPointerTable.Base && ctx < ManagedPointerTable.Base + 0x1_0000_0000UL)
            {
                Pointers.Unpin(ctx);
                m.Write(context, 0UL);
            }
        }
    }

    // ---- Stack locations ---------------------------------------------------------------------------

    internal static IO_STACK_LOCATION GetCurrentIrpStackLocation(IRP irp) => new(irp.Tail.Overlay.CurrentStackLocation);

    internal static IO_STACK_LOCATION GetNextIrpStackLocation(IRP irp) =>
        new(irp.Tail.Overlay.CurrentStackLocation - IoStackLocationLayout.Size);

    /// <summary>
    /// IoSetNextIrpStackLocation: the caller of a fresh IRP takes its first location for itself (so that a
    /// completion routine it sets in the location above runs).
    /// </summary>
    internal static void SetNextIrpStackLocation(IRP irp) => MoveIrpStackLocation(irp, -1);

    /// <summary>IoSkipCurrentIrpStackLocation: the next driver sees the same location this one got.</summary>
    internal static void SkipCurrentIrpStackLocation(IRP irp) => MoveIrpStackLocation(irp, 1);

    /// <summary>CurrentLocation and CurrentStackLocation moved together by <paramref name="by"/> locations.</summary>
    private static void MoveIrpStackLocation(IRP irp, int by)
    {
        var m = new IrpMemory(ViewMemory.Mm, irp.Address);
        m.Write(IrpLayout.CurrentLocation, (sbyte)(m.Read<sbyte>(IrpLayout.CurrentLocation) + by));
        m.Write(IrpLayout.Tail_Overlay_CurrentStackLocation,
            m.Read<ulong>(IrpLayout.Tail_Overlay_CurrentStackLocation) + (ulong)(by * IoStackLocationLayout.Size));
    }

    /// <summary>
    /// IoCopyCurrentIrpStackLocationToNext: copies everything up to (not including) CompletionRoutine and
    /// clears the next location's Control, so no completion routine is inherited.
    /// </summary>
    internal void CopyCurrentIrpStackLocationToNext(IRP irp)
    {
        var m = new IrpMemory(Mm, irp.Address);
        var current = m.Read<ulong>(IrpLayout.Tail_Overlay_CurrentStackLocation);
        var next = current - IoStackLocationLayout.Size;
        var from = m.OffsetOf(current);
        var to = m.OffsetOf(next);
        if (from >= 0 && to >= 0 && !m.Bytes.IsEmpty)
        {
            // Everything before CompletionRoutine: major/minor, flags, control, parameters, device, file.
            m.Bytes.Slice(from, IoStackLocationLayout.CompletionRoutine).CopyTo(m.Bytes.Slice(to, IoStackLocationLayout.CompletionRoutine));
        }
        else
        {
            Span<byte> bytes = stackalloc byte[IoStackLocationLayout.CompletionRoutine];
            Mm.Read(current, bytes);
            Mm.Write(next, bytes);
        }

        m.WriteAt(next + IoStackLocationLayout.Control, (byte)0);
    }

    /// <summary>
    /// IoSetCompletionRoutine: the routine runs when the IRP completes past the next lower driver, on
    /// success, error and/or cancel as asked.
    /// </summary>
    internal void SetCompletionRoutine(IRP irp, IO_COMPLETION_ROUTINE? routine, object? context,
        bool invokeOnSuccess, bool invokeOnError, bool invokeOnCancel)
    {
        var m = new IrpMemory(Mm, irp.Address);
        var next = m.Read<ulong>(IrpLayout.Tail_Overlay_CurrentStackLocation) - IoStackLocationLayout.Size;
        var old = m.ReadAt<ulong>(next + IoStackLocationLayout.Context);
        if (old >= ManagedPointerTable.Base && old < ManagedPointerTable.Base + 0x1_0000_0000UL)
        {
            Pointers.Unpin(old);
        }

        // The routine is code of the driver calling: its address is known after its first use.
        var address = routine is null ? 0 : Thunks.RecentAddress(routine);
        if (address == 0)
        {
            address = Thunks.Register(_machine.Ke.CurrentModule(), routine);
        }

        m.WriteAt(next + IoStackLocationLayout.CompletionRoutine, address);
        m.WriteAt(next + IoStackLocationLayout.Context, Pointers.Pin(context));
        byte control = 0;
        if (routine is not null)
        {
            if (invokeOnSuccess)
            {
                control |= SL_FLAGS.SL_INVOKE_ON_SUCCESS;
            }

            if (invokeOnError)
            {
                control |= SL_FLAGS.SL_INVOKE_ON_ERROR;
            }

            if (invokeOnCancel)
            {
                control |= SL_FLAGS.SL_INVOKE_ON_CANCEL;
            }
        }

        m.WriteAt(next + IoStackLocationLayout.Control, control);
    }

    /// <summary>IoMarkIrpPending: SL_PENDING_RETURNED in the current location.</summary>
    internal void MarkIrpPending(IRP irp)
    {
        var sl = irp.Tail.Overlay.CurrentStackLocation;
        var control = Mm.Read<byte>(sl + IoStackLocationLayout.Control);
        Mm.Write(sl + IoStackLocationLayout.Control, (byte)(control | SL_FLAGS.SL_PENDING_RETURNED));
        Trace?.OnPending(irp);
        _machine.Events.Record($"IoMarkIrpPending {irp}");
    }
}
