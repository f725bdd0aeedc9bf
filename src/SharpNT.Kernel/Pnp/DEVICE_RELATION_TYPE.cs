namespace SharpNT.Kernel.Pnp;

/// <summary>DEVICE_RELATION_TYPE (wdm.h): what IRP_MN_QUERY_DEVICE_RELATIONS asks for (Parameters.QueryDeviceRelations.Type).</summary>
public enum DEVICE_RELATION_TYPE
{
    BusRelations = 0,
    EjectionRelations = 1,
    PowerRelations = 2,
    RemovalRelations = 3,
    TargetDeviceRelation = 4,
    SingleBusRelations = 5,
    TransportRelations = 6,
}
