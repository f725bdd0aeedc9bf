using System.Globalization;
using System.Text;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Kd;

/// <summary>!analyze, lm, k and !irql: the bug check, the modules, the stack and the processors' IRQLs.</summary>
internal static class SystemCommands
{
    internal static string Analyze(DebugTarget target) =>
        target.BugCheck is { } info
            ? AnalyzeCommand.Format(info, target)
            : "The machine has not bug checked: it is running and the debugger broke in. !analyze -v analyzes a stopped machine.\n";

    internal static string Modules(DebugTarget target)
    {
        var sb = new StringBuilder("start             end                 module name\n");
        foreach (var m in target.Modules.OrderBy(m => m.Base))
        {
            var end = m.Base + m.Size;
            sb.Line($"{m.Base >> 32:x8}`{(uint)m.Base:x8} {end >> 32:x8}`{(uint)end:x8}   {KdSymbols.ModuleName(m.Name),-16}{(m.Unloaded ? " (unloaded)" : "")}");
        }

        return sb.ToString();
    }

    internal static string Stack(DebugTarget target)
    {
        var sb = new StringBuilder(" # Call Site\n");
        var stack = target.Stack;
        for (var i = 0; i < stack.Count; i++)
        {
            sb.Line($"{i:x2} {KdSymbols.Normalize(stack[i].Symbol)}");
        }

        if (stack.Count == 0 && target.BugCheck is null)
        {
            var p = target.Processors.FirstOrDefault(x => x.Number == target.CurrentProcessor);
            sb.Line($"(processor {target.CurrentProcessor} runs {p?.CurrentThread ?? "no thread"}, which has no kernel frames: nothing runs on it while the machine is broken in)");
        }

        return sb.ToString();
    }

    internal static string Irql(DebugTarget target, string arguments)
    {
        var processor = target.CurrentProcessor;
        var words = KdText.Words(arguments);
        if (words.Length > 0 && !int.TryParse(words[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out processor))
        {
            return $"Invalid processor number '{words[0]}'\n";
        }

        var p = target.Processors.FirstOrDefault(x => x.Number == processor);
        return p is null
            ? $"Cannot get PRCB address for processor {processor}\n"
            : string.Create(CultureInfo.InvariantCulture, $"Debugger saved IRQL for processor 0x{processor:x} -- {p.Irql} ({Ke.Irql.Name(p.Irql)})\n");
    }
}
