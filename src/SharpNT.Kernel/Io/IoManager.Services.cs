using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Io.Layout;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Io;

/// <summary>
/// The I/O system services (NtCreateFile, NtReadFile, NtDeviceIoControlFile, ...): what a system call asks
/// of the I/O manager. With PreviousMode UserMode every pointer the caller passes is probed and what the
/// I/O manager needs is captured first; a bad pointer is the service's STATUS_ACCESS_VIOLATION, never a
/// fault in the kernel. Requests go down as threaded IRPs; a file object opened for synchronous I/O
/// (FILE_SYNCHRONOUS_IO_*) is waited on here and uses its current byte offset.
/// </summary>
internal sealed partial class IoManager
{
    /// <summary>LARGE_INTEGER ByteOffset HighPart -1, LowPart FILE_USE_FILE_POINTER_POSITION.</summary>
    internal const long FILE_USE_FILE_POINTER_POSITION = -2;

    /// <summary>LARGE_INTEGER ByteOffset HighPart -1, LowPart FILE_WRITE_TO_END_OF_FILE.</summary>
    internal const long FILE_WRITE_TO_END_OF_FILE = -1;

    private const uint FILE_MAXIMUM_DISPOSITION = FILE_OVERWRITE_IF;
    private const uint FILE_VALID_OPTION_FLAGS = 0x00FFFFFF;

    // FILE_INFORMATION_CLASS values the I/O manager answers or checks itself.
    private const int FileAccessInformation = 8;
    private const int FileRenameInformation = 10;
    private const int FileLinkInformation = 11;
    private const int FilePositionInformation = 14;

    /// <summary>FILE_RENAME_INFORMATION: ReplaceIfExists (BOOLEAN), RootDirectory at 8, FileNameLength at 16, FileName at 20.</summary>
    private const int FileRenameInformationNameOffset = 20;
    private const ushort FILE_SHARE_READ_WRITE = 3;
    private const uint FILE_OPEN_FOR_BACKUP_INTENT = 0x00004000;
    private const int FileModeInformation = 16;
    private const int FileMaximumInformation = 77;
    private const int FileFsMaximumInformation = 15;

