namespace SharpNT.Kernel.Io.Layout;

/// <summary>IO_SECURITY_CONTEXT on x64 (wdm.h): what IRP_MJ_CREATE's Parameters.Create.SecurityContext points at.</summary>
internal static class IoSecurityContextLayout
{
    internal const int Size = 0x18;

    internal const int SecurityQos = 0x00;
    internal const int AccessState = 0x08;
    internal const int DesiredAccess = 0x10;
    internal const int FullCreateOptions = 0x14;
}
