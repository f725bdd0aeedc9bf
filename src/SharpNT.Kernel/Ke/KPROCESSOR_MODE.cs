namespace SharpNT.Kernel.Ke;

/// <summary>The mode a request came from (wdm.h MODE).</summary>
public enum KPROCESSOR_MODE : byte
{
    KernelMode = 0,
    UserMode = 1,
}
