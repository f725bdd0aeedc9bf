using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

// The mount path: volume parameter blocks, the registered file systems, IopMountVolume on the first open
// of a storage device whose volume is not mounted, drive letters, and the file systems' shutdown.
internal sealed partial class IoManager
{
    internal const uint TagVpb = 0x20627056; // 'Vpb '

    /// <summary>Registered file systems' control devices, newest first (IoRegisterFileSystem inserts at the head).</summary>
    private readonly List<DEVICE_OBJECT> _fileSystems = [];

    /// <summary>IoRegisterFsRegistrationChange's routines, in registration order.</summary>
    private readonly List<(DRIVER_OBJECT Driver, DRIVER_FS_NOTIFICATION Routine)> _fsNotifications = [];

    /// <summary>Serialises mounts, as NT's device lock does: two first opens of one volume mount it once.</summary>
    private readonly KMUTEX _mountMutex = NewMountMutex();

    private static KMUTEX NewMountMutex()
    {
        var mutex = new KMUTEX();
        KernelCore.InitializeMutex(mutex);
        return mutex;
    }

    /// <summary>Whether any file system is registered (a clean shutdown then has volumes to flush).</summary>
    internal bool HasFileSystems
    {
        get
        {
            lock (_fileSystems)
            {
                return _fileSystems.Count != 0;
            }
        }
    }

    /// <summary>
    /// IopCreateVpb: IoCreateDevice gives every disk, CD-ROM, virtual disk and tape device a VPB, so a file
    /// system can be mounted on it.
    /// </summary>
    private void CreateVpb(DEVICE_OBJECT device)
    {
        var address = AllocateNonPaged(VpbLayout.Size, TagVpb);
        if (address == 0)
        {
            return;
        }

        Mm.Fill(address, VpbLayout.Size, 0);
        Mm.Write(address + VpbLayout.Type, IO_TYPE.IO_TYPE_VPB);
        Mm.Write(address + VpbLayout.SizeField, (short)VpbLayout.Size);
        Mm.Write(address + VpbLayout.RealDevice, device.Address);
        device.Vpb = address;
    }

    private static bool HasVpbType(uint deviceType) =>
        deviceType is FILE_DEVICE.FILE_DEVICE_DISK or FILE_DEVICE.FILE_DEVICE_CD_ROM or FILE_DEVICE.FILE_DEVICE_VIRTUAL_DISK
            or FILE_DEVICE.FILE_DEVICE_TAPE;

    /// <summary>The VPB IoCreateDevice made goes with its device, unless a mounted file system still holds it.</summary>
    private void FreeVpb(DEVICE_OBJECT device)
    {
        var vpb = Mm.Read<ulong>(device.Address + DeviceObjectLayout.Vpb);
        if (vpb != 0 && Mm.Read<ulong>(vpb + VpbLayout.RealDevice) == device.Address
            && (Mm.Read<ushort>(vpb + VpbLayout.Flags) & VPB_FLAGS.VPB_MOUNTED) == 0)
        {
            Mm.Write(device.Address + DeviceObjectLayout.Vpb, 0UL);
            FreePool(vpb);
        }
    }

    /// <summary>
    /// IoRegisterFileSystem: IRQL PASSIVE_LEVEL. Adds a file system's control device (of type
    /// FILE_DEVICE_DISK_FILE_SYSTEM, _CD_ROM_, _TAPE_ or _NETWORK_FILE_SYSTEM) to the head of the list the
    /// mount path asks, and tells the routines registered with IoRegisterFsRegistrationChange.
    /// </summary>
    internal void RegisterFileSystem(DEVICE_OBJECT deviceObject)
    {
        CheckPassive();
        lock (_fileSystems)
        {
            if ((deviceObject.Flags & DO_FLAGS.DO_LOW_PRIORITY_FILESYSTEM) != 0)
            {
                // RAW and its kind are asked only after every other file system.
                _fileSystems.Add(deviceObject);
            }
            else
            {
                _fileSystems.Insert(0, deviceObject);
            }
        }

        NotifyFileSystemChange(deviceObject, true);
    }

    /// <summary>IoUnregisterFileSystem: IRQL PASSIVE_LEVEL. The file system is no longer asked to mount volumes.</summary>
    internal void UnregisterFileSystem(DEVICE_OBJECT deviceObject)
    {
        CheckPassive();
        bool removed;
        lock (_fileSystems)
        {
            removed = _fileSystems.Remove(deviceObject);
        }

        if (removed)
        {
            NotifyFileSystemChange(deviceObject, false);
        }
    }

