namespace SharpNT.Win32;

/// <summary>
/// A built-in user-mode program: C# code that uses only the Win32 surface (Kernel32, Ntdll, Memory, Crt).
/// Its buffers are user addresses in its own process; an exception it does not handle ends its process.
/// </summary>
public abstract class Win32Program
{
    /// <summary>The name `sharpnt run` knows it by ("hello"); the image is NAME.exe.</summary>
    public abstract string Name { get; }

    /// <summary>One line for `sharpnt programs`.</summary>
    public abstract string Description { get; }

    /// <summary>wmain: the arguments after the program name; the return value is the exit code.</summary>
    public abstract int Main(string[] args);

    public string ImageName => Name + ".exe";
}
