using System.Globalization;
using System.Text;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// Debugger commands against a crash dump, in WinDbg's output shape: !analyze -v, lm, k, !irql, !poolused.
/// (Commands that need a live machine, such as !devstack or !irp, come with the live debugger.)
/// </summary>
internal sealed class DumpDebugger(BugCheckInfo dump)
{
    internal static IReadOnlyList<string> Commands { get; } = ["!analyze -v", "lm", "k", "!irql", "!poolused"];

    /// <summary>Runs one command; an unknown one answers as WinDbg does.</summary>
    internal string Execute(string command)
    {
        var c = command.Trim();
        return c switch
        {
            "!analyze -v" or "!analyze" => AnalyzeCommand.Format(dump),
            "lm" => Modules(),
            "k" or "kb" or "kv" => Stack(),
            "!irql" => IrqlOf(dump.CrashingProcessor),
            _ when c.StartsWith("!irql ", StringComparison.Ordinal) && int.TryParse(c[6..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => IrqlOf(n),
            "!poolused" => PoolUsed(),
            _ => $"                              ^ Syntax error in '{c}'\n",
        };
    }

    private string Modules()
    {
        var sb = new StringBuilder("start             end                 module name\n");
        foreach (var m in dump.Modules.OrderBy(m => m.Base))
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{m.Base >> 32:x8}`{(uint)m.Base:x8} {(m.Base + m.Size) >> 32:x8}`{(uint)(m.Base + m.Size):x8}   {Path.GetFileNameWithoutExtension(m.Name),-16}{(m.Unloaded ? " (unloaded)" : "")}\n");
        }

        return sb.ToString();
    }

    private string Stack()
    {
        var sb = new StringBuilder(" # Call Site\n");
        for (var i = 0; i < dump.Stack.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{i:x2} {dump.Stack[i].Symbol}\n");
        }

        return sb.ToString();
    }

    private string IrqlOf(int processor)
    {
        var p = dump.Processors.FirstOrDefault(x => x.Number == processor);
        return p is null
            ? $"Cannot get PRCB address for processor {processor}\n"
            : $"Debugger saved IRQL for processor 0x{processor:x} -- {p.Irql} ({Irql.Name(p.Irql)})\n";
    }

    private string PoolUsed()
    {
        var sb = new StringBuilder(" Sorting by Tag\n\n               NonPaged                  Paged\n Tag     Allocs         Used     Allocs         Used\n\n");
        foreach (var tag in dump.PoolUsage.GroupBy(u => u.Tag).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var np = tag.Where(u => !u.Paged).ToList();
            var pg = tag.Where(u => u.Paged).ToList();
            sb.Append(CultureInfo.InvariantCulture,
                $" {tag.Key,-4} {np.Sum(u => u.Outstanding),10} {np.Sum(u => u.Bytes),12} {pg.Sum(u => u.Outstanding),10} {pg.Sum(u => u.Bytes),12}\n");
        }

        return sb.ToString();
    }
}
