using System.Globalization;
using System.Text;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// !analyze -v: the bug check, each parameter with its documented meaning, the IRP involved (with its !irp
/// when the machine state is at hand), the stack and the driver at fault.
/// </summary>
internal static class AnalyzeCommand
{
    /// <summary>!analyze -v of a bug check record alone (a crash dump: its machine state, if it has one).</summary>
    internal static string Format(BugCheckInfo info) => Format(info, new DumpTarget(info));

    internal static string Format(BugCheckInfo info, DebugTarget target)
    {
        var d = BugCheckDescriptions.For(info.Code);
        var sb = new StringBuilder();
        sb.Append("*******************************************************************************\n");
        sb.Append("*                                                                             *\n");
        sb.Append("*                        Bugcheck Analysis                                    *\n");
        sb.Append("*                                                                             *\n");
        sb.Append("*******************************************************************************\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"{info.Name} ({info.Code:x})\n");
        sb.Append(d.Summary).Append('\n');
        sb.Append("Arguments:\n");
        for (var i = 0; i < 4; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Arg{i + 1}: {info.Parameters[i]:x16}, {d.Parameters[i]}\n");
        }

        sb.Append('\n');
        if (IrpParameter(info) is { } irpAddress)
        {
            sb.Append(CultureInfo.InvariantCulture, $"IRP_ADDRESS:  {irpAddress:x16}\n\n");

            // What !irp says of that address, as !analyze runs it: the IRP and its stack when it is still
            // allocated; a completed IRP is often freed already (a second completion's usual state).
            if (target.Irps is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"kd> !irp {irpAddress:x16}\n");
                sb.Append(IrpCommands.Irp(target, irpAddress.ToString("x", CultureInfo.InvariantCulture))).Append('\n');
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"PROCESS_NAME:  System\n");
        sb.Append(CultureInfo.InvariantCulture, $"CURRENT_IRQL:  {info.Processors.FirstOrDefault(p => p.Number == info.CrashingProcessor)?.Irql ?? 0:x}\n");
        sb.Append(CultureInfo.InvariantCulture, $"CRASHING_THREAD: {info.CrashingThread} on processor {info.CrashingProcessor}\n\n");
        sb.Append("STACK_TEXT:\n");
        foreach (var frame in info.Stack)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{frame.Address:x16} {frame.Symbol}\n");
        }

        sb.Append('\n');
        if (info.FaultingSymbol is { } symbol)
        {
            sb.Append(CultureInfo.InvariantCulture, $"SYMBOL_NAME:  {symbol}\n");
        }

        if (info.FaultingModule is { } module)
        {
            sb.Append(CultureInfo.InvariantCulture, $"MODULE_NAME: {Path.GetFileNameWithoutExtension(module)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"IMAGE_NAME:  {module}\n");
        }

        var bucket = info.FaultingSymbol is { } s ? $"0x{info.Code:X}_{s}" : $"0x{info.Code:X}";
        sb.Append(CultureInfo.InvariantCulture, $"FAILURE_BUCKET_ID:  {bucket}\n");
        return sb.ToString();
    }

    /// <summary>
    /// The IRP a stop code's documented parameters name, if any: parameter 1 of 0x35, 0x44 and 0x48;
    /// for 0xC9, parameter 2 of subcodes 0x1-0x3 (the IRP being freed or sent), parameter 3 of 0x6, 0x7 and
    /// 0xE (the IRP being completed) and of the WDM driver errors (0x200 and above).
    /// </summary>
    internal static ulong? IrpParameter(BugCheckInfo info)
    {
        var p = info.Parameters;
        var irp = (BugCheckCode)info.Code switch
        {
            BugCheckCode.NO_MORE_IRP_STACK_LOCATIONS or BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS
                or BugCheckCode.CANCEL_STATE_IN_COMPLETED_IRP => p[0],
            BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION => p[0] switch
            {
                0x1 or 0x2 or 0x3 => p[1],
                0x6 or 0x7 or 0xE or >= 0x200 => p[2],
                _ => 0UL,
            },
            _ => 0UL,
        };
        return irp != 0 ? irp : null;
    }
}
