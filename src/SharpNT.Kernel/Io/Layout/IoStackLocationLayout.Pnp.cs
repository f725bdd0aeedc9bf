namespace SharpNT.Kernel.Io.Layout;

// The IO_STACK_LOCATION.Parameters views of IRP_MJ_PNP minor functions (and WMI's IRP_MJ_SYSTEM_CONTROL).
internal static partial class IoStackLocationLayout
{
    // IRP_MN_QUERY_DEVICE_RELATIONS.
    internal const int Parameters_QueryDeviceRelations_Type = 0x08;

    // IRP_MN_QUERY_INTERFACE.
    internal const int Parameters_QueryInterface_InterfaceType = 0x08;
    internal const int Parameters_QueryInterface_Size = 0x10;
    internal const int Parameters_QueryInterface_Version = 0x12;
    internal const int Parameters_QueryInterface_Interface = 0x18;
    internal const int Parameters_QueryInterface_InterfaceSpecificData = 0x20;

    // IRP_MN_QUERY_CAPABILITIES.
    internal const int Parameters_DeviceCapabilities_Capabilities = 0x08;

    // IRP_MN_FILTER_RESOURCE_REQUIREMENTS.
    internal const int Parameters_FilterResourceRequirements_IoResourceRequirementList = 0x08;

    // IRP_MN_READ_CONFIG and IRP_MN_WRITE_CONFIG.
    internal const int Parameters_ReadWriteConfig_WhichSpace = 0x08;
    internal const int Parameters_ReadWriteConfig_Buffer = 0x10;
    internal const int Parameters_ReadWriteConfig_Offset = 0x18;
    internal const int Parameters_ReadWriteConfig_Length = 0x20;

    // IRP_MN_SET_LOCK.
    internal const int Parameters_SetLock_Lock = 0x08;

    // IRP_MN_QUERY_ID.
    internal const int Parameters_QueryId_IdType = 0x08;

    // IRP_MN_QUERY_DEVICE_TEXT.
    internal const int Parameters_QueryDeviceText_DeviceTextType = 0x08;
    internal const int Parameters_QueryDeviceText_LocaleId = 0x10;

    // IRP_MN_DEVICE_USAGE_NOTIFICATION. Reserved is BOOLEAN Reserved[3].
    internal const int Parameters_UsageNotification_InPath = 0x08;
    internal const int Parameters_UsageNotification_Reserved = 0x09;
    internal const int Parameters_UsageNotification_Type = 0x10;

    // IRP_MN_START_DEVICE.
    internal const int Parameters_StartDevice_AllocatedResources = 0x08;
    internal const int Parameters_StartDevice_AllocatedResourcesTranslated = 0x10;

    // IRP_MJ_SYSTEM_CONTROL (WMI minor functions).
    internal const int Parameters_WMI_ProviderId = 0x08;
    internal const int Parameters_WMI_DataPath = 0x10;
    internal const int Parameters_WMI_BufferSize = 0x18;
    internal const int Parameters_WMI_Buffer = 0x20;
}
