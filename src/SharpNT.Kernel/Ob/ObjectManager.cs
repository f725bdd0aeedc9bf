using System.Diagnostics;
using System.Runtime.CompilerServices;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// The Object Manager (Ob): object types, object headers with their reference counts, the object
/// namespace (directories and symbolic links), and handle tables. One per machine.
/// <para>
/// Rules kept as NT keeps them: every handle holds a pointer reference and a name in a directory holds
/// another; an object goes when its pointer count reaches zero (bug check REFERENCE_BY_POINTER if that
/// happens with handles open, or if the count would go below zero); a temporary named object leaves the
/// namespace when its last handle closes; deletion at DISPATCH_LEVEL is deferred to a system thread.
/// </para>
/// </summary>
internal sealed partial class ObjectManager
{
    /// <summary>Bodies of objects the Object Manager allocates live in nonpaged pool space from here.</summary>
    private const ulong ObjectSpaceBase = 0xFFFFFA80_40000000UL;

    /// <summary>Each object gets a pool block this big: a POOL_HEADER (0x10), the OBJECT_HEADER (0x30), the body.</summary>
    private const ulong ObjectBlockSize = 0x100;

    private const ulong PoolHeaderSize = 0x10;

    private readonly Machine _machine;

    /// <summary>The drivers' handle-operation callbacks (ObRegisterCallbacks).</summary>
    internal ObjectCallbacks Callbacks { get; }

    /// <summary>Guards the namespace, handle counts, and the per-type object sets.</summary>
    private readonly object _lock = new();

    private readonly ConditionalWeakTable<object, ObjectHeader> _headers = new();
    private readonly List<OBJECT_TYPE> _types = [];
    private long _nextBlock;

    internal ObjectManager(Machine machine)
    {
        Callbacks = new ObjectCallbacks(machine);
        _machine = machine;

        // Phase 0 of ObInitSystem: the types first (the Type type is its own type), then the root
        // directory and the directories NT creates at boot, then the types go into \ObjectTypes.
        CreateStandardTypes();

        var root = new OBJECT_DIRECTORY();
        RootDirectoryHeader = RegisterObject(DirectoryType, root, pointerCount: 1);
        RootDirectory = root;

        ObjectTypesDirectory = CreateBootDirectory("ObjectTypes");
        foreach (var type in _types)
        {
            InsertBootObject(GetHeader(type), ObjectTypesDirectory, type.Name);
        }

        GlobalDosDevicesDirectory = CreateBootDirectory("GLOBAL??");
        DeviceDirectory = CreateBootDirectory("Device");
        DriverDirectory = CreateBootDirectory("Driver");
        FileSystemDirectory = CreateBootDirectory("FileSystem");
        KernelObjectsDirectory = CreateBootDirectory("KernelObjects");
        BaseNamedObjectsDirectory = CreateBootDirectory("BaseNamedObjects");
        CallbackDirectory = CreateBootDirectory("Callback");
        GlobalDosDevicesHeader = GetHeader(GlobalDosDevicesDirectory);

        // The links every NT namespace has: \DosDevices is the old name of \??; \GLOBAL??\GLOBALROOT leads
        // back to the root (so \??\GLOBALROOT\Device\X names \Device\X); \GLOBAL??\Global is \GLOBAL?? itself.
        CreateBootSymbolicLink(RootDirectory, "DosDevices", @"\??");
        CreateBootSymbolicLink(GlobalDosDevicesDirectory, "GLOBALROOT", string.Empty);
        CreateBootSymbolicLink(GlobalDosDevicesDirectory, "Global", @"\GLOBAL??");

        // PsInitialSystemProcess: the System process owns the kernel handle table.
        var systemAddress = AllocateAddress();
        SystemProcess = new EPROCESS(EPROCESS.SystemProcessId, "System", systemAddress, AllocateAddress());
        RegisterObject(ProcessType, SystemProcess, pointerCount: 1);
    }

    internal Machine Machine => _machine;

    /// <summary>
    /// The ObCaseInsensitive setting (HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\kernel,
    /// default 1 since Windows XP): lookups of names whose type asks for it ignore case.
    /// </summary>
    internal bool ObCaseInsensitive { get; set; } = true;

    /// <summary>
    /// Bad handle detection (the "bhd" global flag, which Driver Verifier turns on): referencing an invalid
    /// kernel handle from kernel mode is INVALID_KERNEL_HANDLE instead of STATUS_INVALID_HANDLE.
    /// </summary>
    internal bool BadHandleDetection { get; set; }

