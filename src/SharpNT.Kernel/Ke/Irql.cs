namespace SharpNT.Kernel.Ke;

/// <summary>Interrupt request levels on x64 (wdm.h values).</summary>
public static class Irql
{
    public const byte PASSIVE_LEVEL = 0;
    public const byte LOW_LEVEL = 0;
    public const byte APC_LEVEL = 1;
    public const byte DISPATCH_LEVEL = 2;
    public const byte CMCI_LEVEL = 5;
    public const byte CLOCK_LEVEL = 13;
    public const byte IPI_LEVEL = 14;
    public const byte DRS_LEVEL = 14;
    public const byte POWER_LEVEL = 14;
    public const byte PROFILE_LEVEL = 15;
    public const byte HIGH_LEVEL = 15;

    /// <summary>The lowest device IRQL (DIRQL) a HAL interrupt can be delivered at.</summary>
    public const byte FirstDeviceLevel = 3;

    /// <summary>The highest device IRQL.</summary>
    public const byte LastDeviceLevel = 11;

    public static string Name(byte irql) => irql switch
    {
        PASSIVE_LEVEL => "PASSIVE_LEVEL",
        APC_LEVEL => "APC_LEVEL",
        DISPATCH_LEVEL => "DISPATCH_LEVEL",
        CLOCK_LEVEL => "CLOCK_LEVEL",
        IPI_LEVEL => "IPI_LEVEL",
        HIGH_LEVEL => "HIGH_LEVEL",
        _ => $"DIRQL {irql}",
    };
}
