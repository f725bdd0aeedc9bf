using System.Text.Json;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// Writes a Chrome Trace Event file (Perfetto and chrome://tracing open it): a track per device object
/// with a slice per dispatch-routine call, flow arrows for each IoCallDriver hop and each completion
/// routine on the way up, instants for IoMarkIrpPending, cancellation and DbgPrint, and counters for each
/// processor's IRQL and for each pool tag's bytes. Time is the machine's interrupt time, in microseconds.
/// </summary>
internal sealed class ChromeTrace : IoTraceSink
{
    private const int Pid = 1;

    private readonly Machine _machine;
    private readonly List<Action<Utf8JsonWriter>> _events = [];
    private readonly Dictionary<ulong, int> _tracks = [];
    private readonly Dictionary<ulong, Stack<long>> _pendingFlows = [];
    private readonly object _lock = new();
    private long _nextFlow = 1;

    internal ChromeTrace(Machine machine) => _machine = machine;

    private double Now => _machine.Ke.InterruptTime / 10.0;

    private int TrackOf(DEVICE_OBJECT device)
    {
        if (_tracks.TryGetValue(device.Address, out var track))
        {
            return track;
        }

        track = 100 + _tracks.Count;
        _tracks[device.Address] = track;
        var name = _machine.Io.DeviceNameOf(device) ?? $"device {device.Address:x}";
        var driver = _machine.Io.DriverNameOf(device.DriverObject);
        _events.Add(w => Metadata(w, "thread_name", track, $"{name} ({driver})"));
        return track;
    }

    private void Add(Action<Utf8JsonWriter> write)
    {
        lock (_lock)
        {
            _events.Add(write);
        }
    }

    internal override void OnDispatch(DEVICE_OBJECT device, IRP irp, byte major, byte minor, string driver, string routine, int depth)
    {
        lock (_lock)
        {
            var track = TrackOf(device);
            var ts = Now;
            var name = $"{IRP_MJ.Name(major)} {Path.GetFileNameWithoutExtension(driver)}!{routine}";
            var irpAddress = irp.Address;
            _events.Add(w => Event(w, "B", name, track, ts, ("irp", $"0x{irpAddress:x}")));

            // The arrow from the caller's slice (if this IRP is already inside a dispatch) to this one.
            if (!_pendingFlows.TryGetValue(irpAddress, out var flows))
            {
                flows = new Stack<long>();
                _pendingFlows[irpAddress] = flows;
            }

            if (flows.TryPeek(out var from))
            {
                _events.Add(w => Flow(w, "f", from, track, ts));
            }

            var id = _nextFlow++;
            flows.Push(id);
            _events.Add(w => Flow(w, "s", id, track, ts));
        }
    }

    internal override void OnDispatchReturned(DEVICE_OBJECT device, IRP irp, NTSTATUS status)
    {
        lock (_lock)
        {
            var track = TrackOf(device);
            var ts = Now;
            var statusText = status.ToString();
            _events.Add(w => Event(w, "E", null, track, ts, ("status", statusText)));
            if (_pendingFlows.TryGetValue(irp.Address, out var flows) && flows.Count > 0)
            {
                flows.Pop();
                if (flows.Count == 0)
                {
                    _pendingFlows.Remove(irp.Address);
                }
            }
        }
    }

    internal override void OnComplete(IRP irp, NTSTATUS status)
    {
        var ts = Now;
        var text = $"IoCompleteRequest {status}";
        Add(w => Event(w, "i", text, 1, ts, ("irp", $"0x{irp.Address:x}")));
    }

    internal override void OnCompletionRoutine(DEVICE_OBJECT device, IRP irp, string driver, string routine)
    {
        lock (_lock)
        {
            var track = device.IsNull ? 1 : TrackOf(device);
            var ts = Now;
            var name = $"completion {Path.GetFileNameWithoutExtension(driver)}!{routine}";
            var id = _nextFlow++;
            _events.Add(w => Flow(w, "s", id, 1, ts));
            _events.Add(w => Event(w, "X", name, track, ts, ("irp", $"0x{irp.Address:x}")));
            _events.Add(w => Flow(w, "f", id, track, ts));
        }
    }

