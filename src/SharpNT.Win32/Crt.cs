using System.Text;

namespace SharpNT.Win32;

/// <summary>
/// The few C runtime services the built-in programs use: text to standard output or standard error
/// (UTF-8 through WriteFile on the standard handle), and the argv split of the command line.
/// </summary>
public static class Crt
{
    /// <summary>Writes <paramref name="text"/> to standard output (fputs to stdout).</summary>
    public static void Print(string text) => Write(WinBase.STD_OUTPUT_HANDLE, text);

    /// <summary>Writes a line to standard output.</summary>
    public static void PrintLine(string text = "") => Write(WinBase.STD_OUTPUT_HANDLE, text + "\n");

    /// <summary>Writes a line to standard error.</summary>
    public static void PrintError(string text) => Write(WinBase.STD_ERROR_HANDLE, text + "\n");

    private static void Write(uint standardHandle, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length == 0)
        {
            return;
        }

        var handle = Kernel32.GetStdHandle(standardHandle);
        using var frame = UserStack.Frame();
        var buffer = frame.Alloc(bytes.Length);
        Memory.Write(buffer, bytes);
        Kernel32.WriteFile(handle, buffer, (uint)bytes.Length, out _, 0);
    }

    /// <summary>
    /// CommandLineToArgvW's rules: arguments split at spaces and tabs outside quotes; 2n backslashes before a
    /// quote are n backslashes and the quote toggles quoting; 2n+1 are n backslashes and a literal quote;
    /// other backslashes are literal.
    /// </summary>
    public static string[] SplitCommandLine(string commandLine)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        var hasArgument = false;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (c == '\\')
            {
                var slashes = 0;
                while (i < commandLine.Length && commandLine[i] == '\\')
                {
                    slashes++;
                    i++;
                }

                if (i < commandLine.Length && commandLine[i] == '"')
                {
                    current.Append('\\', slashes / 2);
                    if (slashes % 2 == 1)
                    {
                        current.Append('"');
                    }
                    else
                    {
                        inQuotes = !inQuotes;
                    }
                }
                else
                {
                    current.Append('\\', slashes);
                    i--;
                }

                hasArgument = true;
            }
            else if (c == '"')
            {
                inQuotes = !inQuotes;
                hasArgument = true;
            }
            else if ((c == ' ' || c == '\t') && !inQuotes)
            {
                if (hasArgument)
                {
                    args.Add(current.ToString());
                    current.Clear();
                    hasArgument = false;
                }
            }
            else
            {
                current.Append(c);
                hasArgument = true;
            }
        }

        if (hasArgument)
        {
            args.Add(current.ToString());
        }

        return [.. args];
    }

    /// <summary>Quotes an argument so SplitCommandLine gives it back unchanged.</summary>
    public static string QuoteArgument(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny([' ', '\t', '"']) < 0)
        {
            return argument;
        }

        var quoted = new StringBuilder("\"");
        for (var i = 0; i < argument.Length; i++)
        {
            var slashes = 0;
            while (i < argument.Length && argument[i] == '\\')
            {
                slashes++;
                i++;
            }

            if (i == argument.Length)
            {
                quoted.Append('\\', slashes * 2);
                break;
            }

            if (argument[i] == '"')
            {
                quoted.Append('\\', (slashes * 2) + 1).Append('"');
            }
            else
            {
                quoted.Append('\\', slashes).Append(argument[i]);
            }
        }

        return quoted.Append('"').ToString();
    }
}
