using System.Globalization;
using System.Text;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;

namespace SharpNT.Programs;

/// <summary>
/// cmd /c COMMAND: the command interpreter's built-in commands on files, enough to use a disk: dir, type,
/// copy, del, ren, mkdir (md), rmdir (rd), and echo with `&gt; file` or `&gt;&gt; file`. Paths with spaces are
/// quoted. Messages are cmd's; the exit code (ERRORLEVEL) is 0 on success and 1 on failure.
/// </summary>
public sealed class CmdProgram : Win32Program
{
    public override string Name => "cmd";

    public override string Description => "cmd /c dir|type|copy|del|ren|mkdir|rmdir|echo ... [> FILE]: file commands on the machine's disks";

    public override int Main(string[] args)
    {
        if (args.Length < 2 || !string.Equals(args[0], "/c", StringComparison.OrdinalIgnoreCase))
        {
            Crt.PrintLine("usage: cmd /c COMMAND [ARGUMENTS]");
            return 1;
        }

        var line = string.Join(' ', args.Skip(1).Select(Crt.QuoteArgument));
        var (command, redirect, append) = SplitRedirection(line);
        var words = Crt.SplitCommandLine(command);
        if (words.Length == 0)
        {
            return 0;
        }

        var rest = words[1..];
        return words[0].ToLowerInvariant() switch
        {
            "dir" => Dir(rest.Length > 0 ? rest[0] : "."),
            "type" => Expect(rest, 1) ? Type(rest[0]) : Syntax(),
            "copy" => Expect(rest, 2) ? Copy(rest[0], rest[1]) : Syntax(),
            "del" or "erase" => Expect(rest, 1) ? Delete(rest[0]) : Syntax(),
            "ren" or "rename" => Expect(rest, 2) ? Rename(rest[0], rest[1]) : Syntax(),
            "mkdir" or "md" => Expect(rest, 1) ? Report(CreateDirectory(rest[0], 0)) : Syntax(),
            "rmdir" or "rd" => Expect(rest, 1) ? Report(RemoveDirectory(rest[0])) : Syntax(),
            "echo" => Echo(command.Length > 4 ? command[5..] : "", redirect, append),
            _ => Unknown(words[0]),
        };
    }

    private static bool Expect(string[] rest, int count) => rest.Length == count;

    private static int Syntax()
    {
        Crt.PrintLine("The syntax of the command is incorrect.");
        return 1;
    }

    private static int Unknown(string word)
    {
        Crt.PrintLine($"'{word}' is not recognized as an internal or external command,\noperable program or batch file.");
        return 1;
    }

