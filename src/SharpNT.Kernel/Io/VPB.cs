using System.Diagnostics;
using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

/// <summary>
/// A view of a VPB (volume parameter block) in nonpaged pool: ties a storage device (RealDevice) to the
/// volume device object of the file system that mounted it (DeviceObject).
/// </summary>
[DebuggerDisplay("VPB {Address,h}")]
public readonly record struct VPB(ulong Address)
{
    public static VPB NULL => default;

    public bool IsNull => Address == 0;

    /// <summary>IO_TYPE_VPB (10).</summary>
    public short Type => ViewMemory.Read<short>(Address + VpbLayout.Type);

    /// <summary>VPB_MOUNTED, VPB_LOCKED, ...: the I/O manager sets VPB_MOUNTED when a file system accepts the volume.</summary>
    public ushort Flags
    {
        get => ViewMemory.Read<ushort>(Address + VpbLayout.Flags);
        set => ViewMemory.Write(Address + VpbLayout.Flags, value);
    }

    /// <summary>The file system's volume device object; the file system sets it in IRP_MN_MOUNT_VOLUME.</summary>
    public DEVICE_OBJECT DeviceObject
    {
        get => new(ViewMemory.Read<ulong>(Address + VpbLayout.DeviceObject));
        set => ViewMemory.Write(Address + VpbLayout.DeviceObject, value.Address);
    }

    /// <summary>The storage device object the volume lives on.</summary>
    public DEVICE_OBJECT RealDevice
    {
        get => new(ViewMemory.Read<ulong>(Address + VpbLayout.RealDevice));
        internal set => ViewMemory.Write(Address + VpbLayout.RealDevice, value.Address);
    }

    public uint SerialNumber
    {
        get => ViewMemory.Read<uint>(Address + VpbLayout.SerialNumber);
        set => ViewMemory.Write(Address + VpbLayout.SerialNumber, value);
    }

    /// <summary>Opens of files on the volume (the I/O manager counts them).</summary>
    public uint ReferenceCount
    {
        get => ViewMemory.Read<uint>(Address + VpbLayout.ReferenceCount);
        internal set => ViewMemory.Write(Address + VpbLayout.ReferenceCount, value);
    }

    /// <summary>The volume label (at most MAXIMUM_VOLUME_LABEL_LENGTH bytes, 32 characters), as the file system set it.</summary>
    public string VolumeLabel
    {
        get
        {
            var length = Math.Min(ViewMemory.Read<ushort>(Address + VpbLayout.VolumeLabelLength), (ushort)VpbLayout.MAXIMUM_VOLUME_LABEL_LENGTH);
            var chars = new char[length / 2];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)ViewMemory.Read<ushort>(Address + VpbLayout.VolumeLabel + (ulong)(i * 2));
            }

            return new string(chars);
        }

        set
        {
            var length = Math.Min(value.Length, VpbLayout.MAXIMUM_VOLUME_LABEL_LENGTH / 2);
            for (var i = 0; i < length; i++)
            {
                ViewMemory.Write(Address + VpbLayout.VolumeLabel + (ulong)(i * 2), (ushort)value[i]);
            }

            ViewMemory.Write(Address + VpbLayout.VolumeLabelLength, (ushort)(length * 2));
        }
    }

    public override string ToString() => $"VPB 0x{Address:x16}";
}
