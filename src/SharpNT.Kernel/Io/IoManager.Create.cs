using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel.Io;

internal sealed partial class IoManager
{
    internal const uint TagFile = 0x656C6946; // 'File'

    /// <summary>One boxed instance per object in kernel memory: what the object manager keeps as its body.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, object> _bodies = new();

    /// <summary>Per-open state of a FILE_OBJECT that has no place in its bytes (the managed event it waits on).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ulong, KEVENT> _fileEvents = new();

    /// <summary>
    /// The I/O manager's open packet (OPEN_PACKET): what IoCreateFile asks for, handed through the object
    /// manager's lookup to the device parse procedure.
    /// </summary>
    internal sealed class OpenPacket
    {
        internal uint Disposition { get; init; } = FILE_OPEN;

        internal uint CreateOptions { get; init; }

        internal ushort FileAttributes { get; init; }

        internal ushort ShareAccess { get; init; }

        internal uint DesiredAccess { get; init; }

        internal NTSTATUS FinalStatus { get; set; }

        internal ulong Information { get; set; }

        internal bool ParseCalled { get; set; }
    }

    internal const uint FILE_SUPERSEDE = 0;
    internal const uint FILE_OPEN = 1;
    internal const uint FILE_CREATE = 2;
    internal const uint FILE_OPEN_IF = 3;
    internal const uint FILE_OVERWRITE = 4;
    internal const uint FILE_OVERWRITE_IF = 5;

    // CreateOptions the I/O manager itself acts on.
    internal const uint FILE_DIRECTORY_FILE = 0x00000001;
    internal const uint FILE_SYNCHRONOUS_IO_ALERT = 0x00000010;
    internal const uint FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;
    internal const uint FILE_NON_DIRECTORY_FILE = 0x00000040;

    /// <summary>Hooks the I/O manager's procedures into the Device, File and Driver object types.</summary>
    private void HookObjectTypes()
    {
        var ob = _machine.Ob;
        ob.Canonicalize = Canonical;
        ob.DeviceType.ParseProcedure = ParseDevice;
        ob.DeviceType.DeleteProcedure = body =>
        {
            if (body is DEVICE_OBJECT device)
            {
                FreeDevice(device);
            }
        };
        ob.FileType.CloseProcedure = CloseFile;
        ob.FileType.DeleteProcedure = body =>
        {
            if (body is FILE_OBJECT file)
            {
                DeleteFile(file);
            }
        };
        ob.FileType.DefaultObject = body => body is FILE_OBJECT file ? FileEvent(file) : null;
        ob.DriverType.DeleteProcedure = body =>
        {
            if (body is DRIVER_OBJECT driver)
            {
                var nameBuffer = Mm.Read<ulong>(driver.Address + DriverObjectLayout.DriverName + UnicodeStringLayout.Buffer);
                if (nameBuffer != 0)
                {
                    FreePool(nameBuffer);
                }

                FreePool(driver.Address);
            }
        };
    }

    private object Canonical(object body)
    {
        // Lock-free reads: every object reference of an I/O object passes through here.
        return body is IKernelObjectView view && _bodies.TryGetValue(view.Address, out var canonical) ? canonical : body;
    }

    private object BodyFor(IKernelObjectView view) => _bodies.GetOrAdd(view.Address, view);

    private void ForgetBody(ulong address) => _bodies.TryRemove(address, out _);

    private void OnDriverObjectCreated(LoadedDriver driver)
    {
        var ob = _machine.Ob;
        var body = BodyFor(driver.DriverObject);
        var status = ob.CreateNamedObject(ob.DriverType, body, driver.Name,
            OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE | OBJECT_ATTRIBUTES.OBJ_PERMANENT);
        if (status.IsSuccess())
        {
            ob.InsertObject(body, KPROCESSOR_MODE.KernelMode, out _);
        }
    }

    private void OnDriverObjectDeleted(LoadedDriver driver)
    {
        var ob = _machine.Ob;
        var body = Canonical(driver.DriverObject);
        if (ob.TryGetHeader(body) is null)
        {
            FreePool(driver.DriverObject.Address);
            return;
        }

        ob.MakeTemporaryObject(body);
        ob.DereferenceObject(body);
        ForgetBody(driver.DriverObject.Address);
    }

