using System.Text.Json;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// The crash dump file: a JSON document with the stop code and parameters, each processor's IRQL and
/// thread, the crashing thread's driver frames, the loaded modules and pool usage by tag; and, for the
/// debugger, the machine state (devices, drivers, namespace, IRPs, pool pages, verifier), which a dump
/// written before it existed lacks.
/// </summary>
public static class CrashDump
{
    /// <summary>Format marker written in every dump.</summary>
    public const string Format = "SharpNT crash dump 1";

    public static void Write(BugCheckInfo info, string path)
    {
        using var stream = File.Create(path);
        Write(info, stream);
    }

    public static void Write(BugCheckInfo info, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteString("stopCode", Hex(info.Code, 8));
        w.WriteString("name", info.Name);
        w.WriteStartArray("parameters");
        foreach (var p in info.Parameters)
        {
            w.WriteStringValue(Hex(p, 16));
        }

        w.WriteEndArray();
        w.WriteString("faultingModule", info.FaultingModule);
        w.WriteString("faultingAddress", Hex(info.FaultingAddress, 16));
        w.WriteString("faultingSymbol", info.FaultingSymbol);
        w.WriteNumber("crashingProcessor", info.CrashingProcessor);
        w.WriteString("crashingThread", info.CrashingThread);
        w.WriteNumber("interruptTime", info.InterruptTime);
        w.WriteStartArray("processors");
        foreach (var p in info.Processors)
        {
            w.WriteStartObject();
            w.WriteNumber("number", p.Number);
            w.WriteNumber("irql", p.Irql);
            w.WriteString("irqlName", Irql.Name(p.Irql));
            w.WriteString("thread", p.CurrentThread);
            w.WriteString("threadAddress", Hex(p.CurrentThreadAddress, 16));
            w.WriteBoolean("inDpc", p.InDpc);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("stack");
        foreach (var f in info.Stack)
        {
            w.WriteStartObject();
            w.WriteString("module", f.Module);
            w.WriteString("routine", f.Routine);
            w.WriteString("address", Hex(f.Address, 16));
            w.WriteString("symbol", f.Symbol);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("modules");
        foreach (var m in info.Modules)
        {
            w.WriteStartObject();
            w.WriteString("name", m.Name);
            w.WriteString("base", Hex(m.Base, 16));
            w.WriteString("size", Hex(m.Size, 8));
            w.WriteBoolean("unloaded", m.Unloaded);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("poolUsage");
        foreach (var u in info.PoolUsage)
        {
            w.WriteStartObject();
            w.WriteString("tag", u.Tag);
            w.WriteString("pool", u.Paged ? "Paged" : "NonPaged");
            w.WriteNumber("allocs", u.Allocs);
            w.WriteNumber("frees", u.Frees);
            w.WriteNumber("bytes", u.Bytes);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("bugCheckCallbacks");
        foreach (var c in info.CallbackData)
        {
            w.WriteStartObject();
            w.WriteString("component", c.Component);
            w.WriteString("buffer", Hex(c.Buffer, 16));
            w.WriteString("state", c.State.ToString());
            w.WriteString("data", Convert.ToHexString(c.Data));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("blueScreen", info.BlueScreen);
        if (info.MachineState is { } state)
        {
            w.WritePropertyName("machineState");
            Kd.KdSnapshotJson.Write(w, state);
        }

        w.WriteEndObject();
    }

    /// <summary>Reads a dump back; a file that is not a dump yields a clear error.</summary>
    public static BugCheckInfo Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var f) || f.GetString() != Format)
            {
                throw new InvalidDataException($"{path}: not a SharpNT crash dump.");
            }

            var ps = root.GetProperty("parameters").EnumerateArray().Select(e => ParseHex(e.GetString())).ToArray();
            if (ps.Length != 4)
            {
                throw new InvalidDataException($"{path}: a crash dump has exactly four parameters.");
            }

            return new BugCheckInfo
            {
                Code = (uint)ParseHex(root.GetProperty("stopCode").GetString()),
                Parameter1 = ps[0],
                Parameter2 = ps[1],
                Parameter3 = ps[2],
                Parameter4 = ps[3],
                Name = root.GetProperty("name").GetString() ?? "",
                FaultingModule = root.GetProperty("faultingModule").GetString(),
                FaultingAddress = ParseHex(root.GetProperty("faultingAddress").GetString()),
                FaultingSymbol = root.GetProperty("faultingSymbol").GetString(),
                CrashingProcessor = root.GetProperty("crashingProcessor").GetInt32(),
                CrashingThread = root.GetProperty("crashingThread").GetString() ?? "",
                InterruptTime = root.GetProperty("interruptTime").GetInt64(),
                Processors = [.. root.GetProperty("processors").EnumerateArray().Select(p => new ProcessorSnapshot(
                    p.GetProperty("number").GetInt32(), p.GetProperty("irql").GetByte(), p.GetProperty("thread").GetString(),
                    ParseHex(p.GetProperty("threadAddress").GetString()), p.GetProperty("inDpc").GetBoolean()))],
                Stack = [.. root.GetProperty("stack").EnumerateArray().Select(s => new StackFrameSnapshot(
                    s.GetProperty("module").GetString() ?? "", s.GetProperty("routine").GetString() ?? "",
                    ParseHex(s.GetProperty("address").GetString()), s.GetProperty("symbol").GetString() ?? ""))],
                Modules = [.. root.GetProperty("modules").EnumerateArray().Select(m => new ModuleSnapshot(
                    m.GetProperty("name").GetString() ?? "", ParseHex(m.GetProperty("base").GetString()),
                    (uint)ParseHex(m.GetProperty("size").GetString()), m.GetProperty("unloaded").GetBoolean()))],
                PoolUsage = [.. root.GetProperty("poolUsage").EnumerateArray().Select(u => new Mm.PoolTagUsage(
                    u.GetProperty("tag").GetString() ?? "", u.GetProperty("pool").GetString() == "Paged",
                    u.GetProperty("allocs").GetInt64(), u.GetProperty("frees").GetInt64(), u.GetProperty("bytes").GetInt64()))],
                CallbackData = root.TryGetProperty("bugCheckCallbacks", out var callbacks)
                    ? [.. callbacks.EnumerateArray().Select(c => new BugCheckCallbackData(
                        c.GetProperty("component").GetString() ?? "", ParseHex(c.GetProperty("buffer").GetString()),
                        Enum.Parse<KBUGCHECK_BUFFER_DUMP_STATE>(c.GetProperty("state").GetString() ?? ""),
                        Convert.FromHexString(c.GetProperty("data").GetString() ?? "")))]
                    : [],
                BlueScreen = root.GetProperty("blueScreen").GetString() ?? "",
                MachineState = root.TryGetProperty("machineState", out var state) ? Kd.KdSnapshotJson.Read(state) : null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException
            or ArgumentException)
        {
            throw new InvalidDataException($"{path}: malformed crash dump ({e.Message}).", e);
        }
    }

    private static string Hex(ulong value, int digits) => "0x" + value.ToString("X" + digits, System.Globalization.CultureInfo.InvariantCulture);

    private static ulong ParseHex(string? text)
    {
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            throw new FormatException($"expected a 0x-prefixed hex number, found '{text}'");
        }

        return ulong.Parse(text.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    }
}
