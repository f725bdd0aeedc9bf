using System.Buffers.Binary;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// A machine as a debugger target. Objects are read from their bytes in simulated memory as a kernel
/// debugger reads them: through the page tables, without faulting, paging or taking references, so the
/// machine can be running (broken in) or stopped by a bug check. What has no bytes (device names, the
/// device an attached device sits on, the object namespace) comes from the I/O and Object managers.
/// </summary>
internal sealed class LiveTarget(Machine machine) : DebugTarget
{
    /// <summary>The longest NextDevice chain followed: a corrupt list must not hang the debugger.</summary>
    private const int MaxChain = 4096;

    private MemoryManager Mm => machine.Mm;

    internal override string Kind => "live machine";

    internal override IReadOnlyList<KdDevNode> DevNodes =>
        [.. machine.Pnp.SnapshotNodes().Select(n => new KdDevNode(n.PhysicalDeviceObject.Address, n.Level, n.InstancePath, n.ServiceName,
            (int)n.State, (int)n.PreviousState, n.Problem))];

    internal override BugCheckInfo? BugCheck => machine.BugCheckInfo;

    internal override IReadOnlyList<ModuleSnapshot> Modules =>
        [.. machine.Modules.Snapshot().Select(m => new ModuleSnapshot(m.Name, m.Base, m.Size, m.Unloaded))];

    internal override IReadOnlyList<ProcessorSnapshot> Processors =>
        machine.BugCheckInfo?.Processors
        ?? [.. machine.Ke.Processors.Select(p => new ProcessorSnapshot(p.Number, p.Irql, p.CurrentThread?.Name, p.CurrentThread?.Address ?? 0, p.DpcRoutineActive))];

    internal override int CurrentProcessor => machine.BugCheckInfo?.CrashingProcessor ?? 0;

    internal override IReadOnlyList<StackFrameSnapshot> Stack
    {
        get
        {
            if (machine.BugCheckInfo is { } info)
            {
                return info.Stack;
            }

            // Broken in: the thread on the debugger's processor, innermost frame first.
            var thread = machine.Ke.Processors[0].CurrentThread;
            var frames = thread is null ? [] : thread.Frames.ToArray();
            var stack = new List<StackFrameSnapshot>(frames.Length);
            for (var i = frames.Length - 1; i >= 0; i--)
            {
                stack.Add(new StackFrameSnapshot(frames[i].Module.Name, frames[i].Routine, frames[i].Address, Symbol(frames[i].Address)!));
            }

            return stack;
        }
    }

    internal override IReadOnlyList<PoolTagUsage> PoolUsage => Mm.QueryPoolUsage();

    internal override IReadOnlyList<KdDriver> Drivers =>
        [.. machine.Io.Drivers.Select(d => Driver(d.DriverObject.Address)).OfType<KdDriver>()];

    internal override IReadOnlyList<KdDevice> Devices =>
        [.. machine.Io.SnapshotDevices().Select(r => Device(r.Device.Address)).OfType<KdDevice>().OrderBy(d => d.Address)];

    internal override IReadOnlyList<KdIrp> Irps
    {
        get
        {
            // As !irpfind does: every allocated block tagged 'Irp ' in nonpaged pool whose Type says IRP.
            var irps = new List<KdIrp>();
            var pool = Mm.NonPagedPool;
            for (var index = 0; index < pool.Layout.Length; index++)
            {
                var layout = pool.Layout[index];
                var va = pool.Region.PageAddress(index);
                if (layout > 0)
                {
                    foreach (var block in ReadSmallPage(va))
                    {
                        if (!block.Free && block.Header.PoolTag == IoManager.TagIrp && Irp(block.Address + PoolHeader.Size) is { } irp)
                        {
                            irps.Add(irp);
                        }
                    }
                }
                else if (layout == PoolDescriptor.LayoutBigStart && BigEntry(pool, va) is { Tag: IoManager.TagIrp } && Irp(va) is { } big)
                {
                    irps.Add(big);
                }
            }

            return irps;
        }
    }

    internal override IReadOnlyList<KdObject> Objects =>
        [.. machine.Ob.SnapshotNamespace().Select(e => ObjectOf(e.Header, e.Path))];

    internal override IReadOnlyList<KdPoolPage> PoolPages
    {
        get
        {
            var pages = new List<KdPoolPage>();
            foreach (var pool in (PoolDescriptor[])[Mm.NonPagedPool, Mm.PagedPool])
            {
                for (var index = 0; index < pool.Layout.Length; index++)
                {
                    var layout = pool.Layout[index];
                    if ((layout > 0 || layout == PoolDescriptor.LayoutBigStart) && PoolPage(pool.Region.PageAddress(index)) is { } page)
                    {
                        pages.Add(page);
                    }
                }
            }

            return pages;
        }
    }