    /// <summary>The command and its output redirection (an unquoted `&gt;` or `&gt;&gt;` and the file after it).</summary>
    private static (string Command, string? Target, bool Append) SplitRedirection(string line)
    {
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == '>' && !quoted)
            {
                var append = i + 1 < line.Length && line[i + 1] == '>';
                var target = line[(i + (append ? 2 : 1))..].Trim().Trim('"');
                return (line[..i].TrimEnd(), target, append);
            }
        }

        return (line, null, false);
    }

    private static int Dir(string path)
    {
        var attributes = GetFileAttributes(path);
        var pattern = attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0
            ? path.TrimEnd('\\') + @"\*"
            : path;
        var directory = pattern[..(pattern.LastIndexOf('\\') + 1)];
        var find = FindFirstFile(pattern, out var data);
        if (find == INVALID_HANDLE_VALUE)
        {
            return Report(false);
        }

        Crt.PrintLine($" Directory of {Shown(directory)}");
        Crt.PrintLine();
        long files = 0, dirs = 0, bytes = 0;
        do
        {
            var when = DateTime.FromFileTimeUtc(data.ftLastWriteTime).ToString("yyyy-MM-dd  HH:mm", CultureInfo.InvariantCulture);
            if ((data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0)
            {
                dirs++;
                Crt.PrintLine($"{when}    <DIR>          {data.cFileName}");
            }
            else
            {
                files++;
                bytes += data.nFileSize;
                Crt.PrintLine($"{when}    {data.nFileSize.ToString("N0", CultureInfo.InvariantCulture),14} {data.cFileName}");
            }
        }
        while (FindNextFile(find, out data));

        FindClose(find);
        Crt.PrintLine($"{files,16} File(s) {bytes.ToString("N0", CultureInfo.InvariantCulture),14} bytes");
        Crt.PrintLine($"{dirs,16} Dir(s)");
        return 0;
    }

    private static string Shown(string directory)
    {
        var full = DosPath.ToNtPath(directory)[4..];
        return full.Length > 3 ? full.TrimEnd('\\') : full;
    }

    private static int Type(string path)
    {
        var file = CreateFile(path, GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        if (file == INVALID_HANDLE_VALUE)
        {
            return Report(false);
        }

        var output = GetStdHandle(STD_OUTPUT_HANDLE);
        var buffer = VirtualAlloc(0, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var ok = true;
        while (ok = ReadFile(file, buffer, 0x10000, out var read, 0))
        {
            if (read == 0)
            {
                break;
            }

            WriteFile(output, buffer, read, out _, 0);
        }

        VirtualFree(buffer, 0, MEM_RELEASE);
        CloseHandle(file);
        return Report(ok);
    }

    private static int Copy(string source, string destination)
    {
        var attributes = GetFileAttributes(destination);
        if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0)
        {
            destination = destination.TrimEnd('\\') + @"\" + source[(source.LastIndexOfAny(['\\', ':']) + 1)..];
        }

        var from = CreateFile(source, GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        if (from == INVALID_HANDLE_VALUE)
        {
            return Report(false);
        }

        var to = CreateFile(destination, GENERIC_WRITE, 0, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, 0);
        if (to == INVALID_HANDLE_VALUE)
        {
            var failed = Report(false);
            CloseHandle(from);
            return failed;
        }

        var buffer = VirtualAlloc(0, 0x10000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var ok = true;
        while (ok = ReadFile(from, buffer, 0x10000, out var read, 0))
        {
            if (read == 0)
            {
                break;
            }

            if (!(ok = WriteFile(to, buffer, read, out _, 0)))
            {
                break;
            }
        }

        var error = GetLastError();
        VirtualFree(buffer, 0, MEM_RELEASE);
        CloseHandle(to);
        CloseHandle(from);
        if (!ok)
        {
            SetLastError(error);
            return Report(false);
        }

        Crt.PrintLine("        1 file(s) copied.");
        return 0;
    }

    private static int Delete(string path)
    {
        if (path.IndexOfAny(['*', '?']) < 0)
        {
            return Report(DeleteFile(path));
        }

        var directory = path[..(path.LastIndexOf('\\') + 1)];
        var find = FindFirstFile(path, out var data);
        if (find == INVALID_HANDLE_VALUE)
        {
            return Report(false);
        }

        var names = new List<string>();
        do
        {
            if ((data.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) == 0)
            {
                names.Add(directory + data.cFileName);
            }
        }
        while (FindNextFile(find, out data));

        FindClose(find);
        var ok = true;
        foreach (var name in names)
        {
            ok &= DeleteFile(name);
        }

        return Report(ok);
    }

    private static int Rename(string path, string newName)
    {
        if (newName.IndexOfAny(['\\', ':']) >= 0)
        {
            return Syntax();
        }

        var target = path[..(path.LastIndexOfAny(['\\', ':']) + 1)] + newName;
        if (MoveFile(path, target))
        {
            return 0;
        }

        var error = GetLastError();
        Crt.PrintLine(error is WinError.ERROR_ALREADY_EXISTS or WinError.ERROR_FILE_EXISTS or WinError.ERROR_FILE_NOT_FOUND
            ? "A duplicate file name exists, or the file\ncannot be found."
            : Message(error));
        return 1;
    }

    private static int Echo(string text, string? target, bool append)
    {
        if (target is null)
        {
            Crt.PrintLine(text);
            return 0;
        }

        var file = append
            ? CreateFile(target, FILE_APPEND_DATA, FILE_SHARE_READ, 0, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, 0)
            : CreateFile(target, GENERIC_WRITE, FILE_SHARE_READ, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, 0);
        if (file == INVALID_HANDLE_VALUE)
        {
            return Report(false);
        }

        var bytes = Encoding.UTF8.GetBytes(text + "\r\n");
        var buffer = VirtualAlloc(0, (ulong)bytes.Length, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        Memory.Write(buffer, bytes);
        var ok = WriteFile(file, buffer, (uint)bytes.Length, out _, 0);
        var error = GetLastError();
        VirtualFree(buffer, 0, MEM_RELEASE);
        CloseHandle(file);
        SetLastError(error);
        return Report(ok);
    }

    /// <summary>0, or cmd's message for the last error and 1.</summary>
    private static int Report(bool ok)
    {
        if (ok)
        {
            return 0;
        }

        Crt.PrintLine(Message(GetLastError()));
        return 1;
    }

    /// <summary>The system's message for an error, as FormatMessage gives it for the codes cmd meets.</summary>
    private static string Message(uint error) => error switch
    {
        WinError.ERROR_FILE_NOT_FOUND => "The system cannot find the file specified.",
        WinError.ERROR_PATH_NOT_FOUND => "The system cannot find the path specified.",
        WinError.ERROR_ACCESS_DENIED => "Access is denied.",
        WinError.ERROR_SHARING_VIOLATION => "The process cannot access the file because it is being used by another process.",
        WinError.ERROR_FILE_EXISTS or WinError.ERROR_ALREADY_EXISTS => "A subdirectory or file already exists.",
        WinError.ERROR_DIR_NOT_EMPTY => "The directory is not empty.",
        WinError.ERROR_INVALID_NAME => "The filename, directory name, or volume label syntax is incorrect.",
        0x70 => "There is not enough space on the disk.",
        _ => $"Error {error}.",
    };
}