    /// <summary>IoCreateDevice's object manager half: a permanent named (or unnamed) Device object.</summary>
    private NTSTATUS OnDeviceObjectCreated(DEVICE_OBJECT device, string? name)
    {
        var ob = _machine.Ob;
        var body = BodyFor(device);
        var status = ob.CreateNamedObject(ob.DeviceType, body, name,
            OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE | (name is null ? 0 : OBJECT_ATTRIBUTES.OBJ_PERMANENT));
        if (status.IsSuccess() && name is not null)
        {
            status = ob.InsertObject(body, KPROCESSOR_MODE.KernelMode, out _);
        }

        if (!status.IsSuccess())
        {
            ForgetBody(device.Address);
        }

        return status;
    }

    /// <summary>IoDeleteDevice's object manager half: the name goes now.</summary>
    private void OnDeviceObjectDeleted(DEVICE_OBJECT device, string? name)
    {
        if (name is not null)
        {
            _machine.Ob.MakeTemporaryObject(Canonical(device));
        }
    }

    /// <summary>
    /// IopCompleteUnloadOrDelete: a deleted device with no opens left drops the creator's reference; its
    /// memory goes with the last reference (the Device type's delete procedure).
    /// </summary>
    private void CompleteUnloadOrDelete(DEVICE_OBJECT device)
    {
        var record = RecordOf(device);
        if (record is null || record.Dereferenced)
        {
            return;
        }

        record.Dereferenced = true;
        var driver = device.DriverObject;
        _machine.Ob.DereferenceObject(Canonical(device));
        if (DriverOf(driver) is { Unloaded: true } owner && driver.DeviceObject.IsNull)
        {
            ForgetDriver(owner);
        }
    }

    /// <summary>
    /// IoGetRelatedDeviceObject: the device at the top of the stack a file object's requests go to: for a
    /// file on a mounted volume the top of the file system's volume device stack (the VPB's DeviceObject),
    /// otherwise the top of the opened device's stack.
    /// </summary>
    internal static DEVICE_OBJECT GetRelatedDeviceObject(FILE_OBJECT file)
    {
        var vpb = new VPB(file.Vpb);
        if (!vpb.IsNull && !vpb.DeviceObject.IsNull)
        {
            return GetAttachedDevice(vpb.DeviceObject);
        }

        var device = file.DeviceObject;
        if ((file.Flags & FO_FLAGS.FO_DIRECT_DEVICE_OPEN) == 0 && device.Vpb != 0)
        {
            vpb = new VPB(device.Vpb);
            if (!vpb.DeviceObject.IsNull)
            {
                return GetAttachedDevice(vpb.DeviceObject);
            }
        }

        return GetAttachedDevice(device);
    }

    private KEVENT? FileEvent(FILE_OBJECT file) => _fileEvents.GetValueOrDefault(file.Address);

