using SharpNT.Win32;

namespace SharpNT.Programs;

/// <summary>The built-in programs `sharpnt run` can start, by name.</summary>
public static class ProgramCatalog
{
    public static IReadOnlyList<Win32Program> All { get; } =
    [
        new HelloProgram(),
        new IoctlProgram(),
        new OpenDeviceProgram(),
        new PendingIoProgram(),
        new CrashProgram(),
        new CmdProgram(),
        new ToastProgram(),
        new EnumProgram(),
        new PnpWatchProgram(),
        new EjectProgram(),
        new ThreadsProgram(),
        new KillProgram(),
    ];

    /// <summary>The program of that name (case-insensitive, ".exe" optional), or null.</summary>
    public static Win32Program? Find(string name)
    {
        var bare = name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
        return All.FirstOrDefault(p => string.Equals(p.Name, bare, StringComparison.OrdinalIgnoreCase));
    }
}
