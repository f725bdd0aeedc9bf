using System.Text;
using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using static SharpNT.Kernel.Kd.KdSymbols;

namespace SharpNT.Kernel.Kd;

/// <summary>!irp and !irpfind: IRPs and their stack locations.</summary>
internal static class IrpCommands
{
    private static readonly (uint, string)[] s_irpFlags =
    [
        (IRP_FLAGS.IRP_NOCACHE, nameof(IRP_FLAGS.IRP_NOCACHE)),
        (IRP_FLAGS.IRP_PAGING_IO, nameof(IRP_FLAGS.IRP_PAGING_IO)),
        (IRP_FLAGS.IRP_SYNCHRONOUS_API, nameof(IRP_FLAGS.IRP_SYNCHRONOUS_API)),
        (IRP_FLAGS.IRP_ASSOCIATED_IRP, nameof(IRP_FLAGS.IRP_ASSOCIATED_IRP)),
        (IRP_FLAGS.IRP_BUFFERED_IO, nameof(IRP_FLAGS.IRP_BUFFERED_IO)),
        (IRP_FLAGS.IRP_DEALLOCATE_BUFFER, nameof(IRP_FLAGS.IRP_DEALLOCATE_BUFFER)),
        (IRP_FLAGS.IRP_INPUT_OPERATION, nameof(IRP_FLAGS.IRP_INPUT_OPERATION)),
        (IRP_FLAGS.IRP_CREATE_OPERATION, nameof(IRP_FLAGS.IRP_CREATE_OPERATION)),
        (IRP_FLAGS.IRP_READ_OPERATION, nameof(IRP_FLAGS.IRP_READ_OPERATION)),
        (IRP_FLAGS.IRP_WRITE_OPERATION, nameof(IRP_FLAGS.IRP_WRITE_OPERATION)),
        (IRP_FLAGS.IRP_CLOSE_OPERATION, nameof(IRP_FLAGS.IRP_CLOSE_OPERATION)),
        (IRP_FLAGS.IRP_DEFER_IO_COMPLETION, nameof(IRP_FLAGS.IRP_DEFER_IO_COMPLETION)),
        (IRP_FLAGS.IRP_OB_QUERY_NAME, nameof(IRP_FLAGS.IRP_OB_QUERY_NAME)),
        (IRP_FLAGS.IRP_HOLD_DEVICE_QUEUE, nameof(IRP_FLAGS.IRP_HOLD_DEVICE_QUEUE)),
    ];

    /// <summary>!irp Address: the header, then each stack location in array order, '>' at the current one.</summary>
    internal static string Irp(DebugTarget target, string arguments)
    {
        var words = KdText.Words(arguments);
        if (words.Length == 0)
        {
            return "Usage: !irp <Address>\n";
        }

        if (!TryParseAddress(words[0], out var address))
        {
            return $"Invalid IRP address '{words[0]}'\n";
        }

        if (target.Irps is null)
        {
            return KdText.NotInDump(target, "IRPs");
        }

        if (target.Irp(address) is not { } irp)
        {
            return "IRP signature does not match, probably not an IRP\n";
        }

        return Format(irp);
    }

