using System.Globalization;
using System.Text;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Kd;

/// <summary>!analyze -v: the bug check, each parameter with its documented meaning, the stack and the driver at fault.</summary>
internal static class AnalyzeCommand
{
    internal static string Format(BugCheckInfo info)
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
}
