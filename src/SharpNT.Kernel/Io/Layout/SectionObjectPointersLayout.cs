namespace SharpNT.Kernel.Io.Layout;

/// <summary>
/// SECTION_OBJECT_POINTERS on x64 (wdm.h): a file system keeps one per stream and points
/// FILE_OBJECT.SectionObjectPointer at it; the memory and cache managers own the three pointers.
/// </summary>
internal static class SectionObjectPointersLayout
{
    internal const int Size = 0x18;

    internal const int DataSectionObject = 0x00;
    internal const int SharedCacheMap = 0x08;
    internal const int ImageSectionObject = 0x10;
}