    internal override VerifierStatus Verifier => VerifierQuery.Query(machine);

    internal override KdDevice? Device(ulong address)
    {
        Span<byte> b = stackalloc byte[DeviceObjectLayout.Size];
        if (!TryRead(address, b) || I16(b, DeviceObjectLayout.Type) != IO_TYPE.IO_TYPE_DEVICE)
        {
            return null;
        }

        var record = machine.Io.RecordOf(new DEVICE_OBJECT(address));
        var driver = U64(b, DeviceObjectLayout.DriverObject);
        return new KdDevice(
            address,
            record?.Name,
            I16(b, DeviceObjectLayout.Type),
            BinaryPrimitives.ReadUInt16LittleEndian(b[DeviceObjectLayout.SizeField..]),
            BinaryPrimitives.ReadInt32LittleEndian(b[DeviceObjectLayout.ReferenceCount..]),
            driver,
            DriverNameAt(driver),
            U64(b, DeviceObjectLayout.NextDevice),
            U64(b, DeviceObjectLayout.AttachedDevice),
            record?.AttachedTo.Address ?? 0,
            U64(b, DeviceObjectLayout.CurrentIrp),
            U32(b, DeviceObjectLayout.Flags),
            U32(b, DeviceObjectLayout.Characteristics),
            U64(b, DeviceObjectLayout.Vpb),
            U64(b, DeviceObjectLayout.DeviceExtension),
            U32(b, DeviceObjectLayout.DeviceType),
            (sbyte)b[DeviceObjectLayout.StackSize],
            U32(b, DeviceObjectLayout.AlignmentRequirement),
            BinaryPrimitives.ReadUInt16LittleEndian(b[DeviceObjectLayout.SectorSize..]),
            U64(b, DeviceObjectLayout.DeviceObjectExtension),
            record?.DeletePending ?? false,
            record?.StartIoBusy ?? false,
            record?.StartIoQueue.Count ?? 0);
    }

    internal override KdDriver? Driver(ulong address)
    {
        Span<byte> b = stackalloc byte[DriverObjectLayout.Size];
        if (!TryRead(address, b) || I16(b, DriverObjectLayout.Type) != IO_TYPE.IO_TYPE_DRIVER)
        {
            return null;
        }

        var devices = new List<ulong>();
        for (var d = U64(b, DriverObjectLayout.DeviceObject); d != 0 && devices.Count < MaxChain; d = ReadU64(d + DeviceObjectLayout.NextDevice))
        {
            devices.Add(d);
        }

        var extension = U64(b, DriverObjectLayout.DriverExtension);
        var start = U64(b, DriverObjectLayout.DriverStart);
        var majors = new KdRoutine[DRIVER_OBJECT.MajorFunctionTable.Count];
        for (var i = 0; i < majors.Length; i++)
        {
            majors[i] = Routine(U64(b, DriverObjectLayout.MajorFunction + (i * 8)));
        }

        return new KdDriver(
            address,
            DriverNameAt(address),
            machine.Io.DriverOf(new DRIVER_OBJECT(address))?.Module.Name ?? machine.Modules.Find(start)?.Name ?? "",
            U32(b, DriverObjectLayout.Flags),
            start,
            U32(b, DriverObjectLayout.DriverSize),
            extension,
            devices,
            Routine(U64(b, DriverObjectLayout.DriverInit)),
            Routine(U64(b, DriverObjectLayout.DriverStartIo)),
            Routine(U64(b, DriverObjectLayout.DriverUnload)),
            extension == 0 ? KdRoutine.None : Routine(ReadU64(extension + DriverExtensionLayout.AddDevice)),
            majors,
            FastIoRoutines(U64(b, DriverObjectLayout.FastIoDispatch)));
    }

    /// <summary>The members of FAST_IO_DISPATCH after SizeOfFastIoDispatch, in declaration order (each 8 bytes).</summary>
    private static readonly string[] s_fastIoMembers =
    [
        "FastIoCheckIfPossible", "FastIoRead", "FastIoWrite", "FastIoQueryBasicInfo", "FastIoQueryStandardInfo", "FastIoLock",
        "FastIoUnlockSingle", "FastIoUnlockAll", "FastIoUnlockAllByKey", "FastIoDeviceControl", "AcquireFileForNtCreateSection",
        "ReleaseFileForNtCreateSection", "FastIoDetachDevice", "FastIoQueryNetworkOpenInfo", "AcquireForModWrite", "MdlRead",
        "MdlReadComplete", "PrepareMdlWrite", "MdlWriteComplete", "FastIoReadCompressed", "FastIoWriteCompressed",
        "MdlReadCompleteCompressed", "MdlWriteCompleteCompressed", "FastIoQueryOpen", "ReleaseForModWrite", "AcquireForCcFlush",
        "ReleaseForCcFlush",
    ];

