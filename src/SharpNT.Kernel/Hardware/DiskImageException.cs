namespace SharpNT.Kernel.Hardware;

/// <summary>A disk image the machine cannot use: missing, unreadable, or not a whole number of sectors.</summary>
public sealed class DiskImageException : Exception
{
    public DiskImageException(string message)
        : base(message)
    {
    }

    public DiskImageException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