    /// <summary>NtCreateFile: opens or creates a file or device; the handle and IO_STATUS_BLOCK go to the caller.</summary>
    internal NTSTATUS NtCreateFile(ulong fileHandle, uint desiredAccess, ulong objectAttributes, ulong ioStatusBlock, ulong allocationSize,
        uint fileAttributes, uint shareAccess, uint createDisposition, uint createOptions, ulong eaBuffer, uint eaLength)
    {
        var mode = PreviousMode;
        if (createDisposition > FILE_MAXIMUM_DISPOSITION || (createOptions & ~FILE_VALID_OPTION_FLAGS) != 0
            || (createOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) == (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)
            || ((createOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) != 0 && (desiredAccess & AccessMask.SYNCHRONIZE) == 0)
            || (createOptions & (FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE)) == (FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE)
            || (shareAccess & ~0x7u) != 0 || (eaLength != 0 && eaBuffer == 0))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        OBJECT_ATTRIBUTES attributes;
        try
        {
            Probe.ForWrite(Mm, fileHandle, 8, 4, mode);
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
            if (allocationSize != 0)
            {
                Probe.ForRead(allocationSize, 8, 4, mode);
                Mm.Read<long>(allocationSize, mode);
            }

            var captured = _machine.Ob.CaptureObjectAttributes(objectAttributes, mode, out attributes);
            if (!captured.IsSuccess())
            {
                return captured;
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = CreateFile(out var handle, desiredAccess, attributes, out var ioStatus, out var information,
            (ushort)fileAttributes, (ushort)shareAccess, createDisposition, createOptions, mode);
        try
        {
            if (status.IsSuccess())
            {
                Mm.Write(fileHandle, handle.Value, mode);
            }

            WriteIoStatus(ioStatusBlock, status.IsSuccess() ? ioStatus : status, information, mode);
        }
        catch (NtException e)
        {
            if (status.IsSuccess())
            {
                _machine.Ob.CloseHandle(handle, mode);
            }

            return e.Status;
        }

        return status;
    }

    /// <summary>NtOpenFile: NtCreateFile with FILE_OPEN and no attributes.</summary>
    internal NTSTATUS NtOpenFile(ulong fileHandle, uint desiredAccess, ulong objectAttributes, ulong ioStatusBlock, uint shareAccess, uint openOptions) =>
        NtCreateFile(fileHandle, desiredAccess, objectAttributes, ioStatusBlock, 0, 0, shareAccess, FILE_OPEN, openOptions, 0, 0);

    /// <summary>
    /// NtReadFile: IRP_MJ_READ to the file's device, buffered as the device asks; an ApcRoutine is queued to the
    /// caller as a user APC (ApcContext, IoStatusBlock, 0) once the request is done (see IoManager.UserApc.cs).
    /// </summary>
    internal NTSTATUS NtReadFile(HANDLE fileHandle, HANDLE eventHandle, ulong apcRoutine, ulong apcContext, ulong ioStatusBlock, ulong buffer,
        uint length, ulong byteOffset, ulong key) =>
        ReadWrite(IRP_MJ.IRP_MJ_READ, fileHandle, eventHandle, ioStatusBlock, buffer, length, byteOffset, key, apcRoutine, apcContext);

    /// <summary>NtWriteFile: IRP_MJ_WRITE to the file's device; an ApcRoutine as for NtReadFile.</summary>
    internal NTSTATUS NtWriteFile(HANDLE fileHandle, HANDLE eventHandle, ulong apcRoutine, ulong apcContext, ulong ioStatusBlock, ulong buffer,
        uint length, ulong byteOffset, ulong key) =>
        ReadWrite(IRP_MJ.IRP_MJ_WRITE, fileHandle, eventHandle, ioStatusBlock, buffer, length, byteOffset, key, apcRoutine, apcContext);

    private NTSTATUS ReadWrite(byte major, HANDLE fileHandle, HANDLE eventHandle, ulong ioStatusBlock, ulong buffer, uint length, ulong byteOffset, ulong key,
        ulong apcRoutine, ulong apcContext)
    {
        var mode = PreviousMode;
        var read = major == IRP_MJ.IRP_MJ_READ;
        long offset = 0;
        uint keyValue = 0;
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
            if (read)
            {
                Probe.ForWrite(Mm, buffer, length, 1, mode);
            }
            else
            {
                Probe.ForRead(buffer, length, 1, mode);
            }

            if (byteOffset != 0)
            {
                Probe.ForRead(byteOffset, 8, 4, mode);
                offset = Mm.Read<long>(byteOffset, mode);
            }

            if (key != 0)
            {
                Probe.ForRead(key, 4, 4, mode);
                keyValue = Mm.Read<uint>(key, mode);
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var access = read ? AccessMask.FILE_READ_DATA : AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA;
        var status = ReferenceFile(fileHandle, read ? AccessMask.FILE_READ_DATA : 0, mode, out var file, out var fileBody, out var granted);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (!read && (granted & access) == 0 && mode == KPROCESSOR_MODE.UserMode)
        {
            DereferenceFile(fileBody);
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        var synchronous = (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0;
        if (!read && mode == KPROCESSOR_MODE.UserMode && (granted & AccessMask.FILE_WRITE_DATA) == 0)
        {
            // A handle with FILE_APPEND_DATA alone writes only at the end of the file.
            offset = FILE_WRITE_TO_END_OF_FILE;
        }
        else if (synchronous && (byteOffset == 0 || offset == FILE_USE_FILE_POINTER_POSITION))
        {
            offset = file.CurrentByteOffset;
        }

        if (synchronous && file.PrivateCacheMap != 0 && apcRoutine == 0)
        {
            var fast = FastReadWrite(read, file, fileBody, eventHandle, ioStatusBlock, buffer, length, offset, keyValue, mode, out status);
            if (fast)
            {
                return status;
            }
        }

        status = BeginRequest(file, fileBody, eventHandle, mode, major, out var userEvent, out var device, out var irp, out var sl);
        if (!status.IsSuccess())
        {
            return status;
        }

        sl.Parameters.Read.Length = length;
        sl.Parameters.Read.Key = keyValue;
        sl.Parameters.Read.ByteOffset = offset;
        status = SetUpTransferBuffer(irp, device, buffer, length, toCaller: read, mode);
        if (!status.IsSuccess())
        {
            return AbandonRequest(irp, userEvent, fileBody, status);
        }

        irp.Flags |= read ? IRP_FLAGS.IRP_READ_OPERATION : IRP_FLAGS.IRP_WRITE_OPERATION;
        SetUserApc(irp, apcRoutine, apcContext);
        return SynchronousServiceTail(device, irp, file, fileBody, userEvent, ioStatusBlock, mode);
    }

    /// <summary>
    /// The fast I/O attempt of NtReadFile / NtWriteFile on a synchronous file object whose caching is set up: the
    /// top device's driver's FastIoRead / FastIoWrite with Wait TRUE. When it does the request, the caller's
    /// event is set and its IO_STATUS_BLOCK written here, and true is returned with the request's status (the
    /// file's reference released). False: nothing happened, and the caller builds the IRP.
    /// </summary>
    private bool FastReadWrite(bool read, FILE_OBJECT file, object fileBody, HANDLE eventHandle, ulong ioStatusBlock, ulong buffer, uint length,
        long offset, uint key, KPROCESSOR_MODE mode, out NTSTATUS status)
    {
        status = ReferenceEvent(eventHandle, mode, out var userEvent);
        if (!status.IsSuccess())
        {
            return false;
        }

        if (!TryFastIo(read, GetRelatedDeviceObject(file), file, offset, length, key, buffer, out status, out var information))
        {
            DereferenceEvent(userEvent);
            return false;
        }

        status = FinishFastService(userEvent, fileBody, ioStatusBlock, status, information, mode);
        return true;
    }

    /// <summary>
    /// The end of a service that fast I/O served with no IRP: the caller's event is set, the event and file
    /// references go, and the status reaches the caller's IO_STATUS_BLOCK (a fault writing it is the status).
    /// </summary>
    private NTSTATUS FinishFastService(KEVENT? userEvent, object fileBody, ulong ioStatusBlock, NTSTATUS status, ulong information,
        KPROCESSOR_MODE mode)
    {
        if (userEvent is not null)
        {
            _machine.Ke.SetEvent(userEvent);
        }

        DereferenceEvent(userEvent);
        DereferenceFile(fileBody);
        try
        {
            WriteIoStatus(ioStatusBlock, status, information, mode);
        }
        catch (NtException e)
        {
            status = e.Status;
        }

        return status;
    }

    /// <summary>
    /// NtDeviceIoControlFile: IRP_MJ_DEVICE_CONTROL with the code's transfer method. The handle must grant
    /// the access the code's RequiredAccess field names (FILE_READ_ACCESS, FILE_WRITE_ACCESS). An ApcRoutine as
    /// for NtReadFile.
    /// </summary>
    internal NTSTATUS NtDeviceIoControlFile(HANDLE fileHandle, HANDLE eventHandle, ulong apcRoutine, ulong apcContext, ulong ioStatusBlock,
        uint ioControlCode, ulong inputBuffer, uint inputBufferLength, ulong outputBuffer, uint outputBufferLength)
    {
        var mode = PreviousMode;
        var method = IoCtl.METHOD_FROM_CTL_CODE(ioControlCode);
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
            if (method != IoCtl.METHOD_NEITHER)
            {
                // METHOD_NEITHER buffers go to the driver untouched: probing them is the driver's job.
                Probe.ForRead(inputBuffer, inputBufferLength, 1, mode);
                if (method == IoCtl.METHOD_BUFFERED)
                {
                    Probe.ForWrite(Mm, outputBuffer, outputBufferLength, 1, mode);
                }
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = ReferenceFile(fileHandle, 0, mode, out var file, out var fileBody, out var granted);
        if (!status.IsSuccess())
        {
            return status;
        }

        var required = (ioControlCode >> 14) & 3;
        if (mode == KPROCESSOR_MODE.UserMode
            && (((required & IoCtl.FILE_READ_ACCESS) != 0 && (granted & AccessMask.FILE_READ_DATA) == 0)
                || ((required & IoCtl.FILE_WRITE_ACCESS) != 0 && (granted & AccessMask.FILE_WRITE_DATA) == 0)))
        {
            DereferenceFile(fileBody);
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        status = BeginRequest(file, fileBody, eventHandle, mode, IRP_MJ.IRP_MJ_DEVICE_CONTROL, out var userEvent, out var device, out var irp, out var sl);
        if (!status.IsSuccess())
        {
            return status;
        }

        sl.Parameters.DeviceIoControl.OutputBufferLength = outputBufferLength;
        sl.Parameters.DeviceIoControl.InputBufferLength = inputBufferLength;
        sl.Parameters.DeviceIoControl.IoControlCode = ioControlCode;
        irp.RequestorMode = mode;
        try
        {
            status = SetUpIoctlBuffers(irp, sl, ioControlCode, inputBuffer, inputBufferLength, outputBuffer, outputBufferLength, mode);
        }
        catch (NtException e)
        {
            status = e.Status;
        }

        if (!status.IsSuccess())
        {
            return AbandonRequest(irp, userEvent, fileBody, status);
        }

        SetUserApc(irp, apcRoutine, apcContext);
        return SynchronousServiceTail(device, irp, file, fileBody, userEvent, ioStatusBlock, mode);
    }

    /// <summary>
    /// NtQueryInformationFile: FilePositionInformation, FileModeInformation and FileAccessInformation are the
    /// I/O manager's own; every other class is IRP_MJ_QUERY_INFORMATION through a system buffer.
    /// </summary>
    internal NTSTATUS NtQueryInformationFile(HANDLE fileHandle, ulong ioStatusBlock, ulong fileInformation, uint length, int fileInformationClass) =>
        QuerySetInformation(IRP_MJ.IRP_MJ_QUERY_INFORMATION, fileHandle, ioStatusBlock, fileInformation, length, fileInformationClass);

    /// <summary>NtSetInformationFile: FilePositionInformation is the I/O manager's; the rest IRP_MJ_SET_INFORMATION.</summary>
    internal NTSTATUS NtSetInformationFile(HANDLE fileHandle, ulong ioStatusBlock, ulong fileInformation, uint length, int fileInformationClass) =>
        QuerySetInformation(IRP_MJ.IRP_MJ_SET_INFORMATION, fileHandle, ioStatusBlock, fileInformation, length, fileInformationClass);

    /// <summary>NtQueryVolumeInformationFile: IRP_MJ_QUERY_VOLUME_INFORMATION through a system buffer.</summary>
    internal NTSTATUS NtQueryVolumeInformationFile(HANDLE fileHandle, ulong ioStatusBlock, ulong fsInformation, uint length, int fsInformationClass) =>
        QuerySetInformation(IRP_MJ.IRP_MJ_QUERY_VOLUME_INFORMATION, fileHandle, ioStatusBlock, fsInformation, length, fsInformationClass);

    private NTSTATUS QuerySetInformation(byte major, HANDLE fileHandle, ulong ioStatusBlock, ulong information, uint length, int informationClass)
    {
        var mode = PreviousMode;
        var set = major == IRP_MJ.IRP_MJ_SET_INFORMATION;
        var volume = major == IRP_MJ.IRP_MJ_QUERY_VOLUME_INFORMATION;
        if (informationClass <= 0 || informationClass >= (volume ? FileFsMaximumInformation : FileMaximumInformation))
        {
            return NTSTATUS.STATUS_INVALID_INFO_CLASS;
        }

        var minimum = volume ? FsInformationMinimumLength(informationClass) : FileInformationMinimumLength(informationClass);
        if (length < minimum)
        {
            return NTSTATUS.STATUS_INFO_LENGTH_MISMATCH;
        }

        byte[]? input = null;
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
            if (set)
            {
                Probe.ForRead(information, length, 4, mode);
                input = new byte[length];
                Mm.Read(information, input, mode);
            }
            else
            {
                Probe.ForWrite(Mm, information, length, 4, mode);
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = ReferenceFile(fileHandle, 0, mode, out var file, out var fileBody, out var granted);
        if (!status.IsSuccess())
        {
            return status;
        }

        var synchronous = (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0;
        if (!volume && informationClass is FilePositionInformation or FileModeInformation or FileAccessInformation
            && !(set && informationClass != FilePositionInformation))
        {
            status = OwnFileInformation(file, granted, set, informationClass, information, input, synchronous, mode, out var written);
            DereferenceFile(fileBody);
            try
            {
                WriteIoStatus(ioStatusBlock, status, written, mode);
            }
            catch (NtException e)
            {
                return e.Status;
            }

            return status;
        }

        var device = GetRelatedDeviceObject(file);
        object? targetBody = null;
        var targetHandle = HANDLE.NULL;
        if (set && informationClass is FileRenameInformation or FileLinkInformation)
        {
            status = OpenRenameTarget(file, input!, out targetHandle, out targetBody);
            if (!status.IsSuccess())
            {
                DereferenceFile(fileBody);
                return status;
            }
        }

        var irp = AllocateIrp(device.StackSize, false);
        var systemBuffer = irp.IsNull ? 0 : AllocateNonPaged(length, TagSystemBuffer);
        if (systemBuffer == 0)
        {
            if (!irp.IsNull)
            {
                FreeIrp(irp);
            }

            CloseRenameTarget(targetHandle, targetBody);
            DereferenceFile(fileBody);
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        var sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = major;
        sl.FileObject = file;
        irp.AssociatedIrp.SystemBuffer = systemBuffer;
        irp.Flags = IRP_FLAGS.IRP_BUFFERED_IO | IRP_FLAGS.IRP_DEALLOCATE_BUFFER;
        if (set)
        {
            Mm.Write(systemBuffer, input);
            sl.Parameters.SetFile.Length = length;
            sl.Parameters.SetFile.FileInformationClass = informationClass;
            if (targetBody is FILE_OBJECT target)
            {
                sl.Parameters.SetFile.FileObject = target.Address;
                sl.Parameters.SetFile.ReplaceIfExists = input![0];
            }
        }
        else
        {
            Mm.Fill(systemBuffer, length, 0);
            irp.Flags |= IRP_FLAGS.IRP_INPUT_OPERATION;
            irp.UserBuffer = information;
            if (volume)
            {
                sl.Parameters.QueryVolume.Length = length;
                sl.Parameters.QueryVolume.FsInformationClass = informationClass;
            }
            else
            {
                sl.Parameters.QueryFile.Length = length;
                sl.Parameters.QueryFile.FileInformationClass = informationClass;
            }
        }

        status = SynchronousServiceTail(device, irp, file, fileBody, null, ioStatusBlock, mode);
        CloseRenameTarget(targetHandle, targetBody);
        return status;
    }

    /// <summary>
    /// IopOpenLinkOrRenameTarget: a rename (or link) whose new name is a full path, or relative to a
    /// RootDirectory handle, names a directory that the I/O manager opens for the file system first; the
    /// request carries that directory's file object (Parameters.SetFile.FileObject) and the file system
    /// takes the last component of the name. A plain name (no backslash, no root) renames in place and
    /// needs no target. The target must be on the same volume (STATUS_NOT_SAME_DEVICE). The open is
    /// checked against the caller's rights though it yields a kernel handle; the SL_OPEN_TARGET_DIRECTORY
    /// form of the open (which also reports whether the last component exists) is not modelled: the
    /// directory is opened by its own name.
    /// </summary>
    private NTSTATUS OpenRenameTarget(FILE_OBJECT file, byte[] input, out HANDLE targetHandle, out object? targetBody)
    {
        targetHandle = HANDLE.NULL;
        targetBody = null;
        if (input.Length < FileRenameInformationNameOffset)
        {
            return NTSTATUS.STATUS_INFO_LENGTH_MISMATCH;
        }

        var root = new HANDLE(BitConverter.ToUInt64(input, 8));
        var nameLength = BitConverter.ToUInt32(input, 16);
        if (nameLength == 0 || (nameLength & 1) != 0 || nameLength > input.Length - FileRenameInformationNameOffset)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        var name = System.Text.Encoding.Unicode.GetString(input, FileRenameInformationNameOffset, (int)nameLength);
        if (root.IsNull && !name.StartsWith('\\'))
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var split = name.LastIndexOf('\\');
        var directory = split <= 0 ? (root.IsNull ? name[..(split + 1)] : "") : name[..split];
        OBJECT_ATTRIBUTES.Initialize(out var oa, new UNICODE_STRING(directory),
            OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE | OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE | OBJECT_ATTRIBUTES.OBJ_FORCE_ACCESS_CHECK, root, null);
        var status = CreateFile(out targetHandle, AccessMask.FILE_ADD_FILE | AccessMask.SYNCHRONIZE, oa, out _, out _, 0,
            FILE_SHARE_READ_WRITE, FILE_OPEN, FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT | FILE_OPEN_FOR_BACKUP_INTENT,
            KPROCESSOR_MODE.KernelMode);
        if (!status.IsSuccess())
        {
            targetHandle = HANDLE.NULL;
            return status;
        }

        status = _machine.Ob.ReferenceObjectByHandle(targetHandle, 0, _machine.Ob.FileType, KPROCESSOR_MODE.KernelMode, out targetBody, out _);
        if (status.IsSuccess() && GetRelatedDeviceObject((FILE_OBJECT)targetBody!) != GetRelatedDeviceObject(file))
        {
            status = NTSTATUS.STATUS_NOT_SAME_DEVICE;
        }

        if (!status.IsSuccess())
        {
            CloseRenameTarget(targetHandle, targetBody);
            targetHandle = HANDLE.NULL;
            targetBody = null;
        }

        return status;
    }

    private void CloseRenameTarget(HANDLE targetHandle, object? targetBody)
    {
        if (targetBody is not null)
        {
            _machine.Ob.DereferenceObject(targetBody);
        }

        if (!targetHandle.IsNull)
        {
            _machine.Ob.CloseHandle(targetHandle, KPROCESSOR_MODE.KernelMode);
        }
    }

    /// <summary>The classes the I/O manager answers from the file object and the handle, without an IRP.</summary>
    private NTSTATUS OwnFileInformation(FILE_OBJECT file, uint granted, bool set, int informationClass, ulong information, byte[]? input,
        bool synchronous, KPROCESSOR_MODE mode, out ulong written)
    {
        written = 0;
        try
        {
            switch (informationClass)
            {
                case FilePositionInformation when set:
                    var position = BitConverter.ToInt64(input!, 0);
                    if (!synchronous)
                    {
                        // The position of a file opened for asynchronous I/O means nothing: every request names its offset.
                        return NTSTATUS.STATUS_SUCCESS;
                    }

                    if (position < 0)
                    {
                        return NTSTATUS.STATUS_INVALID_PARAMETER;
                    }

                    file.CurrentByteOffset = position;
                    return NTSTATUS.STATUS_SUCCESS;
                case FilePositionInformation:
                    Mm.Write(information, file.CurrentByteOffset, mode);
                    written = 8;
                    return NTSTATUS.STATUS_SUCCESS;
                case FileModeInformation:
                    var flags = file.Flags;
                    var modeBits = ((flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0
                        ? ((flags & FO_FLAGS.FO_ALERTABLE_IO) != 0 ? FILE_SYNCHRONOUS_IO_ALERT : FILE_SYNCHRONOUS_IO_NONALERT)
                        : 0u);
                    Mm.Write(information, modeBits, mode);
                    written = 4;
                    return NTSTATUS.STATUS_SUCCESS;
                default:
                    Mm.Write(information, granted, mode);
                    written = 4;
                    return NTSTATUS.STATUS_SUCCESS;
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }
    }

    /// <summary>
    /// NtQueryDirectoryFile: IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY with the search expression
    /// captured into pool, SL_RESTART_SCAN and SL_RETURN_SINGLE_ENTRY from the arguments, the buffer as the
    /// file system's device asks.
    /// </summary>
    internal NTSTATUS NtQueryDirectoryFile(HANDLE fileHandle, HANDLE eventHandle, ulong apcRoutine, ulong apcContext, ulong ioStatusBlock,
        ulong fileInformation, uint length, int fileInformationClass, bool returnSingleEntry, ulong fileName, bool restartScan)
    {
        var mode = PreviousMode;
        if (fileInformationClass <= 0 || fileInformationClass >= FileMaximumInformation)
        {
            return NTSTATUS.STATUS_INVALID_INFO_CLASS;
        }

        if (length < DirectoryInformationMinimumLength(fileInformationClass))
        {
            return NTSTATUS.STATUS_INFO_LENGTH_MISMATCH;
        }

        string? pattern = null;
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
            Probe.ForWrite(Mm, fileInformation, length, 8, mode);
            if (fileName != 0)
            {
                pattern = CaptureUnicodeString(fileName, mode);
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = ReferenceFile(fileHandle, AccessMask.FILE_LIST_DIRECTORY, mode, out var file, out var fileBody, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        status = BeginRequest(file, fileBody, eventHandle, mode, IRP_MJ.IRP_MJ_DIRECTORY_CONTROL, out var userEvent, out var device, out var irp, out var sl);
        if (!status.IsSuccess())
        {
            return status;
        }

        sl.MinorFunction = IRP_MN.IRP_MN_QUERY_DIRECTORY;
        sl.Flags = (byte)((restartScan ? SL_FLAGS.SL_RESTART_SCAN : 0) | (returnSingleEntry ? SL_FLAGS.SL_RETURN_SINGLE_ENTRY : 0));
        sl.Parameters.QueryDirectory.Length = length;
        sl.Parameters.QueryDirectory.FileInformationClass = fileInformationClass;
        if (pattern is not null)
        {
            // The captured expression travels in the IRP's auxiliary buffer, freed with the IRP's buffers.
            var name = AllocateUnicodeString(pattern);
            if (name == 0)
            {
                return AbandonRequest(irp, userEvent, fileBody, NTSTATUS.STATUS_INSUFFICIENT_RESOURCES);
            }

            irp.Tail.Overlay.AuxiliaryBuffer = name;
            sl.Parameters.QueryDirectory.FileName = name;
        }

        status = SetUpTransferBuffer(irp, device, fileInformation, length, toCaller: true, mode);
        if (!status.IsSuccess())
        {
            return AbandonRequest(irp, userEvent, fileBody, status);
        }

        return SynchronousServiceTail(device, irp, file, fileBody, userEvent, ioStatusBlock, mode);
    }

    /// <summary>NtFlushBuffersFile: IRP_MJ_FLUSH_BUFFERS; the handle must allow writing.</summary>
    internal NTSTATUS NtFlushBuffersFile(HANDLE fileHandle, ulong ioStatusBlock)
    {
        var mode = PreviousMode;
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = ReferenceFile(fileHandle, 0, mode, out var file, out var fileBody, out var granted);
        if (!status.IsSuccess())
        {
            return status;
        }

        if (mode == KPROCESSOR_MODE.UserMode && (granted & (AccessMask.FILE_WRITE_DATA | AccessMask.FILE_APPEND_DATA)) == 0)
        {
            DereferenceFile(fileBody);
            return NTSTATUS.STATUS_ACCESS_DENIED;
        }

        status = BeginRequest(file, fileBody, HANDLE.NULL, mode, IRP_MJ.IRP_MJ_FLUSH_BUFFERS, out _, out var device, out var irp, out _);
        return status.IsSuccess() ? SynchronousServiceTail(device, irp, file, fileBody, null, ioStatusBlock, mode) : status;
    }

    /// <summary>
    /// NtCancelIoFile: cancels the calling thread's IRPs for the file and waits (10 ms steps) until each has
    /// completed; the IO_STATUS_BLOCK gets STATUS_SUCCESS.
    /// </summary>
    internal NTSTATUS NtCancelIoFile(HANDLE fileHandle, ulong ioStatusBlock)
    {
        var mode = PreviousMode;
        try
        {
            Probe.ForWrite(Mm, ioStatusBlock, IoStatusBlockLayout.Size, 4, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var status = ReferenceFile(fileHandle, 0, mode, out var file, out var fileBody, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        var thread = _machine.Ke.CurrentThread;
        for (var attempt = 0; ; attempt++)
        {
            var outstanding = 0;
            ulong[] pending;
            lock (thread.PendingIrpsLock)
            {
                pending = [.. thread.PendingIrps];
            }

            foreach (var address in pending)
            {
                var irp = new IRP(address);
                if (irp.Tail.Overlay.OriginalFileObject == file)
                {
                    outstanding++;
                    if (attempt == 0)
                    {
                        CancelIrp(irp);
                    }
                }
            }

            if (outstanding == 0)
            {
                break;
            }

            _machine.Ke.Delay(KPROCESSOR_MODE.KernelMode, false, -10 * 10_000L);
        }

        DereferenceFile(fileBody);
        try
        {
            WriteIoStatus(ioStatusBlock, NTSTATUS.STATUS_SUCCESS, 0, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// The common start of an I/O service: the caller's event (EVENT_MODIFY_STATE, or none), an IRP sized for
    /// the file's device stack, and its first stack location set for <paramref name="major"/> on the file.
    /// On failure what was taken is released, the file's reference included.
    /// </summary>
    private NTSTATUS BeginRequest(FILE_OBJECT file, object fileBody, HANDLE eventHandle, KPROCESSOR_MODE mode, byte major,
        out KEVENT? userEvent, out DEVICE_OBJECT device, out IRP irp, out IO_STACK_LOCATION sl)
    {
        device = GetRelatedDeviceObject(file);
        irp = IRP.NULL;
        sl = default;
        var status = ReferenceEvent(eventHandle, mode, out userEvent);
        if (!status.IsSuccess())
        {
            DereferenceFile(fileBody);
            return status;
        }

        irp = AllocateIrp(device.StackSize, false);
        if (irp.IsNull)
        {
            DereferenceEvent(userEvent);
            DereferenceFile(fileBody);
            return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
        }

        sl = GetNextIrpStackLocation(irp);
        sl.MajorFunction = major;
        sl.FileObject = file;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>A request that fails before it goes down: its buffers and IRP go, and the references it held.</summary>
    private NTSTATUS AbandonRequest(IRP irp, KEVENT? userEvent, object fileBody, NTSTATUS status)
    {
        FreeIrpBuffers(irp);
        FreeIrp(irp);
        DereferenceEvent(userEvent);
        DereferenceFile(fileBody);
        return status;
    }

    /// <summary>
    /// IopSynchronousServiceTail: the IRP goes down as a threaded IRP of the caller. For a synchronous file
    /// object the service waits for the completion on the file object's event and returns the final
    /// status; otherwise it returns what the driver returned (STATUS_PENDING: the event and
    /// IO_STATUS_BLOCK tell the rest).
    /// </summary>
    private NTSTATUS SynchronousServiceTail(DEVICE_OBJECT device, IRP irp, FILE_OBJECT file, object fileBody, KEVENT? userEvent,
        ulong ioStatusBlock, KPROCESSOR_MODE mode)
    {
        var synchronous = (file.Flags & FO_FLAGS.FO_SYNCHRONOUS_IO) != 0;
        irp.RequestorMode = mode;
        irp.Tail.Overlay.OriginalFileObject = file;
        irp.UserIosb = ioStatusBlock;
        irp.UserEvent = Pointers.Pin(userEvent);
        var fileEvent = FileEvent(file);
        if (synchronous)
        {
            irp.Flags |= IRP_FLAGS.IRP_SYNCHRONOUS_API;
            if (fileEvent is not null)
            {
                // KeClearEvent of the file object's event: the previous request's completion left it set.
                KernelCore.ClearEvent(fileEvent);
            }
        }

        if (userEvent is not null)
        {
            _machine.Ke.ResetEvent(userEvent);
        }

        irp.Flags |= IRP_FLAGS.IRP_DEFER_IO_COMPLETION;
        QueueThreadedIrp(irp);
        var status = CallDriver(device, irp);
        if (status != NTSTATUS.STATUS_PENDING)
        {
            // Completed on this stack without being pended: IoCompleteRequest left the rest to the service.
            FinishInRequesterContext(irp, _machine.Ke.CurrentThread);
        }
        else if (synchronous && fileEvent is not null)
        {
            ReadOnlySpan<DispatcherObject> wait = [fileEvent];
            var alertable = (file.Flags & FO_FLAGS.FO_ALERTABLE_IO) != 0;
            var waited = _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, mode, alertable, null, null);
            if (waited is NTSTATUS.STATUS_ALERTED or NTSTATUS.STATUS_USER_APC)
            {
                CancelAlertedRequest(irp, wait, mode);
            }

            status = Mm.Read<NTSTATUS>(file.Address + FileObjectLayout.FinalStatus);
        }

        DereferenceEvent(userEvent);
        DereferenceFile(fileBody);
        return status;
    }

    /// <summary>
    /// IopCancelAlertedRequest: an alert or a user APC ended the alertable wait of a request on a
    /// FILE_SYNCHRONOUS_IO_ALERT file object; the request, if still outstanding, is cancelled and waited for
    /// without alerts, and the service returns its final status (the user APC then runs on the way out).
    /// </summary>
    private void CancelAlertedRequest(IRP irp, ReadOnlySpan<DispatcherObject> wait, KPROCESSOR_MODE mode)
    {
        var thread = _machine.Ke.CurrentThread;
        bool outstanding;
        lock (thread.PendingIrpsLock)
        {
            outstanding = thread.PendingIrps.Contains(irp.Address);
        }

        if (outstanding)
        {
            CancelIrp(irp);
        }

        _machine.Ke.Wait(wait, WAIT_TYPE.WaitAny, KWAIT_REASON.Executive, mode, false, null, null);
    }

    /// <summary>
    /// The buffer of a read, write or directory query as the target device asks for it: a system buffer
    /// (DO_BUFFERED_IO; copied in for a write now, out for a read at completion), an MDL over the caller's
    /// probed and locked pages (DO_DIRECT_IO), or the caller's address itself.
    /// </summary>
    private NTSTATUS SetUpTransferBuffer(IRP irp, DEVICE_OBJECT device, ulong buffer, uint length, bool toCaller, KPROCESSOR_MODE mode)
    {
        var deviceFlags = device.Flags;
        if ((deviceFlags & DO_FLAGS.DO_BUFFERED_IO) != 0)
        {
            if (length == 0)
            {
                return NTSTATUS.STATUS_SUCCESS;
            }

            var systemBuffer = AllocateNonPaged(length, TagSystemBuffer);
            if (systemBuffer == 0)
            {
                return NTSTATUS.STATUS_INSUFFICIENT_RESOURCES;
            }

            irp.AssociatedIrp.SystemBuffer = systemBuffer;
            irp.Flags |= IRP_FLAGS.IRP_BUFFERED_IO | IRP_FLAGS.IRP_DEALLOCATE_BUFFER | (toCaller ? IRP_FLAGS.IRP_INPUT_OPERATION : 0);
            irp.UserBuffer = buffer;
            if (!toCaller)
            {
                try
                {
                    // Probed above; the copy itself runs in kernel mode and faults only if the caller unmapped the buffer.
                    Mm.Copy(systemBuffer, buffer, length);
                }
                catch (NtException e)
                {
                    return e.Status;
                }
            }

            return NTSTATUS.STATUS_SUCCESS;
        }

        if ((deviceFlags & DO_FLAGS.DO_DIRECT_IO) != 0)
        {
            return length == 0
                ? NTSTATUS.STATUS_SUCCESS
                : LockBufferMdl(irp, buffer, length, mode, toCaller ? SharpNT.Kernel.Mm.LOCK_OPERATION.IoWriteAccess : SharpNT.Kernel.Mm.LOCK_OPERATION.IoReadAccess);
        }

        irp.UserBuffer = buffer;
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>The system buffer, MDLs and auxiliary buffer of an IRP that never went down.</summary>
    private void FreeIrpBuffers(IRP irp)
    {
        ReleaseMdls(irp);
        if ((irp.Flags & IRP_FLAGS.IRP_DEALLOCATE_BUFFER) != 0 && irp.AssociatedIrp.SystemBuffer != 0)
        {
            FreePool(irp.AssociatedIrp.SystemBuffer);
            irp.AssociatedIrp.SystemBuffer = 0;
        }

        if (irp.Tail.Overlay.AuxiliaryBuffer != 0)
        {
            FreePool(irp.Tail.Overlay.AuxiliaryBuffer);
            irp.Tail.Overlay.AuxiliaryBuffer = 0;
        }
    }

    private KPROCESSOR_MODE PreviousMode => _machine.Ke.CurrentThread.PreviousMode;

    /// <summary>ObReferenceObjectByHandle for a file object, returning the handle's granted access.</summary>
    private NTSTATUS ReferenceFile(HANDLE handle, uint desiredAccess, KPROCESSOR_MODE mode, out FILE_OBJECT file, out object fileBody,
        out uint granted)
    {
        file = FILE_OBJECT.NULL;
        var status = _machine.Ob.ReferenceObjectByHandle(handle, desiredAccess, _machine.Ob.FileType, mode, out var body, out var info);
        granted = info.GrantedAccess;
        fileBody = body!;
        if (status.IsSuccess())
        {
            file = (FILE_OBJECT)body!;
        }

        return status;
    }

    /// <summary>Drops the reference ReferenceFile took, through the object manager's own body (no boxing per call).</summary>
    private void DereferenceFile(object fileBody) => _machine.Ob.DereferenceObject(fileBody);

    /// <summary>The caller's event (EVENT_MODIFY_STATE), or null for no handle.</summary>
    private NTSTATUS ReferenceEvent(HANDLE handle, KPROCESSOR_MODE mode, out KEVENT? evt)
    {
        evt = null;
        if (handle.IsNull)
        {
            return NTSTATUS.STATUS_SUCCESS;
        }

        var status = _machine.Ob.ReferenceObjectByHandle(handle, AccessMask.EVENT_MODIFY_STATE, _machine.Ob.EventType, mode, out var body, out _);
        if (status.IsSuccess())
        {
            evt = (KEVENT)body!;
        }

        return status;
    }

    private void DereferenceEvent(KEVENT? evt)
    {
        if (evt is not null)
        {
            _machine.Ob.DereferenceObject(evt);
        }
    }

    /// <summary>
    /// The IO_STATUS_BLOCK as one 16-byte store (Status with the pointer-sized union's upper half zero, then
    /// Information), as the x64 structure is laid out.
    /// </summary>
    private void WriteIoStatus(ulong ioStatusBlock, NTSTATUS status, ulong information, KPROCESSOR_MODE mode)
    {
        Span<ulong> block = [(uint)status, information];
        Mm.Write(ioStatusBlock, System.Runtime.InteropServices.MemoryMarshal.AsBytes(block), mode);
    }

    /// <summary>A caller's UNICODE_STRING, probed and copied (the name of a directory search).</summary>
    private string CaptureUnicodeString(ulong address, KPROCESSOR_MODE mode)
    {
        Probe.ForRead(address, UnicodeStringLayout.Size, 4, mode);
        var length = Mm.Read<ushort>(address + UnicodeStringLayout.Length, mode);
        var buffer = Mm.Read<ulong>(address + UnicodeStringLayout.Buffer, mode);
        if ((length & 1) != 0)
        {
            throw new NtException(NTSTATUS.STATUS_INVALID_PARAMETER);
        }

        Probe.ForRead(buffer, length, 2, mode);
        var bytes = new byte[length];
        Mm.Read(buffer, bytes, mode);
        return System.Text.Encoding.Unicode.GetString(bytes);
    }

    /// <summary>A UNICODE_STRING and its buffer in one nonpaged block.</summary>
    private ulong AllocateUnicodeString(string value)
    {
        var bytes = System.Text.Encoding.Unicode.GetBytes(value);
        var block = AllocateNonPaged((ulong)(UnicodeStringLayout.Size + bytes.Length), TagSystemBuffer);
        if (block == 0)
        {
            return 0;
        }

        Mm.Write(block + UnicodeStringLayout.Length, (ushort)bytes.Length);
        Mm.Write(block + UnicodeStringLayout.MaximumLength, (ushort)bytes.Length);
        Mm.Write(block + UnicodeStringLayout.Buffer, block + UnicodeStringLayout.Size);
        Mm.Write(block + UnicodeStringLayout.Size, bytes);
        return block;
    }

    /// <summary>The documented minimum buffer size of each FILE_INFORMATION_CLASS the services accept (0: any).</summary>
    private static uint FileInformationMinimumLength(int informationClass) => informationClass switch
    {
        4 => 40,    // FileBasicInformation
        5 => 24,    // FileStandardInformation
        6 => 8,     // FileInternalInformation
        7 => 4,     // FileEaInformation
        8 => 4,     // FileAccessInformation
        9 => 8,     // FileNameInformation (FileNameLength and the first character)
        10 => 24,   // FileRenameInformation
        13 => 1,    // FileDispositionInformation
        14 => 8,    // FilePositionInformation
        16 => 4,    // FileModeInformation
        17 => 4,    // FileAlignmentInformation
        18 => 104,  // FileAllInformation
        19 => 8,    // FileAllocationInformation
        20 => 8,    // FileEndOfFileInformation
        34 => 56,   // FileNetworkOpenInformation
        35 => 8,    // FileAttributeTagInformation
        _ => 0,
    };

    /// <summary>The minimum sizes of the FS_INFORMATION_CLASS structures.</summary>
    private static uint FsInformationMinimumLength(int informationClass) => informationClass switch
    {
        1 => 24,    // FileFsVolumeInformation
        3 => 24,    // FileFsSizeInformation
        4 => 8,     // FileFsDeviceInformation
        5 => 12,    // FileFsAttributeInformation
        7 => 32,    // FileFsFullSizeInformation
        _ => 0,
    };

    /// <summary>The minimum sizes of the directory information classes (the fixed part of one entry).</summary>
    private static uint DirectoryInformationMinimumLength(int informationClass) => informationClass switch
    {
        1 => 64,    // FileDirectoryInformation
        2 => 68,    // FileFullDirectoryInformation
        3 => 94,    // FileBothDirectoryInformation
        12 => 12,   // FileNamesInformation
        37 => 104,  // FileIdBothDirectoryInformation
        38 => 80,   // FileIdFullDirectoryInformation
        _ => 0,
    };
}
