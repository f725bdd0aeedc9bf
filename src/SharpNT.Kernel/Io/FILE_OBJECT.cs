using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>A view of a FILE_OBJECT: one open instance of a device or file.</summary>
[DebuggerDisplay("FILE_OBJECT {Address,h}")]
public readonly record struct FILE_OBJECT(ulong Address) : Ob.IKernelObjectView
{
    public static FILE_OBJECT NULL => default;

    public bool IsNull => Address == 0;

    public DEVICE_OBJECT DeviceObject
    {
        get => new(ViewMemory.Read<ulong>(Address + FileObjectLayout.DeviceObject));
        internal set => ViewMemory.Write(Address + FileObjectLayout.DeviceObject, value.Address);
    }

    public ulong Vpb
    {
        get => ViewMemory.Read<ulong>(Address + FileObjectLayout.Vpb);
        set => ViewMemory.Write(Address + FileObjectLayout.Vpb, value);
    }

    /// <summary>The file system's per-file context (its FCB).</summary>
    public ulong FsContext
    {
        get => ViewMemory.Read<ulong>(Address + FileObjectLayout.FsContext);
        set => ViewMemory.Write(Address + FileObjectLayout.FsContext, value);
    }

    /// <summary>The file system's per-open context (its CCB).</summary>
    public ulong FsContext2
    {
        get => ViewMemory.Read<ulong>(Address + FileObjectLayout.FsContext2);
        set => ViewMemory.Write(Address + FileObjectLayout.FsContext2, value);
    }

    /// <summary>
    /// PSECTION_OBJECT_POINTERS SectionObjectPointer: the stream's SECTION_OBJECT_POINTERS, which the file system
    /// keeps (one per stream, shared by its opens) and points here when it opens or first caches the file.
    /// </summary>
    public ulong SectionObjectPointer
    {
        get => ViewMemory.Read<ulong>(Address + FileObjectLayout.SectionObjectPointer);
        set => ViewMemory.Write(Address + FileObjectLayout.SectionObjectPointer, value);
    }

    /// <summary>
    /// PVOID PrivateCacheMap: set when caching was initiated on this file object (CcInitializeCacheMap), cleared
    /// when it is torn down (CcUninitializeCacheMap at cleanup). The I/O manager tries fast I/O only when it is set.
    /// </summary>
    public ulong PrivateCacheMap
    {
        get => ViewMemory.Read<ulong>(Address + FileObjectLayout.PrivateCacheMap);
        set => ViewMemory.Write(Address + FileObjectLayout.PrivateCacheMap, value);
    }

    public FILE_OBJECT RelatedFileObject
    {
        get => new(ViewMemory.Read<ulong>(Address + FileObjectLayout.RelatedFileObject));
        internal set => ViewMemory.Write(Address + FileObjectLayout.RelatedFileObject, value.Address);
    }

    public bool DeletePending
    {
        get => ViewMemory.Read<byte>(Address + FileObjectLayout.DeletePending) != 0;
        set => ViewMemory.Write(Address + FileObjectLayout.DeletePending, (byte)(value ? 1 : 0));
    }

    /// <summary>This open asked for read access (FILE_READ_DATA or FILE_EXECUTE); IoCheckShareAccess sets it.</summary>
    public bool ReadAccess => ViewMemory.Read<byte>(Address + FileObjectLayout.ReadAccess) != 0;

    /// <summary>This open asked for write access (FILE_WRITE_DATA or FILE_APPEND_DATA); IoCheckShareAccess sets it.</summary>
    public bool WriteAccess => ViewMemory.Read<byte>(Address + FileObjectLayout.WriteAccess) != 0;

    /// <summary>This open asked for DELETE; IoCheckShareAccess sets it.</summary>
    public bool DeleteAccess => ViewMemory.Read<byte>(Address + FileObjectLayout.DeleteAccess) != 0;

    public uint Flags
    {
        get => ViewMemory.Read<uint>(Address + FileObjectLayout.Flags);
        set => ViewMemory.Write(Address + FileObjectLayout.Flags, value);
    }

    public long CurrentByteOffset
    {
        get => ViewMemory.Read<long>(Address + FileObjectLayout.CurrentByteOffset);
        set => ViewMemory.Write(Address + FileObjectLayout.CurrentByteOffset, value);
    }

    public override string ToString() => $"FILE_OBJECT 0x{Address:x16}";
}