    internal static string Format(KdIrp irp)
    {
        var sb = new StringBuilder();
        if (irp.CurrentLocation > irp.StackCount)
        {
            sb.Line($"Irp is complete (CurrentLocation {irp.CurrentLocation} is past the {irp.StackCount} stacks)");
        }
        else
        {
            var current = irp.Address + IrpLayout.Size + ((ulong)(irp.CurrentLocation - 1) * IoStackLocationLayout.Size);
            sb.Line($"Irp is active with {irp.StackCount} stacks {irp.CurrentLocation} is current (= 0x{current:x16})");
        }

        var mdl = irp.MdlAddress != 0 ? $"Mdl={irp.MdlAddress:x16}" : "No Mdl";
        var buffer = irp.SystemBuffer != 0 ? $"System buffer={irp.SystemBuffer:x16}" : "No System Buffer";
        var pending = irp.PendingReturned ? "  Pending has been returned" : "";
        sb.Line($" {mdl}: {buffer}: Thread {Ptr(irp.Thread)}:  Irp stack trace.{pending}");
        sb.Line($"     cmd  flg cl Device   File     Completion-Context");
        for (var i = 0; i < irp.Locations.Count; i++)
        {
            var s = irp.Locations[i];
            var marker = i + 1 == irp.CurrentLocation ? '>' : ' ';
            var empty = s.DeviceObject == 0 && s.MajorFunction == 0 && s.MinorFunction == 0 && s.CompletionRoutine.Address == 0;
            sb.Line($"{marker}[{(empty ? "N/A" : IRP_MJ.Name(s.MajorFunction))}({s.MajorFunction:x}), {MinorName(s.MajorFunction, s.MinorFunction)}({s.MinorFunction:x})]");
            sb.Line($"{s.Flags,13:x} {s.Control,2:x} {Ptr(s.DeviceObject)} {Ptr(s.FileObject)} {Ptr(s.CompletionRoutine.Address)}-{Ptr(s.Context)}    {ControlNames(s.Control)}");
            if (s.DriverName is not null || s.CompletionRoutine.Symbol is not null)
            {
                sb.Line($"\t       {s.DriverName}\t{s.CompletionRoutine.Symbol}");
            }
            else
            {
                sb.Line();
            }

            sb.Line($"\t\t\tArgs: {Arg(s.Argument1)} {Arg(s.Argument2)} {Arg(s.Argument3)} {Arg(s.Argument4)}");
        }

        sb.Line($"Irp flags: 0x{irp.Flags:x8}  {FlagNames(irp.Flags, s_irpFlags)}");
        sb.Line($"IoStatus.Status: {((NTSTATUS)(uint)irp.Status).Describe()}  IoStatus.Information: {irp.Information:x}");
        var cancel = irp.CancelRoutine.Address != 0 ? $"{irp.CancelRoutine.Address:x16} {irp.CancelRoutine.Symbol}" : "00000000";
        sb.Line($"Cancel: {(irp.Cancel ? "TRUE" : "FALSE")}  CancelRoutine: {cancel}  RequestorMode: {(irp.RequestorMode == 0 ? "KernelMode" : "UserMode")}");
        return sb.ToString();
    }

    /// <summary>!irpfind: the IRPs in nonpaged pool, with the device and driver at their current location.</summary>
    internal static string IrpFind(DebugTarget target)
    {
        if (target.Irps is not { } irps)
        {
            return KdText.NotInDump(target, "IRPs");
        }

        var sb = new StringBuilder("Irp                [ Thread ]         irpStack: (Mj,Mn)   DevObj           [Driver]\n");
        foreach (var irp in irps.OrderBy(i => i.Address))
        {
            if (irp.Current is { } s)
            {
                sb.Line($"{irp.Address:x16} [{Ptr(irp.Thread),16}] irpStack: ({s.MajorFunction,2:x},{s.MinorFunction,2:x})  {Ptr(s.DeviceObject),16} [{s.DriverName}]");
            }
            else
            {
                sb.Line($"{irp.Address:x16} [{Ptr(irp.Thread),16}] Irp is complete (CurrentLocation {irp.CurrentLocation} > StackCount {irp.StackCount})");
            }
        }

        return sb.ToString();
    }

    /// <summary>Minor function names exist under a few major functions; elsewhere the minor code means nothing (N/A).</summary>
    private static string MinorName(byte major, byte minor) => major switch
    {
        IRP_MJ.IRP_MJ_PNP or IRP_MJ.IRP_MJ_POWER or IRP_MJ.IRP_MJ_SYSTEM_CONTROL or IRP_MJ.IRP_MJ_FILE_SYSTEM_CONTROL
            or IRP_MJ.IRP_MJ_DIRECTORY_CONTROL or IRP_MJ.IRP_MJ_LOCK_CONTROL => IRP_MN.Name(major, minor),
        _ when minor != 0 => IRP_MN.Name(major, minor),
        _ => "N/A",
    };

    /// <summary>The Control byte as !irp spells it: which completion routine invocations, and pending.</summary>
    private static string ControlNames(byte control)
    {
        var parts = new List<string>(4);
        if ((control & SL_FLAGS.SL_INVOKE_ON_SUCCESS) != 0)
        {
            parts.Add("Success");
        }

        if ((control & SL_FLAGS.SL_INVOKE_ON_ERROR) != 0)
        {
            parts.Add("Error");
        }

        if ((control & SL_FLAGS.SL_INVOKE_ON_CANCEL) != 0)
        {
            parts.Add("Cancel");
        }

        if ((control & SL_FLAGS.SL_PENDING_RETURNED) != 0)
        {
            parts.Add("pending");
        }

        return string.Join(' ', parts);
    }
}