    /// <summary>The non-NULL entries of a FAST_IO_DISPATCH that lie inside the size the driver gave it.</summary>
    private List<KdFastIoRoutine> FastIoRoutines(ulong table)
    {
        var routines = new List<KdFastIoRoutine>();
        Span<byte> size = stackalloc byte[4];
        if (table == 0 || !TryRead(table + FastIoDispatchLayout.SizeOfFastIoDispatch, size))
        {
            return routines;
        }

        var bytes = BinaryPrimitives.ReadUInt32LittleEndian(size);
        for (var i = 0; i < s_fastIoMembers.Length; i++)
        {
            var offset = FastIoDispatchLayout.FastIoCheckIfPossible + (i * 8);
            if (offset + 8 <= bytes && ReadU64(table + (ulong)offset) is var address and not 0)
            {
                routines.Add(new KdFastIoRoutine(s_fastIoMembers[i], Routine(address)));
            }
        }

        return routines;
    }

    internal override KdIrp? Irp(ulong address)
    {
        Span<byte> b = stackalloc byte[IrpLayout.Size];
        if (!TryRead(address, b) || I16(b, IrpLayout.Type) != IO_TYPE.IO_TYPE_IRP)
        {
            return null;
        }

        var count = (sbyte)b[IrpLayout.StackCount];
        if (count < 1)
        {
            return null;
        }

        var locations = new List<KdIrpStackLocation>(count);
        Span<byte> s = stackalloc byte[IoStackLocationLayout.Size];
        for (var i = 0; i < count; i++)
        {
            if (!TryRead(address + IrpLayout.Size + ((ulong)i * IoStackLocationLayout.Size), s))
            {
                return null;
            }

            var device = U64(s, IoStackLocationLayout.DeviceObject);
            locations.Add(new KdIrpStackLocation(
                s[IoStackLocationLayout.MajorFunction],
                s[IoStackLocationLayout.MinorFunction],
                s[IoStackLocationLayout.Flags],
                s[IoStackLocationLayout.Control],
                device,
                device == 0 ? null : DriverNameAt(ReadU64(device + DeviceObjectLayout.DriverObject)),
                U64(s, IoStackLocationLayout.FileObject),
                Routine(U64(s, IoStackLocationLayout.CompletionRoutine)),
                U64(s, IoStackLocationLayout.Context),
                U64(s, IoStackLocationLayout.Parameters_Others_Argument1),
                U64(s, IoStackLocationLayout.Parameters_Others_Argument2),
                U64(s, IoStackLocationLayout.Parameters_Others_Argument3),
                U64(s, IoStackLocationLayout.Parameters_Others_Argument4)));
        }

        return new KdIrp(
            address,
            I16(b, IrpLayout.Type),
            BinaryPrimitives.ReadUInt16LittleEndian(b[IrpLayout.SizeField..]),
            count,
            (sbyte)b[IrpLayout.CurrentLocation],
            U32(b, IrpLayout.Flags),
            U64(b, IrpLayout.MdlAddress),
            U64(b, IrpLayout.AssociatedIrp_SystemBuffer),
            U64(b, IrpLayout.Tail_Overlay_Thread),
            U64(b, IrpLayout.UserBuffer),
            U64(b, IrpLayout.UserIosb),
            U64(b, IrpLayout.UserEvent),
            BinaryPrimitives.ReadInt32LittleEndian(b[IrpLayout.IoStatus_Status..]),
            U64(b, IrpLayout.IoStatus_Information),
            b[IrpLayout.RequestorMode],
            b[IrpLayout.PendingReturned] != 0,
            b[IrpLayout.Cancel] != 0,
            Routine(U64(b, IrpLayout.CancelRoutine)),
            locations);
    }

    internal override KdObject? Object(ulong address) =>
        machine.Ob.FindObjectForDebugger(address) is { } header ? ObjectOf(header, null) : null;

    internal override KdObject? Object(string path) =>
        machine.Ob.LookupForDebugger(path) is { } header ? ObjectOf(header, path) : null;

