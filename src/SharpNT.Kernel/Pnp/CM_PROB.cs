namespace SharpNT.Kernel.Pnp;

/// <summary>The device manager problem codes (cfg.h CM_PROB_*) the PnP manager records on a device node it could not start.</summary>
public static class CM_PROB
{
    public const uint CM_PROB_FAILED_START = 0x0000000A;
    public const uint CM_PROB_FAILED_ADD = 0x0000001F;
    public const uint CM_PROB_FAILED_INSTALL = 0x0000001C;
    public const uint CM_PROB_DRIVER_FAILED_LOAD = 0x00000027;
}
