namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// IO_STACK_LOCATION on x64 (wdm.h). Offsets count from the start of the stack location. Parameters is a
/// 32-byte union at 0x08 whose view depends on MajorFunction (and for PnP and power on MinorFunction);
/// each view's members are named Parameters_&lt;View&gt;_&lt;Member&gt;. POINTER_ALIGNMENT members sit
/// on 8-byte boundaries on x64, which is why for instance Read.Key is at 0x10 and not 0x0C.
/// This file holds the common members and the views every device driver sees; the file system, Plug
/// and Play and power views are in the other parts of this class.
/// </summary>
internal static partial class IoStackLocationLayout
{
    internal const int Size = 0x48;

    internal const int MajorFunction = 0x00;
    internal const int MinorFunction = 0x01;

    /// <summary>SL_FLAGS request flags (SL_CASE_SENSITIVE, SL_KEY_SPECIFIED, SL_RESTART_SCAN ...).</summary>
    internal const int Flags = 0x02;

    /// <summary>SL_FLAGS control bits the I/O manager owns (SL_PENDING_RETURNED, SL_INVOKE_ON_*).</summary>
    internal const int Control = 0x03;
    internal const int Parameters = 0x08;
    internal const int DeviceObject = 0x28;
    internal const int FileObject = 0x30;
    internal const int CompletionRoutine = 0x38;
    internal const int Context = 0x40;

    // IRP_MJ_CREATE.
    internal const int Parameters_Create_SecurityContext = 0x08;
    internal const int Parameters_Create_Options = 0x10;
    internal const int Parameters_Create_FileAttributes = 0x18;
    internal const int Parameters_Create_ShareAccess = 0x1A;
    internal const int Parameters_Create_EaLength = 0x20;

    // IRP_MJ_READ. Flags exists on 64-bit Windows only.
    internal const int Parameters_Read_Length = 0x08;
    internal const int Parameters_Read_Key = 0x10;
    internal const int Parameters_Read_Flags = 0x14;
    internal const int Parameters_Read_ByteOffset = 0x18;

    // IRP_MJ_WRITE.
    internal const int Parameters_Write_Length = 0x08;
    internal const int Parameters_Write_Key = 0x10;
    internal const int Parameters_Write_Flags = 0x14;
    internal const int Parameters_Write_ByteOffset = 0x18;

    // IRP_MJ_DEVICE_CONTROL and IRP_MJ_INTERNAL_DEVICE_CONTROL.
    internal const int Parameters_DeviceIoControl_OutputBufferLength = 0x08;
    internal const int Parameters_DeviceIoControl_InputBufferLength = 0x10;
    internal const int Parameters_DeviceIoControl_IoControlCode = 0x18;
    internal const int Parameters_DeviceIoControl_Type3InputBuffer = 0x20;

    // IRP_MJ_SCSI (IRP_MJ_INTERNAL_DEVICE_CONTROL to a storage port).
    internal const int Parameters_Scsi_Srb = 0x08;

    // Any other request: four untyped arguments over the same bytes.
    internal const int Parameters_Others_Argument1 = 0x08;
    internal const int Parameters_Others_Argument2 = 0x10;
    internal const int Parameters_Others_Argument3 = 0x18;
    internal const int Parameters_Others_Argument4 = 0x20;
}
