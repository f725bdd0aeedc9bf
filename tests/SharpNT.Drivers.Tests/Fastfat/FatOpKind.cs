namespace SharpNT.Drivers.Tests.Fastfat;

/// <summary>What a random operation does; its operands pick existing files and directories at run time.</summary>
public enum FatOpKind
{
    CreateFile,
    Write,
    Append,
    Truncate,
    Delete,
    Rename,
    Mkdir,
    Rmdir,
    Remount,
}