    internal override KdPoolPage? PoolPage(ulong address)
    {
        var pool = Mm.NonPagedRegion.Contains(address) ? Mm.NonPagedPool : Mm.PagedRegion.Contains(address) ? Mm.PagedPool : null;
        if (pool is null)
        {
            return null;
        }

        var index = pool.Region.PageIndex(address);
        var layout = pool.Layout[index];
        var va = pool.Region.PageAddress(index);
        if (layout > 0)
        {
            Span<byte> probe = stackalloc byte[1];
            var resident = TryRead(va, probe);
            return new KdPoolPage(va, pool.Paged, resident, resident ? ReadSmallPage(va) : []);
        }

        if (layout is PoolDescriptor.LayoutBigStart or PoolDescriptor.LayoutBigRest)
        {
            var first = index;
            while (first > 0 && pool.Layout[first] == PoolDescriptor.LayoutBigRest)
            {
                first--;
            }

            var start = pool.Region.PageAddress(first);
            if (BigEntry(pool, start) is { } big)
            {
                return new KdPoolPage(va, pool.Paged, Resident: true, [], start, big.Pages, big.Tag);
            }
        }

        return null;
    }

    /// <summary>The blocks of a small-block page, walked by their headers' BlockSize as !pool walks them.</summary>
    private List<KdPoolBlock> ReadSmallPage(ulong va)
    {
        var page = new byte[MemoryManager.PAGE_SIZE];
        var blocks = new List<KdPoolBlock>();
        if (Mm.ReadNoFault(null, va, page) != page.Length)
        {
            return blocks;
        }

        for (var offset = 0; offset + PoolHeader.Size <= page.Length;)
        {
            var header = PoolHeader.Read(page.AsSpan(offset));
            blocks.Add(new KdPoolBlock(va + (ulong)offset, header));
            if (header.BlockSize == 0)
            {
                // A corrupt header: the walk cannot go on (!pool stops there too).
                break;
            }

            offset += header.BlockSize * PoolHeader.Size;
        }

        return blocks;
    }

    private static BigPoolEntry? BigEntry(PoolDescriptor pool, ulong start)
    {
        lock (pool.Lock)
        {
            return pool.BigPages.TryGetValue(start, out var entry) ? entry : null;
        }
    }

    private KdObject ObjectOf(ObjectHeader header, string? path)
    {
        var ob = machine.Ob;
        path ??= header.Directory is null ? null : ob.QueryName(header.Body);
        IReadOnlyList<KdDirectoryEntry>? entries = null;
        if (header.Body is OBJECT_DIRECTORY)
        {
            entries = [.. ob.QueryDirectory(header.Body).Select(e => new KdDirectoryEntry(e.Name, e.TypeName, ob.TryGetHeader(e.Object)?.Address ?? 0))];
        }

        return new KdObject(
            header.Address,
            header.HeaderAddress,
            header.Type.Name,
            header.Type.Address,
            header.HandleCount,
            Volatile.Read(ref header.PointerCount),
            header == ob.RootDirectoryHeader ? "\\" : path,
            header.Name,
            ob.DirectoryAddressOf(header),
            header.Permanent,
            (header.Body as OBJECT_SYMBOLIC_LINK)?.LinkTarget,
            entries);
    }

    /// <summary>DRIVER_OBJECT.DriverName read from the driver object's bytes ("" if unreadable).</summary>
    private string DriverNameAt(ulong driverObject)
    {
        if (driverObject == 0)
        {
            return "";
        }

        Span<byte> name = stackalloc byte[UnicodeStringLayout.Size];
        if (!TryRead(driverObject + DriverObjectLayout.DriverName, name))
        {
            return "";
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(name[UnicodeStringLayout.Length..]);
        var buffer = U64(name, UnicodeStringLayout.Buffer);
        var chars = new byte[length];
        return length > 0 && TryRead(buffer, chars) ? System.Text.Encoding.Unicode.GetString(chars) : "";
    }

    private KdRoutine Routine(ulong address) => address == 0 ? KdRoutine.None : new KdRoutine(address, Symbol(address));

    private string? Symbol(ulong address) => address == 0 ? null : KdSymbols.Normalize(machine.Modules.Symbolize(address));

    private bool TryRead(ulong address, Span<byte> buffer) =>
        address != 0 && MemoryManager.IsCanonical(address) && Mm.ReadNoFault(null, address, buffer) == buffer.Length;

    private ulong ReadU64(ulong address)
    {
        Span<byte> b = stackalloc byte[8];
        return TryRead(address, b) ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
    }

    private static short I16(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadInt16LittleEndian(b[offset..]);

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(b[offset..]);
}
