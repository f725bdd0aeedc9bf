namespace SharpNT.Kernel.Io;

/// <summary>
/// I/O control codes (wdm.h / devioctl.h). A code packs four fields into 32 bits:
/// DeviceType (bits 31-16; bit 31 set for vendor types), RequiredAccess (bits 15-14), Function
/// (bits 13-2; bit 13 set for vendor functions) and TransferType, the buffering method (bits 1-0).
/// The I/O manager reads the method to decide how to pass IRP_MJ_DEVICE_CONTROL and
/// IRP_MJ_FILE_SYSTEM_CONTROL buffers, and the access bits to check the caller's handle.
/// </summary>
public static class IoCtl
{
    // TransferType.
    public const uint METHOD_BUFFERED = 0;
    public const uint METHOD_IN_DIRECT = 1;
    public const uint METHOD_OUT_DIRECT = 2;
    public const uint METHOD_NEITHER = 3;
    public const uint METHOD_DIRECT_TO_HARDWARE = METHOD_IN_DIRECT;
    public const uint METHOD_DIRECT_FROM_HARDWARE = METHOD_OUT_DIRECT;

    // RequiredAccess.
    public const uint FILE_ANY_ACCESS = 0x0000;
    public const uint FILE_SPECIAL_ACCESS = FILE_ANY_ACCESS;
    public const uint FILE_READ_ACCESS = 0x0001;
    public const uint FILE_WRITE_ACCESS = 0x0002;

    /// <summary>CTL_CODE (wdm.h): builds a control code from its four fields, exactly as the macro does (no masking).</summary>
    public static uint CTL_CODE(uint DeviceType, uint Function, uint Method, uint Access) =>
        (DeviceType << 16) | (Access << 14) | (Function << 2) | Method;

    /// <summary>DEVICE_TYPE_FROM_CTL_CODE (wdm.h): the device type, bits 31-16.</summary>
    public static uint DEVICE_TYPE_FROM_CTL_CODE(uint ctrlCode) => (ctrlCode & 0xFFFF0000) >> 16;

    /// <summary>METHOD_FROM_CTL_CODE (wdm.h): the buffering method, bits 1-0.</summary>
    public static uint METHOD_FROM_CTL_CODE(uint ctrlCode) => ctrlCode & 3;

    /// <summary>The function code, bits 13-2 (wdm.h has no macro for it).</summary>
    public static uint FunctionFromCtlCode(uint ctrlCode) => (ctrlCode >> 2) & 0xFFF;

    /// <summary>The required access, bits 15-14 (wdm.h has no macro for it).</summary>
    public static uint AccessFromCtlCode(uint ctrlCode) => (ctrlCode >> 14) & 3;
}