    /// <summary>The root directory, "\".</summary>
    internal OBJECT_DIRECTORY RootDirectory { get; }

    internal ObjectHeader RootDirectoryHeader { get; }

    internal OBJECT_DIRECTORY ObjectTypesDirectory { get; }

    /// <summary>\GLOBAL??: the global DOS device names; "\??" resolves here.</summary>
    internal OBJECT_DIRECTORY GlobalDosDevicesDirectory { get; }

    private ObjectHeader GlobalDosDevicesHeader { get; }

    internal OBJECT_DIRECTORY DeviceDirectory { get; }

    internal OBJECT_DIRECTORY DriverDirectory { get; }

    internal OBJECT_DIRECTORY FileSystemDirectory { get; }

    internal OBJECT_DIRECTORY KernelObjectsDirectory { get; }

    internal OBJECT_DIRECTORY BaseNamedObjectsDirectory { get; }

    internal OBJECT_DIRECTORY CallbackDirectory { get; }

    /// <summary>PsInitialSystemProcess: process id 4, owner of the kernel handle table.</summary>
    internal EPROCESS SystemProcess { get; }

    /// <summary>The kernel handle table (ObpKernelHandleTable): the System process's table.</summary>
    internal HandleTable KernelHandleTable => SystemProcess.ObjectTable;

    /// <summary>Every object type, in creation order.</summary>
    internal IReadOnlyList<OBJECT_TYPE> Types
    {
        get
        {
            lock (_lock)
            {
                return [.. _types];
            }
        }
    }

    /// <summary>The process the calling thread runs in (the System process for system threads).</summary>
    internal EPROCESS CurrentProcess =>
        KTHREAD.Current is { } t && t.Machine == _machine && t.Process is EPROCESS p ? p : SystemProcess;

    /// <summary>The calling thread's IRQL; PASSIVE_LEVEL for host code outside the machine.</summary>
    private byte CurrentIrql =>
        KTHREAD.Current is { } t && t.Machine == _machine ? t.Processor?.Irql ?? Irql.PASSIVE_LEVEL : Irql.PASSIVE_LEVEL;

    // ---- Object creation -------------------------------------------------------------------------------

