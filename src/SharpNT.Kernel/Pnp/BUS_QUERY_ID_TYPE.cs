namespace SharpNT.Kernel.Pnp;

/// <summary>BUS_QUERY_ID_TYPE (wdm.h): which identifier IRP_MN_QUERY_ID asks for (Parameters.QueryId.IdType).</summary>
public enum BUS_QUERY_ID_TYPE
{
    BusQueryDeviceID = 0,
    BusQueryHardwareIDs = 1,
    BusQueryCompatibleIDs = 2,
    BusQueryInstanceID = 3,
    BusQueryDeviceSerialNumber = 4,
    BusQueryContainerID = 5,
}