    /// <summary>
    /// IoRegisterFsRegistrationChange: IRQL PASSIVE_LEVEL. The routine is called for every file system that
    /// registers or unregisters from now on, and at once for each file system already registered.
    /// </summary>
    internal NTSTATUS RegisterFsRegistrationChange(DRIVER_OBJECT driverObject, DRIVER_FS_NOTIFICATION routine)
    {
        CheckPassive();
        DEVICE_OBJECT[] existing;
        lock (_fileSystems)
        {
            _fsNotifications.Add((driverObject, routine));
            existing = [.. _fileSystems];
        }

        // Oldest first, as they registered.
        for (var i = existing.Length - 1; i >= 0; i--)
        {
            routine(existing[i], true);
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>IoUnregisterFsRegistrationChange: IRQL PASSIVE_LEVEL.</summary>
    internal void UnregisterFsRegistrationChange(DRIVER_OBJECT driverObject, DRIVER_FS_NOTIFICATION routine)
    {
        lock (_fileSystems)
        {
            _fsNotifications.RemoveAll(n => n.Driver == driverObject && n.Routine == routine);
        }
    }

    private void NotifyFileSystemChange(DEVICE_OBJECT deviceObject, bool active)
    {
        (DRIVER_OBJECT Driver, DRIVER_FS_NOTIFICATION Routine)[] routines;
        lock (_fileSystems)
        {
            routines = [.. _fsNotifications];
        }

        foreach (var (_, routine) in routines)
        {
            routine(deviceObject, active);
        }
    }

    /// <summary>The file system device type that mounts volumes of a storage device type.</summary>
    private static uint FileSystemTypeFor(uint deviceType) => deviceType switch
    {
        FILE_DEVICE.FILE_DEVICE_CD_ROM => FILE_DEVICE.FILE_DEVICE_CD_ROM_FILE_SYSTEM,
        FILE_DEVICE.FILE_DEVICE_TAPE => FILE_DEVICE.FILE_DEVICE_TAPE_FILE_SYSTEM,
        _ => FILE_DEVICE.FILE_DEVICE_DISK_FILE_SYSTEM,
    };

    /// <summary>
    /// IopMountVolume: each registered file system of the right type, newest first, gets
    /// IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_MOUNT_VOLUME with the VPB and the top of the storage stack.
    /// STATUS_UNRECOGNIZED_VOLUME moves on to the next; success sets VPB_MOUNTED; any other error (the file
    /// system knows the volume but cannot mount it, e.g. STATUS_FILE_CORRUPT_ERROR) ends the search.
    /// </summary>
    /// <returns>STATUS_SUCCESS with the VPB mounted; STATUS_UNRECOGNIZED_VOLUME when no file system took it.</returns>
    internal NTSTATUS MountVolume(DEVICE_OBJECT device, bool allowRawMount = false)
    {
        CheckPassive();
        var vpb = new VPB(device.Vpb);
        if (vpb.IsNull)
        {
            return NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
        }

        ReadOnlySpan<DispatcherObject> wait = [_mountMutex];
        _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
        try
        {
            if ((vpb.Flags & VPB_FLAGS.VPB_MOUNTED) != 0)
            {
                return NTSTATUS.STATUS_SUCCESS;
            }

            var fileSystemType = FileSystemTypeFor(device.DeviceType);
            if (allowRawMount)
            {
                EnsureRawFileSystem();
            }

            DEVICE_OBJECT[] candidates;
            lock (_fileSystems)
            {
                // RAW (a low-priority file system) takes a volume only when the open names the volume itself.
                candidates = [.. _fileSystems.Where(fs => fs.DeviceType == fileSystemType
                    && (allowRawMount || (fs.Flags & DO_FLAGS.DO_LOW_PRIORITY_FILESYSTEM) == 0))];
            }

            var status = NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
            foreach (var fileSystem in candidates)
            {
                status = SendMount(fileSystem, vpb, GetAttachedDevice(device));
                if (status.IsSuccess())
                {
                    if (vpb.DeviceObject.IsNull)
                    {
                        // A file system that accepts a volume must name its volume device in the VPB.
                        status = NTSTATUS.STATUS_UNRECOGNIZED_VOLUME;
                        continue;
                    }

                    vpb.Flags |= VPB_FLAGS.VPB_MOUNTED;
                    break;
                }

                if (status != NTSTATUS.STATUS_UNRECOGNIZED_VOLUME)
                {
                    break;
                }
            }

            return status;
        }
        finally
        {
            _machine.Ke.ReleaseMutex(_mountMutex);
        }
    }

    private bool _rawLoaded;

    /// <summary>The RAW file system, part of the kernel as on NT, registered the first time a mount may use it.</summary>
    private void EnsureRawFileSystem()
    {
        lock (_fileSystems)
        {
            if (_rawLoaded)
            {
                return;
            }

            _rawLoaded = true;
        }

        LoadDriver(new RawFileSystem(), out _);
    }

    private NTSTATUS SendMount(DEVICE_OBJECT fileSystem, VPB vpb, DEVICE_OBJECT storageTop)
    {
        // Sent to the top of the file system's control device stack: a filter attached there sees the mount.
        var top = GetAttachedDevice(fileSystem);
        var irp = AllocateIrp(top.StackSize, false);
        if (irp.IsNull)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = IRP_MJ.IRP_MJ_FILE_SYSTEM_CONTROL;
        sl.MinorFunction = IRP_MN.IRP_MN_MOUNT_VOLUME;
        sl.Parameters.MountVolume.Vpb = vpb.Address;
        sl.Parameters.MountVolume.DeviceObject = storageTop.Address;
        irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
        irp.Flags = IRP_FLAGS.IRP_MOUNT_COMPLETION | IRP_FLAGS.IRP_SYNCHRONOUS_PAGING_IO;
        return SendSynchronous(top, irp, out _);
    }

    /// <summary>
    /// An open of a storage device that is not a direct device open (a name follows the device, or more than
    /// attribute access is asked) is an open on its volume: mounts it if needed and returns the file system's
    /// volume device, or the error to give the opener.
    /// </summary>
    private NTSTATUS ResolveVolumeOpen(DEVICE_OBJECT device, OpenPacket packet, string remainingName, out VPB vpb)
    {
        vpb = new VPB(device.Vpb);
        if (vpb.IsNull || IsDirectDeviceOpen(packet, remainingName))
        {
            vpb = VPB.NULL;
            return NTSTATUS.STATUS_SUCCESS;
        }

        return (vpb.Flags & VPB_FLAGS.VPB_MOUNTED) != 0 ? NTSTATUS.STATUS_SUCCESS : MountVolume(device, allowRawMount: remainingName.Length == 0);
    }

    /// <summary>
    /// IopParseDevice's direct device open: nothing after the device name and no access beyond what needs no
    /// file system (attributes, synchronisation, the security descriptor).
    /// </summary>
    private static bool IsDirectDeviceOpen(OpenPacket packet, string remainingName) =>
        remainingName.Length == 0
        && (packet.DesiredAccess & ~(AccessMask.SYNCHRONIZE | AccessMask.FILE_READ_ATTRIBUTES | AccessMask.READ_CONTROL
            | AccessMask.ACCESS_SYSTEM_SECURITY | AccessMask.WRITE_OWNER | AccessMask.WRITE_DAC)) == 0;

    /// <summary>
    /// The mount manager's drive letter: <c>\??\X:</c> becomes a symbolic link to the volume's storage device,
    /// so <c>\??\X:\DIR\FILE</c> opens DIR\FILE on it.
    /// </summary>
    internal NTSTATUS AssignDriveLetter(char letter, string deviceName)
    {
        letter = char.ToUpperInvariant(letter);
        if (letter is < 'A' or > 'Z')
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        return _machine.Ob.CreatePermanentSymbolicLink(new UNICODE_STRING($@"\??\{letter}:"), new UNICODE_STRING(deviceName));
    }

    /// <summary>
    /// IoShutdownSystem's file-system half: every registered file system's control device gets
    /// IRP_MJ_SHUTDOWN, so each flushes and dismounts its volumes before the machine stops.
    /// </summary>
    internal void ShutdownFileSystems()
    {
        CheckPassive();
        DEVICE_OBJECT[] fileSystems;
        lock (_fileSystems)
        {
            fileSystems = [.. _fileSystems];
        }

        foreach (var fileSystem in fileSystems)
        {
            var top = GetAttachedDevice(fileSystem);
            var irp = AllocateIrp(top.StackSize, false);
            if (irp.IsNull)
            {
                continue;
            }

            var sl = GetNextIrpStackLocation(irp);
            sl.MajorFunction = IRP_MJ.IRP_MJ_SHUTDOWN;
            irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
            irp.Flags = IRP_FLAGS.IRP_SYNCHRONOUS_API;
            SendSynchronous(top, irp, out _);
        }
    }
}