    internal override void OnPending(IRP irp)
    {
        var ts = Now;
        Add(w => Event(w, "i", "IoMarkIrpPending", 1, ts, ("irp", $"0x{irp.Address:x}")));
    }

    internal override void OnCancel(IRP irp)
    {
        var ts = Now;
        Add(w => Event(w, "i", "IoCancelIrp", 1, ts, ("irp", $"0x{irp.Address:x}")));
    }

    internal void OnIrql(int processor, byte irql)
    {
        var ts = Now;
        Add(w =>
        {
            w.WriteStartObject();
            w.WriteString("ph", "C");
            w.WriteString("name", $"IRQL cpu{processor}");
            w.WriteNumber("pid", Pid);
            w.WriteNumber("ts", ts);
            w.WriteStartObject("args");
            w.WriteNumber("irql", irql);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// A pool tag's outstanding bytes after an allocation or a free: a counter per tag and pool (paged,
    /// nonpaged), as !poolused reports them (block sizes including headers).
    /// </summary>
    internal void OnPoolBytes(uint tag, bool paged, long bytes)
    {
        var ts = Now;
        var name = $"pool {PoolTags.ToString(tag)} {(paged ? "paged" : "nonpaged")}";
        Add(w =>
        {
            w.WriteStartObject();
            w.WriteString("ph", "C");
            w.WriteString("name", name);
            w.WriteNumber("pid", Pid);
            w.WriteNumber("ts", ts);
            w.WriteStartObject("args");
            w.WriteNumber("bytes", bytes);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>An interrupt taken or a DPC run on a processor: an instant on the I/O manager's track.</summary>
    internal void OnProcessorEvent(string name, int processor, byte irql)
    {
        var ts = Now;
        Add(w => Event(w, "i", name, 1, ts, ("cpu", $"cpu{processor} at {Irql.Name(irql)}")));
    }

    internal void OnDebugPrint(string text)
    {
        var ts = Now;
        Add(w => Event(w, "i", "DbgPrint", 1, ts, ("text", text)));
    }

    internal void Write(Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteStartArray("traceEvents");
        Metadata(w, "process_name", 0, $"SharpNT machine '{_machine.Description.Name}'");
        Metadata(w, "thread_name", 1, "I/O manager");
        lock (_lock)
        {
            foreach (var write in _events)
            {
                write(w);
            }
        }

        w.WriteEndArray();
        w.WriteString("displayTimeUnit", "ns");
        w.WriteEndObject();
    }

    private static void Metadata(Utf8JsonWriter w, string kind, int tid, string name)
    {
        w.WriteStartObject();
        w.WriteString("ph", "M");
        w.WriteString("name", kind);
        w.WriteNumber("pid", Pid);
        w.WriteNumber("tid", tid);
        w.WriteStartObject("args");
        w.WriteString("name", name);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Event(Utf8JsonWriter w, string phase, string? name, int tid, double ts, (string Key, string Value) arg)
    {
        w.WriteStartObject();
        w.WriteString("ph", phase);
        if (name is not null)
        {
            w.WriteString("name", name);
            w.WriteString("cat", "io");
        }

        w.WriteNumber("pid", Pid);
        w.WriteNumber("tid", tid);
        w.WriteNumber("ts", ts);
        if (phase == "X")
        {
            w.WriteNumber("dur", 0.1);
        }

        if (phase == "i")
        {
            w.WriteString("s", "t");
        }

        w.WriteStartObject("args");
        w.WriteString(arg.Key, arg.Value);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Flow(Utf8JsonWriter w, string phase, long id, int tid, double ts)
    {
        w.WriteStartObject();
        w.WriteString("ph", phase);
        w.WriteString("name", "IRP");
        w.WriteString("cat", "io");
        w.WriteNumber("id", id);
        w.WriteNumber("pid", Pid);
        w.WriteNumber("tid", tid);
        w.WriteNumber("ts", ts);
        if (phase == "f")
        {
            w.WriteString("bp", "e");
        }

        w.WriteEndObject();
    }
}
