namespace SharpNT.Kernel.Io.Layout;

// The IO_STACK_LOCATION.Parameters views of IRP_MJ_POWER minor functions.
internal static partial class IoStackLocationLayout
{
    // IRP_MN_WAIT_WAKE.
    internal const int Parameters_WaitWake_PowerState = 0x08;

    // IRP_MN_POWER_SEQUENCE.
    internal const int Parameters_PowerSequence_PowerSequence = 0x08;

    // IRP_MN_SET_POWER and IRP_MN_QUERY_POWER. SystemContext and SystemPowerStateContext share their bytes.
    internal const int Parameters_Power_SystemContext = 0x08;
    internal const int Parameters_Power_SystemPowerStateContext = 0x08;
    internal const int Parameters_Power_Type = 0x10;
    internal const int Parameters_Power_State = 0x18;
    internal const int Parameters_Power_ShutdownType = 0x20;
}