    /// <summary>
    /// The Device type's parse procedure (IopParseDevice): an open that reaches a device builds a
    /// FILE_OBJECT for the rest of the name and sends IRP_MJ_CREATE to the top of the device's stack.
    /// A lookup that is not an open (no open packet) gets the device object itself.
    /// </summary>
    private NTSTATUS ParseDevice(object parseObject, OBJECT_TYPE? objectType, ACCESS_STATE accessState, KPROCESSOR_MODE accessMode,
        uint attributes, ref UNICODE_STRING completeName, ref UNICODE_STRING remainingName, object? context, object? securityQos,
        out object? result)
    {
        result = null;
        if (parseObject is not DEVICE_OBJECT device)
        {
            return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        if (context is not OpenPacket packet)
        {
            if (remainingName.Length != 0)
            {
                return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
            }

            _machine.Ob.ReferenceObject(parseObject);
            result = parseObject;
            return NTSTATUS.STATUS_SUCCESS;
        }

        packet.ParseCalled = true;
        if (RecordOf(device) is null or { DeletePending: true })
        {
            return NTSTATUS.STATUS_DELETE_PENDING;
        }

        var access = CheckDeviceAccess(device, packet.DesiredAccess, remainingName.Length == 0, accessMode);
        if (!access.IsSuccess())
        {
            return access;
        }

        if ((device.Flags & DO_FLAGS.DO_DEVICE_INITIALIZING) != 0)
        {
            // A device whose driver has not finished initialising it cannot be opened yet.
            return NTSTATUS.STATUS_NO_SUCH_DEVICE;
        }

        // An open below a storage device's name is an open on its volume: mount it first (IopMountVolume).
        var status = ResolveVolumeOpen(device, packet, remainingName.Value, out var vpb);
        if (!status.IsSuccess())
        {
            packet.FinalStatus = status;
            return status;
        }

        status = CreateFileObject(device, remainingName.Value, out var file);
        if (!status.IsSuccess())
        {
            return status;
        }

        file.Flags |= FileObjectFlagsFor(packet.CreateOptions) | (vpb.IsNull && device.Vpb != 0 ? FO_FLAGS.FO_DIRECT_DEVICE_OPEN : 0);
        DEVICE_OBJECT top;
        if (vpb.IsNull)
        {
            top = GetAttachedDevice(device);
        }
        else
        {
            file.Vpb = vpb.Address;
            vpb.ReferenceCount++;
            top = GetAttachedDevice(vpb.DeviceObject);
        }

        device.ReferenceCount++;
        status = SendCreate(top, file, packet, accessMode);
        packet.FinalStatus = status;
        if (!status.IsSuccess())
        {
            device.ReferenceCount--;
            if (!vpb.IsNull)
            {
                vpb.ReferenceCount--;
            }


            // No IRP_MJ_CLOSE for an open that failed: the file object just goes.
            MarkFileOpenFailed(file);
            _machine.Ob.DereferenceObject(Canonical(file));
            return status;
        }

        result = Canonical(file);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// IopParseDevice's access check: a user-mode open of a device whose object carries a security
    /// descriptor is checked against the opener's token. An open of a name inside the device's namespace
    /// (a file on a volume) is checked only if the device has FILE_DEVICE_SECURE_OPEN; otherwise the
    /// driver is left to decide, which is the documented reason to set that characteristic.
    /// </summary>
    private NTSTATUS CheckDeviceAccess(DEVICE_OBJECT device, uint desiredAccess, bool openOfDevice, KPROCESSOR_MODE accessMode)
    {
        if (accessMode != KPROCESSOR_MODE.UserMode
            || (!openOfDevice && (device.Characteristics & FILE_CHARACTERISTICS.FILE_DEVICE_SECURE_OPEN) == 0)
            || _machine.Ob.TryGetHeader(Canonical(device))?.SecurityDescriptor is not Se.SECURITY_DESCRIPTOR descriptor)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var token = _machine.Ob.CurrentProcess.Token ?? Se.WellKnownTokens.System();
        return Se.SecurityReferenceMonitor.AccessCheck(descriptor, token, desiredAccess, 0, _machine.Ob.FileType.GenericMapping,
            accessMode, out _);
    }

    private readonly HashSet<ulong> _failedOpens = [];

    /// <summary>The FO_* bits IoCreateFile derives from the create options (FILE_SYNCHRONOUS_IO_NONALERT, ...).</summary>
    private static uint FileObjectFlagsFor(uint createOptions)
    {
        uint flags = 0;
        if ((createOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) != 0)
        {
            flags |= FO_FLAGS.FO_SYNCHRONOUS_IO | ((createOptions & FILE_SYNCHRONOUS_IO_ALERT) != 0 ? FO_FLAGS.FO_ALERTABLE_IO : 0);
        }

        if ((createOptions & FILE_NO_INTERMEDIATE_BUFFERING) != 0)
        {
            flags |= FO_FLAGS.FO_NO_INTERMEDIATE_BUFFERING;
        }

        if ((createOptions & FILE_WRITE_THROUGH) != 0)
        {
            flags |= FO_FLAGS.FO_WRITE_THROUGH;
        }

        if ((createOptions & FILE_SEQUENTIAL_ONLY) != 0)
        {
            flags |= FO_FLAGS.FO_SEQUENTIAL_ONLY;
        }

        if ((createOptions & FILE_RANDOM_ACCESS) != 0)
        {
            flags |= FO_FLAGS.FO_RANDOM_ACCESS;
        }

        return flags;
    }

    internal const uint FILE_WRITE_THROUGH = 0x00000002;
    internal const uint FILE_SEQUENTIAL_ONLY = 0x00000004;
    internal const uint FILE_NO_INTERMEDIATE_BUFFERING = 0x00000008;
    internal const uint FILE_RANDOM_ACCESS = 0x00000800;

    private void MarkFileOpenFailed(FILE_OBJECT file)
    {
        lock (_failedOpens)
        {
            _failedOpens.Add(file.Address);
        }
    }

    /// <summary>A FILE_OBJECT in nonpaged pool, made an object of the File type with one reference.</summary>
    private NTSTATUS CreateFileObject(DEVICE_OBJECT device, string fileName, out FILE_OBJECT file)
    {
        file = FILE_OBJECT.NULL;
        var address = AllocateNonPaged(FileObjectLayout.Size, TagFile);
        if (address == 0)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        Mm.Write(address + FileObjectLayout.Type, IO_TYPE.IO_TYPE_FILE);
        Mm.Write(address + FileObjectLayout.SizeField, (short)FileObjectLayout.Size);
        Mm.Write(address + FileObjectLayout.DeviceObject, device.Address);
        file = new FILE_OBJECT(address);
        SetFileName(file, fileName);
        var evt = new KEVENT();
        KernelCore.InitializeEvent(evt, EVENT_TYPE.NotificationEvent, false);
        _fileEvents[address] = evt;

        var ob = _machine.Ob;
        var status = ob.CreateObject(ob.FileType, BodyFor(file), null);
        if (!status.IsSuccess())
        {
            ForgetBody(address);
            FreePool(address);
            file = FILE_OBJECT.NULL;
        }

        return status;
    }

    /// <summary>FILE_OBJECT.FileName: a UNICODE_STRING whose buffer is in paged... nonpaged pool here, as the name is read at any IRQL.</summary>
    private void SetFileName(FILE_OBJECT file, string name)
    {
        if (name.Length == 0)
        {
            return;
        }

        var bytes = System.Text.Encoding.Unicode.GetBytes(name);
        var buffer = AllocateNonPaged((ulong)bytes.Length, TagFile);
        if (buffer == 0)
        {
            return;
        }

        Mm.Write(buffer, (ReadOnlySpan<byte>)bytes);
        Mm.Write(file.Address + FileObjectLayout.FileName + UnicodeStringLayout.Length, (ushort)bytes.Length);
        Mm.Write(file.Address + FileObjectLayout.FileName + UnicodeStringLayout.MaximumLength, (ushort)bytes.Length);
        Mm.Write(file.Address + FileObjectLayout.FileName + UnicodeStringLayout.Buffer, buffer);
    }

    /// <summary>The FILE_OBJECT's FileName as a string.</summary>
    internal string FileNameOf(FILE_OBJECT file)
    {
        var length = Mm.Read<ushort>(file.Address + FileObjectLayout.FileName + UnicodeStringLayout.Length);
        var buffer = Mm.Read<ulong>(file.Address + FileObjectLayout.FileName + UnicodeStringLayout.Buffer);
        if (length == 0 || buffer == 0)
        {
            return "";
        }

        // Read straight into the string's characters: filters ask for the name on every request.
        return string.Create(length / 2, (buffer, Mm), static (chars, state) =>
            state.Mm.Read(state.buffer, System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars)));
    }

    /// <summary>Sends IRP_MJ_CREATE for a new file object and waits for its completion.</summary>
    private NTSTATUS SendCreate(DEVICE_OBJECT top, FILE_OBJECT file, OpenPacket packet, KPROCESSOR_MODE requestorMode)
    {
        var irp = AllocateIrp(top.StackSize, false);
        if (irp.IsNull)
        {
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = IRP_MJ.IRP_MJ_CREATE;
        sl.FileObject = file;
        sl.Parameters.Create.Options = (packet.Disposition << 24) | (packet.CreateOptions & 0x00FFFFFF);
        sl.Parameters.Create.FileAttributes = packet.FileAttributes;
        sl.Parameters.Create.ShareAccess = packet.ShareAccess;

        // IO_SECURITY_CONTEXT: the access the file system checks (sharing, read-only files), generic rights
        // already mapped through the File type's GENERIC_MAPPING, as the I/O manager hands it down.
        var securityContext = AllocateNonPaged(IoSecurityContextLayout.Size, TagFile);
        if (securityContext == 0)
        {
            FreeIrp(irp);
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var desiredAccess = _machine.Ob.FileType.GrantedAccessFor(packet.DesiredAccess);
        Mm.Fill(securityContext, IoSecurityContextLayout.Size, 0);
        Mm.Write(securityContext + IoSecurityContextLayout.DesiredAccess, desiredAccess);
        Mm.Write(securityContext + IoSecurityContextLayout.FullCreateOptions, packet.CreateOptions);
        sl.Parameters.Create.SecurityContext = securityContext;
        irp.Tail.Overlay.OriginalFileObject = file;
        irp.RequestorMode = requestorMode;
        // IopParseDevice defers completion: when the file system does not pend the create, the rest of
        // completion runs here on return, with no APC.
        irp.Flags = IRP_FLAGS.IRP_CREATE_OPERATION | IRP_FLAGS.IRP_SYNCHRONOUS_API | IRP_FLAGS.IRP_DEFER_IO_COMPLETION;
        var status = SendSynchronous(top, irp, out var information);
        FreePool(securityContext);
        packet.Information = information;
        return status;
    }

    /// <summary>
    /// Sends an I/O-manager-built IRP and waits for it: the IRP completes into a kernel event and the
    /// status block the I/O manager keeps for it.
    /// </summary>
    private NTSTATUS SendSynchronous(DEVICE_OBJECT top, IRP irp, out ulong information)
    {
        var evt = new KEVENT();
        KernelCore.InitializeEvent(evt, EVENT_TYPE.NotificationEvent, false);
        var iosb = AllocateNonPaged(IoStatusBlockLayout.Size, TagIrp);
        irp.UserIosb = iosb;
        irp.UserEvent = Pointers.Pin(evt);
        var deferred = (irp.Flags & IRP_FLAGS.IRP_DEFER_IO_COMPLETION) != 0;
        QueueThreadedIrp(irp);
        var status = CallDriver(top, irp);
        if (status != NTSTATUS.STATUS_PENDING && deferred)
        {
            // Completed without being pended: IoCompleteRequest left the rest of completion to the sender.
            FinishInRequesterContext(irp, _machine.Ke.CurrentThread);
        }
        else if (status == NTSTATUS.STATUS_PENDING)
        {
            ReadOnlySpan<DispatcherObject> wait = [evt];
            _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, KPROCESSOR_MODE.KernelMode, false, null, null);
        }

        status = Mm.Read<NTSTATUS>(iosb + IoStatusBlockLayout.Status);
        information = Mm.Read<ulong>(iosb + IoStatusBlockLayout.Information);
        FreePool(iosb);
        return status;
    }

    /// <summary>
    /// The File type's close procedure (IopCloseFile): when the last handle to a file object goes, the
    /// driver gets IRP_MJ_CLEANUP; when another handle to a file object that has seen lock requests goes, the
    /// closing process's byte-range locks are released (FastIoUnlockAll or IRP_MN_UNLOCK_ALL).
    /// </summary>
    private void CloseFile(Ps.EPROCESS? process, object body, uint grantedAccess, ulong processHandleCount, ulong systemHandleCount)
    {
        if (systemHandleCount != 1 && body is FILE_OBJECT locked && Mm.Read<byte>(locked.Address + FileObjectLayout.LockOperation) != 0)
        {
            // Not the last handle, so no cleanup: the closing process's byte-range locks go now (IopCloseFile).
            UnlockAllOnClose(locked, process);
        }

        if (systemHandleCount != 1 || body is not FILE_OBJECT file)
        {
            return;
        }

        SendFileRequest(file, IRP_MJ.IRP_MJ_CLEANUP);
    }

    /// <summary>
    /// The File type's delete procedure (IopDeleteFile): when the last reference goes, the driver gets
    /// IRP_MJ_CLOSE, the device loses an open, and the FILE_OBJECT's memory goes.
    /// </summary>
    private void DeleteFile(FILE_OBJECT file)
    {
        bool failed;
        lock (_failedOpens)
        {
            failed = _failedOpens.Remove(file.Address);
        }

        if (!failed)
        {
            SendFileRequest(file, IRP_MJ.IRP_MJ_CLOSE);
            var device = file.DeviceObject;
            device.ReferenceCount--;
            if (file.Vpb != 0)
            {
                var vpb = new VPB(file.Vpb);
                vpb.ReferenceCount--;
            }

            if (device.ReferenceCount == 0 && RecordOf(device) is { DeletePending: true })
            {
                CompleteUnloadOrDelete(device);
            }

            // A device surprise-removed while open waits for its last handle before IRP_MN_REMOVE_DEVICE.
            _machine.Pnp.OnFileObjectClosed(device);
        }

        _fileEvents.TryRemove(file.Address, out _);

        var nameBuffer = Mm.Read<ulong>(file.Address + FileObjectLayout.FileName + UnicodeStringLayout.Buffer);
        if (nameBuffer != 0)
        {
            FreePool(nameBuffer);
        }

        ForgetBody(file.Address);
        Mm.Write(file.Address + FileObjectLayout.Type, (short)0);
        FreePool(file.Address);
    }

    private void SendFileRequest(FILE_OBJECT file, byte major)
    {
        var top = GetRelatedDeviceObject(file);
        var irp = AllocateIrp(top.StackSize, false);
        if (irp.IsNull)
        {
            return;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = major;
        sl.FileObject = file;
        irp.Tail.Overlay.OriginalFileObject = file;
        irp.RequestorMode = KPROCESSOR_MODE.KernelMode;
        // IopCloseFile (cleanup) and IopDeleteFile (close) both mark the IRP a close operation: its completion
        // sets the status block and event directly, with no APC to the requester.
        irp.Flags = IRP_FLAGS.IRP_CLOSE_OPERATION | IRP_FLAGS.IRP_SYNCHRONOUS_API;
        if (major == IRP_MJ.IRP_MJ_CLEANUP)
        {
            // IopCloseFile names the closing thread: IoGetRequestorProcess(Irp) at cleanup is the process whose
            // byte-range locks on the file object the file system releases (FsRtlFastUnlockAll).
            var thread = _machine.Ke.CurrentThread;
            RegisterThread(thread);
            irp.Tail.Overlay.Thread = thread.Address;
        }

        SendSynchronous(top, irp, out _);
    }

    /// <summary>
    /// IoCreateFile: opens (or creates) the object a name leads to, through the object manager; for a
    /// device, the parse procedure sends IRP_MJ_CREATE. Returns a handle in the caller's process.
    /// </summary>
    internal NTSTATUS CreateFile(out HANDLE handle, uint desiredAccess, in OBJECT_ATTRIBUTES attributes, out NTSTATUS ioStatus,
        out ulong information, ushort fileAttributes, ushort shareAccess, uint disposition, uint createOptions, KPROCESSOR_MODE accessMode)
    {
        var packet = new OpenPacket
        {
            DesiredAccess = desiredAccess,
            Disposition = disposition,
            CreateOptions = createOptions,
            FileAttributes = fileAttributes,
            ShareAccess = shareAccess,
        };
        var status = _machine.Ob.OpenObjectByName(attributes, null, accessMode, null, desiredAccess, packet, out handle);
        if (status.IsSuccess() && !packet.ParseCalled)
        {
            // The name led to something that is not a device or file: NT refuses it as a file.
            _machine.Ob.CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
            handle = HANDLE.NULL;
            status = NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
        }

        ioStatus = packet.ParseCalled ? packet.FinalStatus : status;
        information = packet.Information;
        return status;
    }

    /// <summary>
    /// IoGetDeviceObjectPointer: IRQL PASSIVE_LEVEL. Opens the named device and returns its file object
    /// (referenced: dereferencing it later closes the open) and the top of its device stack.
    /// </summary>
    internal NTSTATUS GetDeviceObjectPointer(string objectName, uint desiredAccess, out FILE_OBJECT fileObject, out DEVICE_OBJECT deviceObject)
    {
        fileObject = FILE_OBJECT.NULL;
        deviceObject = DEVICE_OBJECT.NULL;
        OBJECT_ATTRIBUTES.Initialize(out var oa, new UNICODE_STRING(objectName),
            OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE | OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE, HANDLE.NULL, null);
        var status = CreateFile(out var handle, desiredAccess, oa, out _, out _, 0, 0, FILE_OPEN, 0x40 /* FILE_NON_DIRECTORY_FILE */,
            KPROCESSOR_MODE.KernelMode);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = _machine.Ob.ReferenceObjectByHandle(handle, 0, _machine.Ob.FileType, KPROCESSOR_MODE.KernelMode, out var body, out _);
        _machine.Ob.CloseHandle(handle, KPROCESSOR_MODE.KernelMode);
        if (!status.IsSuccess())
        {
            return status;
        }

        fileObject = (FILE_OBJECT)body!;
        deviceObject = GetRelatedDeviceObject(fileObject);
        return NTSTATUS.STATUS_SUCCESS;
    }
}
