using SharpNT.Win32;

namespace SharpNT.Programs;

/// <summary>crash: dereferences a bad pointer; nothing handles the access violation, so the process ends with 0xC0000005.</summary>
public sealed class CrashProgram : Win32Program
{
    /// <summary>An address in the never-mapped first 64 KiB, as a stray small pointer would be.</summary>
    public const ulong BadPointer = 0x10;

    public override string Name => "crash";

    public override string Description => "dereferences a bad pointer and dies with an access violation (0xC0000005)";

    public override int Main(string[] args)
    {
        Crt.PrintLine($"crash: reading the byte at 0x{BadPointer:x}");
        var value = Memory.Read<byte>(BadPointer);
        Crt.PrintLine($"crash: read {value} (unreachable)");
        return 0;
    }
}
