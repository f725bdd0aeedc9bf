using System.Text;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// !bugdump [Component]: the buffers bug check callbacks left for the dump (KeRegisterBugCheckCallback),
/// each with its component name and state, then its bytes sixteen to a line.
/// </summary>
internal static class BugDumpCommand
{
    internal static string Execute(DebugTarget target, string component)
    {
        if (target.BugCheck is not { } info)
        {
            return "The machine has not bug checked: bug check callback data exists only in a crash.\n";
        }

        var sb = new StringBuilder();
        var shown = 0;
        foreach (var c in info.CallbackData)
        {
            if (component.Length > 0 && !string.Equals(component, c.Component, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            shown++;
            sb.Line($"Dump of bug check callback data for component '{c.Component}' ({c.State}), buffer {c.Buffer:x16}, {c.Data.Length} bytes:");
            for (var offset = 0; offset < c.Data.Length; offset += 16)
            {
                var line = c.Data.AsSpan(offset, Math.Min(16, c.Data.Length - offset));
                sb.Line($"  {c.Buffer + (ulong)offset:x16}  {Convert.ToHexString(line).ToLowerInvariant()}");
            }
        }

        if (shown == 0)
        {
            if (component.Length > 0)
            {
                sb.Line($"No bug check callback data for component '{component}'.");
            }
            else
            {
                sb.Line($"No bug check callback data.");
            }
        }

        return sb.ToString();
    }
}