    /// <summary>
    /// ObCreateObject for a body the caller has built: makes <paramref name="body"/> an object of
    /// <paramref name="type"/> with one pointer reference (the creator's), and captures the name and
    /// attributes for ObInsertObject. Fails with the status NT gives for bad attributes or a bad name.
    /// </summary>
    internal NTSTATUS CreateObject(OBJECT_TYPE type, object body, in OBJECT_ATTRIBUTES? attributes)
    {
        string? name = null;
        var root = HANDLE.NULL;
        uint flags = 0;
        object? securityDescriptor = null;
        object? securityQos = null;
        if (attributes is { } oa)
        {
            var status = ValidateAttributes(oa, type);
            if (!status.IsSuccess())
            {
                return status;
            }

            if (oa.ObjectName is { } objectName)
            {
                status = CaptureName(objectName, out name);
                if (!status.IsSuccess())
                {
                    return status;
                }
            }

            root = oa.RootDirectory;
            flags = oa.Attributes;
            securityDescriptor = oa.SecurityDescriptor;
            securityQos = oa.SecurityQualityOfService;
        }

        if (_headers.TryGetValue(body, out _))
        {
            throw new InvalidOperationException("ObCreateObject: the body is already an object.");
        }

        var header = RegisterObject(type, body, pointerCount: 1);
        header.Permanent = (flags & OBJECT_ATTRIBUTES.OBJ_PERMANENT) != 0;
        header.SecurityDescriptor = securityDescriptor;
        header.CreateInfo = new ObjectCreateInformation(name, root, flags, securityQos);
        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// ObCreateObject with the name and OBJ_* attributes given directly, as kernel components create their
    /// objects (IoCreateDevice names its device object so).
    /// </summary>
    internal NTSTATUS CreateNamedObject(OBJECT_TYPE type, object body, string? name, uint attributes, HANDLE rootDirectory = default)
    {
        OBJECT_ATTRIBUTES.Initialize(out var oa, name is null ? null : new UNICODE_STRING(name), attributes, rootDirectory, null);
        return CreateObject(type, body, oa);
    }

    /// <summary>
    /// ObInsertObject: puts a new object's name (if it has one) into the namespace and opens a handle to it
    /// for <paramref name="desiredAccess"/>. The creator's reference becomes the handle's. On failure the
    /// object is dereferenced (and so deleted). A name that exists is STATUS_OBJECT_NAME_COLLISION; with
    /// OBJ_OPENIF the existing object is opened instead, the new one deleted, and the status is
    /// STATUS_OBJECT_NAME_EXISTS. <paramref name="newObject"/> is the object the handle refers to, with
    /// <paramref name="objectPointerBias"/> extra references for the caller.
    /// </summary>
    internal NTSTATUS InsertObject(object body, ACCESS_STATE? accessState, uint desiredAccess, KPROCESSOR_MODE accessMode,
        int objectPointerBias, out object? newObject, out HANDLE handle) =>
        InsertObjectCore(body, accessState, desiredAccess, accessMode, objectPointerBias, createHandle: true,
            out newObject, out handle);

    /// <summary>
    /// ObInsertObject with no handle: inserts the name only; the creator's reference stays the caller's
    /// (on OBJ_OPENIF, the reference is to the existing object returned in <paramref name="newObject"/>).
    /// </summary>
    internal NTSTATUS InsertObject(object body, KPROCESSOR_MODE accessMode, out object? newObject) =>
        InsertObjectCore(body, null, 0, accessMode, 0, createHandle: false, out newObject, out _);

    private NTSTATUS InsertObjectCore(object body, ACCESS_STATE? accessState, uint desiredAccess, KPROCESSOR_MODE accessMode,
        int objectPointerBias, bool createHandle, out object? newObject, out HANDLE handle)
    {
        newObject = null;
        handle = HANDLE.NULL;
        var header = GetHeader(body);
        var info = header.CreateInfo;
        if (info is null || header.Inserted)
        {
            throw new InvalidOperationException("ObInsertObject: the object was not created by ObCreateObject, or is already inserted.");
        }

        header.Inserted = true;
        header.CreateInfo = null;
        var target = header;
        var status = NTSTATUS.STATUS_SUCCESS;
        if (info.Name is not null)
        {
            accessState ??= NewAccessState(desiredAccess, header.Type, info.Name);
            ObjectHeader? root = null;
            if (!info.RootDirectory.IsNull)
            {
                status = ReferenceObjectByHandle(info.RootDirectory, 0, null, accessMode, out var rootBody, out _);
                if (!status.IsSuccess())
                {
                    Dereference(header);
                    return status;
                }

                root = GetHeader(rootBody!);
            }

            status = LookupObjectName(root, info.Name, info.Attributes, header.Type, accessMode, accessState, null,
                info.SecurityQos, header, out var found, out var inserted);
            if (root is not null)
            {
                Dereference(root);
            }

            if (!status.IsSuccess())
            {
                Dereference(header);
                return status;
            }

            if (!inserted)
            {
                var existing = GetHeader(found!);
                if ((info.Attributes & OBJECT_ATTRIBUTES.OBJ_OPENIF) == 0 || existing.Type != header.Type)
                {
                    Dereference(existing);
                    Dereference(header);
                    return (info.Attributes & OBJECT_ATTRIBUTES.OBJ_OPENIF) == 0
                        ? NTSTATUS.STATUS_OBJECT_NAME_COLLISION
                        : NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
                }

                // OBJ_OPENIF: open what is there; the new object goes with its creator's reference.
                Dereference(header);
                target = existing;
                status = NTSTATUS.STATUS_OBJECT_NAME_EXISTS;
            }
        }

        // The target holds one reference for the caller now: the creator's, or the lookup's.
        if (createHandle)
        {
            var handleStatus = CreateHandle(target, desiredAccess, info.Attributes, accessMode, transferReference: true, out handle);
            if (!handleStatus.IsSuccess())
            {
                DeleteNameCheck(target);
                Dereference(target);
                return handleStatus;
            }
        }

        if (objectPointerBias > 0)
        {
            Interlocked.Add(ref target.PointerCount, objectPointerBias);
        }

        newObject = target.Body;
        return status;
    }

    /// <summary>
    /// PspCreateThread's object half: makes a new thread an object of the Thread type before it can run,
    /// with two references (the running thread's own, and the creator's, which becomes the handle's), and
    /// opens the handle.
    /// </summary>
    internal NTSTATUS InsertThread(KTHREAD thread, uint desiredAccess, uint attributes, out HANDLE handle)
    {
        var header = RegisterObject(ThreadType, thread, pointerCount: 2);
        header.Inserted = true;
        var kernel = (attributes & OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE) != 0;
        var status = InsertHandleWithCallbacks(ObjectCallbacks.OB_OPERATION_HANDLE_CREATE, kernel ? SystemProcess : CurrentProcess, header,
            ThreadType.GrantedAccessFor(desiredAccess), attributes, kernel, out handle);
        if (!status.IsSuccess())
        {
            Dereference(header);
        }

        return status;
    }

    /// <summary>
    /// PspCreateProcess's object half: a user process object with one reference, the creator's (the
    /// process's threads hold their own references while they run).
    /// </summary>
    internal EPROCESS CreateProcessObject(ulong processId, string imageFileName, Mm.AddressSpace space, Se.TOKEN token, HANDLE parentId)
    {
        var process = new EPROCESS(processId, imageFileName, AllocateAddress(), AllocateAddress())
        {
            AddressSpace = space,
            Token = token,
            InheritedFromUniqueProcessId = parentId,
        };
        var header = RegisterObject(ProcessType, process, pointerCount: 1);
        header.Inserted = true;

        // The creator token's default DACL, as NT gives a new process: its user and SYSTEM have full access.
        var user = token.User.Sid;
        if (Se.SddlParser.Parse($"O:{user}D:(A;;GA;;;{user})(A;;GA;;;SY)", out var descriptor).IsSuccess())
        {
            header.SecurityDescriptor = descriptor;
        }

        return process;
    }

    /// <summary>A user thread's object, with the running thread's own reference (dropped when it ends).</summary>
    internal void InsertUserThread(KTHREAD thread) => RegisterObject(ThreadType, thread, pointerCount: 1).Inserted = true;

    /// <summary>
    /// ObCreateObjectType: a new object type, named in \ObjectTypes. STATUS_OBJECT_NAME_COLLISION if a
    /// type of that name exists.
    /// </summary>
    internal NTSTATUS CreateObjectType(string name, ObjectTypeInitializer initializer, out OBJECT_TYPE? type)
    {
        lock (_lock)
        {
            if (_types.Exists(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                type = null;
                return NTSTATUS.STATUS_OBJECT_NAME_COLLISION;
            }
        }

        type = NewType(name, initializer);
        InsertBootObject(GetHeader(type), ObjectTypesDirectory, name);
        return NTSTATUS.STATUS_SUCCESS;
    }

    // ---- Headers ---------------------------------------------------------------------------------------

    /// <summary>
    /// OBJECT_TO_OBJECT_HEADER: the header of <paramref name="body"/>. A thread of this machine that is not
    /// yet an object (the initial thread of Machine.Run, an idle thread) becomes one on first use, with the
    /// running thread's own reference. Anything else is not an object: BAD_OBJECT_HEADER, as NT finds a
    /// header with a corrupt type index before such a body.
    /// </summary>
    internal ObjectHeader GetHeader(object body)
    {
        if (body is null)
        {
            // ObfReferenceObject(NULL) touches the header at -0x30: an access violation.
            throw new NtException(NTSTATUS.STATUS_ACCESS_VIOLATION, unchecked(0UL - ObjectHeader.BodyOffset), write: true);
        }

        body = Canonical(body);
        if (_headers.TryGetValue(body, out var header))
        {
            return header;
        }

        if (body is KTHREAD thread && thread.Machine == _machine)
        {
            lock (_lock)
            {
                if (!_headers.TryGetValue(body, out header))
                {
                    header = RegisterObject(ThreadType, thread, pointerCount: 1);
                }

                return header;
            }
        }

        var address = body is DispatcherObject d ? KernelCore.ObjectAddress(d) : ForeignAddress(body);
        _machine.BugCheck.Raise(BugCheckCode.BAD_OBJECT_HEADER, address - ObjectHeader.BodyOffset, 0, 0, 0);
        throw new UnreachableException();
    }

    /// <summary>The header of <paramref name="body"/>, or null if it is not an object (no bug check).</summary>
    internal ObjectHeader? TryGetHeader(object body) => _headers.TryGetValue(Canonical(body), out var header) ? header : null;

    /// <summary>
    /// Maps a boxed view of an object in kernel memory to the one boxed instance registered as its body
    /// (set by the I/O manager); a view boxed anew by a driver still names the same object.
    /// </summary>
    internal Func<object, object>? Canonicalize { get; set; }

    private object Canonical(object body) => body is IKernelObjectView && Canonicalize is { } c ? c(body) : body;

    /// <summary>ObGetObjectType: the type of an object.</summary>
    internal OBJECT_TYPE GetObjectType(object body) => GetHeader(body).Type;

    /// <summary>The kernel address a PVOID to the object holds.</summary>
    internal ulong AddressOf(object body) => GetHeader(body).Address;

    private ObjectHeader RegisterObject(OBJECT_TYPE type, object body, long pointerCount)
    {
        var address = body switch
        {
            KTHREAD t => t.Address,
            EPROCESS p => p.Address,
            OBJECT_TYPE t => t.Address,
            IKernelObjectView v => v.Address,
            _ => AllocateAddress(),
        };
        var header = new ObjectHeader(type, body, address, pointerCount);
        lock (_lock)
        {
            _headers.Add(body, header);
            type.Objects.Add(header);
            type.TotalNumberOfObjects++;
            type.HighWaterNumberOfObjects = Math.Max(type.HighWaterNumberOfObjects, type.TotalNumberOfObjects);
        }

        return header;
    }

    /// <summary>A fresh body address in the object space, as an allocation from nonpaged pool would give.</summary>
    private ulong AllocateAddress()
    {
        var block = (ulong)Interlocked.Increment(ref _nextBlock) - 1;
        return ObjectSpaceBase + (block * ObjectBlockSize) + PoolHeaderSize + ObjectHeader.BodyOffset;
    }

    private static ulong ForeignAddress(object body) =>
        0xFFFFFA80_00000000UL | ((ulong)(uint)RuntimeHelpers.GetHashCode(body) << 4);

    private ACCESS_STATE NewAccessState(uint desiredAccess, OBJECT_TYPE? type, string? name) =>
        new(desiredAccess, type?.GenericMapping)
        {
            ObjectName = name,
            ObjectTypeName = type?.Name,
        };

    /// <summary>
    /// ObpCaptureObjectCreateInformation's checks: Length must be sizeof(OBJECT_ATTRIBUTES), only valid
    /// OBJ_* bits, none the type forbids; each is STATUS_INVALID_PARAMETER.
    /// </summary>
    internal static NTSTATUS ValidateAttributes(in OBJECT_ATTRIBUTES attributes, OBJECT_TYPE? type)
    {
        if (attributes.Length != OBJECT_ATTRIBUTES.SizeOf
            || (attributes.Attributes & ~OBJECT_ATTRIBUTES.OBJ_VALID_ATTRIBUTES) != 0
            || (type is not null && (attributes.Attributes & type.InvalidAttributes) != 0))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// ObpCaptureObjectName: a name must count whole characters that its buffer holds
    /// (STATUS_OBJECT_NAME_INVALID otherwise); an empty name means no name.
    /// </summary>
    private static NTSTATUS CaptureName(UNICODE_STRING objectName, out string? name)
    {
        name = null;
        if ((objectName.Length & 1) != 0 || (objectName.Length > 0 && (objectName.Buffer is null
            || objectName.Buffer.Length < objectName.Length / 2)))
        {
            return NTSTATUS.STATUS_OBJECT_NAME_INVALID;
        }

        if (objectName.Length > 0)
        {
            name = objectName.Value;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    // ---- Boot-time namespace ---------------------------------------------------------------------------

    private OBJECT_DIRECTORY CreateBootDirectory(string name)
    {
        var directory = new OBJECT_DIRECTORY();
        var header = RegisterObject(DirectoryType, directory, pointerCount: 0);
        InsertBootObject(header, RootDirectory, name);
        return directory;
    }

    private void CreateBootSymbolicLink(OBJECT_DIRECTORY directory, string name, string target)
    {
        var link = new OBJECT_SYMBOLIC_LINK(target, _machine.Ke.BootSystemTime);
        var header = RegisterObject(SymbolicLinkType, link, pointerCount: 0);
        InsertBootObject(header, directory, name);
    }

    /// <summary>A permanent boot object: its only reference is its name's.</summary>
    private void InsertBootObject(ObjectHeader header, OBJECT_DIRECTORY directory, string name)
    {
        header.Permanent = true;
        header.Inserted = true;
        lock (_lock)
        {
            InsertEntryLocked(directory, header, name);
        }
    }

    /// <summary>
    /// Puts a name into a directory: the name holds a pointer reference on the object, and one on the
    /// directory it is in (so a directory outlives its entries).
    /// </summary>
    private void InsertEntryLocked(OBJECT_DIRECTORY directory, ObjectHeader header, string name)
    {
        Debug.Assert(Monitor.IsEntered(_lock));
        header.Name = name;
        header.Directory = directory;
        directory.Insert(header);
        Interlocked.Increment(ref header.PointerCount);
        Interlocked.Increment(ref GetHeader(directory).PointerCount);
    }
}
