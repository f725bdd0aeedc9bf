namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// DEVICE_OBJECT on x64 (wdm.h). The WDK declares it DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT), 16 on
/// x64, so its size is 0x150; mingw-w64 drops the alignment and reports 0x148. A native driver built with
/// either header only reads fields below 0x148, so allocating the WDK's size serves both. The device
/// extension follows the object in the same allocation (IoCreateDevice), at offset <see cref="Size"/>.
/// </summary>
internal static class DeviceObjectLayout
{
    /// <summary>The WDK size: mingw-w64's sizeof(DEVICE_OBJECT) rounded up to 16.</summary>
    internal const int Size = 0x150;

    internal const int Type = 0x00;

    /// <summary>Offset of the member named Size (USHORT: object plus extension bytes); the object's own size is <see cref="Size"/>.</summary>
    internal const int SizeField = 0x02;
    internal const int ReferenceCount = 0x04;
    internal const int DriverObject = 0x08;
    internal const int NextDevice = 0x10;
    internal const int AttachedDevice = 0x18;
    internal const int CurrentIrp = 0x20;
    internal const int Timer = 0x28;
    internal const int Flags = 0x30;
    internal const int Characteristics = 0x34;
    internal const int Vpb = 0x38;
    internal const int DeviceExtension = 0x40;
    internal const int DeviceType = 0x48;
    internal const int StackSize = 0x4C;

    // Queue is a union: the device's list link while no adapter wait is pending, the wait context block while one is.
    internal const int Queue_ListEntry = 0x50;
    internal const int Queue_Wcb = 0x50;
    internal const int AlignmentRequirement = 0x98;
    internal const int DeviceQueue = 0xA0;
    internal const int Dpc = 0xC8;
    internal const int ActiveThreadCount = 0x108;
    internal const int SecurityDescriptor = 0x110;
    internal const int DeviceLock = 0x118;
    internal const int SectorSize = 0x130;
    internal const int Spare1 = 0x132;
    internal const int DeviceObjectExtension = 0x138;
    internal const int Reserved = 0x140;
}
