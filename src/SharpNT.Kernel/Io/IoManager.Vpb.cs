using SharpNT.Kernel.Io.Layout;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    private const uint TagVpb = 0x20627056; // 'Vpb '

    /// <summary>
    /// IopCreateVpb: IoCreateDevice gives a device of a type that can hold a file system (disk, CD-ROM,
    /// tape, virtual disk) a zeroed volume parameter block whose RealDevice is the device, so that the I/O
    /// manager can mount a file system on it. False when pool is exhausted.
    /// </summary>
    private bool CreateVpb(ulong device, uint deviceType)
    {
        if (deviceType is not (FILE_DEVICE.FILE_DEVICE_DISK or FILE_DEVICE.FILE_DEVICE_CD_ROM or FILE_DEVICE.FILE_DEVICE_TAPE
            or FILE_DEVICE.FILE_DEVICE_VIRTUAL_DISK))
        {
            return true;
        }

        var vpb = AllocateNonPaged(VpbLayout.Size, TagVpb);
        if (vpb == 0)
        {
            return false;
        }

        Mm.Fill(vpb, VpbLayout.Size, 0);
        Mm.Write(vpb + VpbLayout.Type, IO_TYPE.IO_TYPE_VPB);
        Mm.Write(vpb + VpbLayout.SizeField, (short)VpbLayout.Size);
        Mm.Write(vpb + VpbLayout.RealDevice, device);
        Mm.Write(device + DeviceObjectLayout.Vpb, vpb);
        return true;
    }

    /// <summary>The VPB IoCreateDevice made goes with its device (unless a mounted file system still holds it).</summary>
    private void FreeVpb(DEVICE_OBJECT device)
    {
        var vpb = device.Vpb;
        if (vpb == 0 || Mm.Read<ulong>(vpb + VpbLayout.RealDevice) != device.Address
            || (Mm.Read<ushort>(vpb + VpbLayout.Flags) & VPB_FLAGS.VPB_MOUNTED) != 0)
        {
            return;
        }

        device.Vpb = 0;
        FreePool(vpb);
    }
}
