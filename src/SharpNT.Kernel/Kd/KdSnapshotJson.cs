using System.Globalization;
using System.Text.Json;
using SharpNT.Kernel.Mm;
using SharpNT.Kernel.Vf;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// The "machineState" section of a crash dump: <see cref="KdSnapshot"/> as JSON. Addresses are 0x-prefixed
/// hex strings, as in the rest of the dump; a pool block is its POOL_HEADER's first 16 bytes.
/// </summary>
internal static class KdSnapshotJson
{
    internal static void Write(Utf8JsonWriter w, KdSnapshot s)
    {
        w.WriteStartObject();
        w.WriteStartArray("drivers");
        foreach (var d in s.Drivers)
        {
            w.WriteStartObject();
            w.WriteString("address", Hex(d.Address));
            w.WriteString("name", d.Name);
            w.WriteString("image", d.ImageName);
            w.WriteNumber("flags", d.Flags);
            w.WriteString("driverStart", Hex(d.DriverStart));
            w.WriteNumber("driverSize", d.DriverSize);
            w.WriteString("driverExtension", Hex(d.DriverExtension));
            w.WriteStartArray("devices");
            foreach (var device in d.Devices)
            {
                w.WriteStringValue(Hex(device));
            }

            w.WriteEndArray();
            Routine(w, "driverInit", d.DriverInit);
            Routine(w, "driverStartIo", d.DriverStartIo);
            Routine(w, "driverUnload", d.DriverUnload);
            Routine(w, "addDevice", d.AddDevice);
            w.WriteStartArray("majorFunction");
            foreach (var r in d.MajorFunction)
            {
                Routine(w, null, r);
            }

            w.WriteEndArray();
            w.WriteStartObject("fastIo");
            foreach (var f in d.FastIo)
            {
                Routine(w, f.Name, f.Routine);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("devices");
        foreach (var d in s.Devices)
        {
            w.WriteStartObject();
            w.WriteString("address", Hex(d.Address));
            w.WriteString("name", d.Name);
            w.WriteNumber("type", d.Type);
            w.WriteNumber("size", d.Size);
            w.WriteNumber("referenceCount", d.ReferenceCount);
            w.WriteString("driverObject", Hex(d.DriverObject));
            w.WriteString("driverName", d.DriverName);
            w.WriteString("nextDevice", Hex(d.NextDevice));
            w.WriteString("attachedDevice", Hex(d.AttachedDevice));
            w.WriteString("attachedTo", Hex(d.AttachedTo));
            w.WriteString("currentIrp", Hex(d.CurrentIrp));
            w.WriteNumber("flags", d.Flags);
            w.WriteNumber("characteristics", d.Characteristics);
            w.WriteString("vpb", Hex(d.Vpb));
            w.WriteString("deviceExtension", Hex(d.DeviceExtension));
            w.WriteNumber("deviceType", d.DeviceType);
            w.WriteNumber("stackSize", d.StackSize);
            w.WriteNumber("alignmentRequirement", d.AlignmentRequirement);
            w.WriteNumber("sectorSize", d.SectorSize);
            w.WriteString("devObjExtension", Hex(d.DevObjExtension));
            w.WriteBoolean("deletePending", d.DeletePending);
            w.WriteBoolean("deviceQueueBusy", d.DeviceQueueBusy);
            w.WriteNumber("deviceQueueLength", d.DeviceQueueLength);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("irps");
        foreach (var i in s.Irps)
        {
            w.WriteStartObject();
            w.WriteString("address", Hex(i.Address));
            w.WriteNumber("type", i.Type);
            w.WriteNumber("size", i.Size);
            w.WriteNumber("stackCount", i.StackCount);
            w.WriteNumber("currentLocation", i.CurrentLocation);
            w.WriteNumber("flags", i.Flags);
            w.WriteString("mdlAddress", Hex(i.MdlAddress));
            w.WriteString("systemBuffer", Hex(i.SystemBuffer));
            w.WriteString("thread", Hex(i.Thread));
            w.WriteString("userBuffer", Hex(i.UserBuffer));
            w.WriteString("userIosb", Hex(i.UserIosb));
            w.WriteString("userEvent", Hex(i.UserEvent));
            w.WriteNumber("status", i.Status);
            w.WriteString("information", Hex(i.Information));
            w.WriteNumber("requestorMode", i.RequestorMode);
            w.WriteBoolean("pendingReturned", i.PendingReturned);
            w.WriteBoolean("cancel", i.Cancel);
            Routine(w, "cancelRoutine", i.CancelRoutine);
            w.WriteStartArray("locations");
            foreach (var l in i.Locations)
            {
                w.WriteStartObject();
                w.WriteNumber("major", l.MajorFunction);
                w.WriteNumber("minor", l.MinorFunction);
                w.WriteNumber("flags", l.Flags);
                w.WriteNumber("control", l.Control);
                w.WriteString("deviceObject", Hex(l.DeviceObject));
                w.WriteString("driverName", l.DriverName);
                w.WriteString("fileObject", Hex(l.FileObject));
                Routine(w, "completionRoutine", l.CompletionRoutine);
                w.WriteString("context", Hex(l.Context));
                w.WriteStartArray("arguments");
                foreach (var a in (ulong[])[l.Argument1, l.Argument2, l.Argument3, l.Argument4])
                {
                    w.WriteStringValue(Hex(a));
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("objects");
        foreach (var o in s.Objects)
        {
            w.WriteStartObject();
            w.WriteString("address", Hex(o.Address));
            w.WriteString("header", Hex(o.HeaderAddress));
            w.WriteString("type", o.TypeName);
            w.WriteString("typeAddress", Hex(o.TypeAddress));
            w.WriteNumber("handleCount", o.HandleCount);
            w.WriteNumber("pointerCount", o.PointerCount);
            w.WriteString("path", o.Path);
            w.WriteString("name", o.Name);
            w.WriteString("directory", Hex(o.DirectoryAddress));
            w.WriteBoolean("permanent", o.Permanent);
            if (o.LinkTarget is not null)
            {
                w.WriteString("linkTarget", o.LinkTarget);
            }

            if (o.Entries is not null)
            {
                w.WriteStartArray("entries");
                foreach (var e in o.Entries)
                {
                    w.WriteStartObject();
                    w.WriteString("name", e.Name);
                    w.WriteString("type", e.TypeName);
                    w.WriteString("address", Hex(e.Address));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("poolPages");
        var header = new byte[PoolHeader.Size];
        foreach (var p in s.PoolPages)
        {
            w.WriteStartObject();
            w.WriteString("address", Hex(p.Address));
            w.WriteString("pool", p.Paged ? "Paged" : "NonPaged");
            w.WriteBoolean("resident", p.Resident);
            if (p.BigPages > 0)
            {
                w.WriteString("bigStart", Hex(p.BigStart));
                w.WriteNumber("bigPages", p.BigPages);
                w.WriteString("bigTag", PoolTags.ToString(p.BigTag));
            }

            // Each block as "offset:header", the header its 16 bytes in hex (the bytes !pool decodes).
            w.WriteStartArray("blocks");
            foreach (var b in p.Blocks)
            {
                b.Header.Write(header);
                w.WriteStringValue($"{(b.Address - p.Address).ToString("x3", CultureInfo.InvariantCulture)}:{Convert.ToHexStringLower(header)}");
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("verifier");
        w.WriteNumber("flags", s.Verifier.Flags);
        w.WriteBoolean("allDrivers", s.Verifier.AllDrivers);
        w.WriteStartArray("drivers");
        foreach (var d in s.Verifier.Drivers)
        {
            w.WriteStartObject();
            w.WriteString("image", d.ImageName);
            w.WriteBoolean("loaded", d.Loaded);
            w.WriteBoolean("unloaded", d.Unloaded);
            w.WriteNumber("pagedAllocations", d.CurrentPagedAllocations);
            w.WriteNumber("pagedBytes", d.CurrentPagedBytes);
            w.WriteNumber("nonPagedAllocations", d.CurrentNonPagedAllocations);
            w.WriteNumber("nonPagedBytes", d.CurrentNonPagedBytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("irpLogs");
        foreach (var log in s.Verifier.IrpLogs)
        {
            w.WriteStartObject();
            w.WriteString("device", Hex(log.DeviceObject));
            w.WriteStartArray("entries");
            foreach (var e in log.Entries)
            {
                w.WriteStartObject();
                w.WriteString("irp", Hex(e.Irp));
                w.WriteNumber("major", e.MajorFunction);
                w.WriteNumber("minor", e.MinorFunction);
                w.WriteNumber("ioControlCode", e.IoControlCode);
                if (e.Status is { } status)
                {
                    w.WriteNumber("status", (uint)status);
                }

                w.WriteString("thread", Hex(e.Thread));
                w.WriteNumber("time", e.Time);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        if (s.DevNodes is { } nodes)
        {
            w.WriteStartArray("devNodes");
            foreach (var n in nodes)
            {
                w.WriteStartObject();
                w.WriteString("pdo", Hex(n.PhysicalDeviceObject));
                w.WriteNumber("level", n.Level);
                w.WriteString("instancePath", n.InstancePath);
                w.WriteString("service", n.ServiceName);
                w.WriteNumber("state", n.State);
                w.WriteNumber("previousState", n.PreviousState);
                w.WriteNumber("problem", n.Problem);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    /// <summary>Reads the section back; malformed input throws what <see cref="Ke.CrashDump.Read"/> turns into a clear error.</summary>
    internal static KdSnapshot Read(JsonElement e) => ReadSections(e) with
    {
        DevNodes = e.TryGetProperty("devNodes", out var nodes)
            ? [.. nodes.EnumerateArray().Select(n => new KdDevNode(Addr(n, "pdo"), n.GetProperty("level").GetInt32(), Str(n, "instancePath"),
                n.GetProperty("service").GetString(), n.GetProperty("state").GetInt32(), n.GetProperty("previousState").GetInt32(),
                n.GetProperty("problem").GetUInt32()))]
            : null,
    };

    private static KdSnapshot ReadSections(JsonElement e) => new(
        [.. e.GetProperty("drivers").EnumerateArray().Select(d => new KdDriver(
            Addr(d, "address"), Str(d, "name"), Str(d, "image"), d.GetProperty("flags").GetUInt32(), Addr(d, "driverStart"),
            d.GetProperty("driverSize").GetUInt32(), Addr(d, "driverExtension"),
            [.. d.GetProperty("devices").EnumerateArray().Select(x => ParseHex(x.GetString()))],
            Routine(d.GetProperty("driverInit")), Routine(d.GetProperty("driverStartIo")), Routine(d.GetProperty("driverUnload")),
            Routine(d.GetProperty("addDevice")), [.. d.GetProperty("majorFunction").EnumerateArray().Select(Routine)],
            d.TryGetProperty("fastIo", out var fastIo) ? [.. fastIo.EnumerateObject().Select(f => new KdFastIoRoutine(f.Name, Routine(f.Value)))] : []))],
        [.. e.GetProperty("devices").EnumerateArray().Select(d => new KdDevice(
            Addr(d, "address"), d.GetProperty("name").GetString(), d.GetProperty("type").GetInt16(), d.GetProperty("size").GetUInt16(),
            d.GetProperty("referenceCount").GetInt32(), Addr(d, "driverObject"), Str(d, "driverName"), Addr(d, "nextDevice"),
            Addr(d, "attachedDevice"), Addr(d, "attachedTo"), Addr(d, "currentIrp"), d.GetProperty("flags").GetUInt32(),
            d.GetProperty("characteristics").GetUInt32(), Addr(d, "vpb"), Addr(d, "deviceExtension"), d.GetProperty("deviceType").GetUInt32(),
            d.GetProperty("stackSize").GetSByte(), d.GetProperty("alignmentRequirement").GetUInt32(), d.GetProperty("sectorSize").GetUInt16(),
            Addr(d, "devObjExtension"), d.GetProperty("deletePending").GetBoolean(), d.GetProperty("deviceQueueBusy").GetBoolean(),
            d.GetProperty("deviceQueueLength").GetInt32()))],
        [.. e.GetProperty("irps").EnumerateArray().Select(i => new KdIrp(
            Addr(i, "address"), i.GetProperty("type").GetInt16(), i.GetProperty("size").GetUInt16(), i.GetProperty("stackCount").GetSByte(),
            i.GetProperty("currentLocation").GetSByte(), i.GetProperty("flags").GetUInt32(), Addr(i, "mdlAddress"), Addr(i, "systemBuffer"),
            Addr(i, "thread"), Addr(i, "userBuffer"), Addr(i, "userIosb"), Addr(i, "userEvent"), i.GetProperty("status").GetInt32(),
            Addr(i, "information"), i.GetProperty("requestorMode").GetByte(), i.GetProperty("pendingReturned").GetBoolean(),
            i.GetProperty("cancel").GetBoolean(), Routine(i.GetProperty("cancelRoutine")),
            [.. i.GetProperty("locations").EnumerateArray().Select(Location)]))],
        [.. e.GetProperty("objects").EnumerateArray().Select(o => new KdObject(
            Addr(o, "address"), Addr(o, "header"), Str(o, "type"), Addr(o, "typeAddress"), o.GetProperty("handleCount").GetInt64(),
            o.GetProperty("pointerCount").GetInt64(), o.GetProperty("path").GetString(), o.GetProperty("name").GetString(),
            Addr(o, "directory"), o.GetProperty("permanent").GetBoolean(),
            o.TryGetProperty("linkTarget", out var link) ? link.GetString() : null,
            o.TryGetProperty("entries", out var entries)
                ? [.. entries.EnumerateArray().Select(x => new KdDirectoryEntry(Str(x, "name"), Str(x, "type"), Addr(x, "address")))]
                : null))],
        [.. e.GetProperty("poolPages").EnumerateArray().Select(Page)],
        Verifier(e.GetProperty("verifier")));

    private static KdIrpStackLocation Location(JsonElement l)
    {
        var args = l.GetProperty("arguments").EnumerateArray().Select(x => ParseHex(x.GetString())).ToArray();
        if (args.Length != 4)
        {
            throw new FormatException("a stack location has four arguments");
        }

        return new KdIrpStackLocation(
            l.GetProperty("major").GetByte(), l.GetProperty("minor").GetByte(), l.GetProperty("flags").GetByte(), l.GetProperty("control").GetByte(),
            Addr(l, "deviceObject"), l.GetProperty("driverName").GetString(), Addr(l, "fileObject"), Routine(l.GetProperty("completionRoutine")),
            Addr(l, "context"), args[0], args[1], args[2], args[3]);
    }

    private static KdPoolPage Page(JsonElement p)
    {
        var address = Addr(p, "address");
        var blocks = new List<KdPoolBlock>();
        foreach (var b in p.GetProperty("blocks").EnumerateArray())
        {
            var text = b.GetString() ?? "";
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var bytes = colon > 0 ? Convert.FromHexString(text.AsSpan(colon + 1)) : [];
            if (bytes.Length != PoolHeader.Size)
            {
                throw new FormatException($"pool block '{text}' is not offset:16-byte header");
            }

            var offset = ulong.Parse(text.AsSpan(0, colon), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            blocks.Add(new KdPoolBlock(address + offset, PoolHeader.Read(bytes)));
        }

        var big = p.TryGetProperty("bigPages", out var pages);
        return new KdPoolPage(address, p.GetProperty("pool").GetString() == "Paged", p.GetProperty("resident").GetBoolean(), blocks,
            big ? Addr(p, "bigStart") : 0, big ? pages.GetInt32() : 0, big ? PoolTags.FromString(Str(p, "bigTag")) : 0);
    }

    private static VerifierStatus Verifier(JsonElement v) => new(
        v.GetProperty("flags").GetUInt32(),
        v.GetProperty("allDrivers").GetBoolean(),
        [.. v.GetProperty("drivers").EnumerateArray().Select(d => new VerifiedDriverStatus(
            Str(d, "image"), d.GetProperty("loaded").GetBoolean(), d.GetProperty("unloaded").GetBoolean(),
            d.GetProperty("pagedAllocations").GetInt64(), d.GetProperty("pagedBytes").GetInt64(),
            d.GetProperty("nonPagedAllocations").GetInt64(), d.GetProperty("nonPagedBytes").GetInt64()))])
    {
        // Dumps written before the IRP log was recorded have no "irpLogs": they read as no log.
        IrpLogs = v.TryGetProperty("irpLogs", out var logs)
            ? [.. logs.EnumerateArray().Select(l => new DeviceIrpLog(Addr(l, "device"), [.. l.GetProperty("entries").EnumerateArray().Select(IrpLogEntry)]))]
            : [],
    };

    private static IrpLogEntry IrpLogEntry(JsonElement e) => new(
        Addr(e, "irp"), e.GetProperty("major").GetByte(), e.GetProperty("minor").GetByte(), e.GetProperty("ioControlCode").GetUInt32(),
        e.TryGetProperty("status", out var status) ? (NTSTATUS)status.GetUInt32() : null, Addr(e, "thread"), e.GetProperty("time").GetInt64());

    private static void Routine(Utf8JsonWriter w, string? name, KdRoutine r)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }

        w.WriteString("address", Hex(r.Address));
        w.WriteString("symbol", r.Symbol);
        w.WriteEndObject();
    }

    private static KdRoutine Routine(JsonElement e) => new(Addr(e, "address"), e.GetProperty("symbol").GetString());

    private static ulong Addr(JsonElement e, string name) => ParseHex(e.GetProperty(name).GetString());

    private static string Str(JsonElement e, string name) => e.GetProperty(name).GetString() ?? "";

    private static string Hex(ulong value) => "0x" + value.ToString("X16", CultureInfo.InvariantCulture);

    private static ulong ParseHex(string? text) =>
        text is not null && text.StartsWith("0x", StringComparison.Ordinal)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
            : throw new FormatException($"expected a 0x-prefixed hex number, found '{text}'");
}
