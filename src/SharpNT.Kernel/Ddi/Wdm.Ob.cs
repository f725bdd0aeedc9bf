using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel.Ddi;

/// <summary>The Object Manager's DDIs: references, handles, names, directories, symbolic links, named events.</summary>
public static partial class Wdm
{
    // ---- OBJ_* attributes ------------------------------------------------------------------------------
    public const uint OBJ_PROTECT_CLOSE = OBJECT_ATTRIBUTES.OBJ_PROTECT_CLOSE;
    public const uint OBJ_INHERIT = OBJECT_ATTRIBUTES.OBJ_INHERIT;
    public const uint OBJ_AUDIT_OBJECT_CLOSE = OBJECT_ATTRIBUTES.OBJ_AUDIT_OBJECT_CLOSE;
    public const uint OBJ_PERMANENT = OBJECT_ATTRIBUTES.OBJ_PERMANENT;
    public const uint OBJ_EXCLUSIVE = OBJECT_ATTRIBUTES.OBJ_EXCLUSIVE;
    public const uint OBJ_CASE_INSENSITIVE = OBJECT_ATTRIBUTES.OBJ_CASE_INSENSITIVE;
    public const uint OBJ_OPENIF = OBJECT_ATTRIBUTES.OBJ_OPENIF;
    public const uint OBJ_OPENLINK = OBJECT_ATTRIBUTES.OBJ_OPENLINK;
    public const uint OBJ_KERNEL_HANDLE = OBJECT_ATTRIBUTES.OBJ_KERNEL_HANDLE;
    public const uint OBJ_FORCE_ACCESS_CHECK = OBJECT_ATTRIBUTES.OBJ_FORCE_ACCESS_CHECK;
    public const uint OBJ_IGNORE_IMPERSONATED_DEVICEMAP = OBJECT_ATTRIBUTES.OBJ_IGNORE_IMPERSONATED_DEVICEMAP;
    public const uint OBJ_DONT_REPARSE = OBJECT_ATTRIBUTES.OBJ_DONT_REPARSE;
    public const uint OBJ_VALID_ATTRIBUTES = OBJECT_ATTRIBUTES.OBJ_VALID_ATTRIBUTES;

    // ---- ZwDuplicateObject options -----------------------------------------------------------------------
    public const uint DUPLICATE_CLOSE_SOURCE = ObjectManager.DUPLICATE_CLOSE_SOURCE;
    public const uint DUPLICATE_SAME_ACCESS = ObjectManager.DUPLICATE_SAME_ACCESS;
    public const uint DUPLICATE_SAME_ATTRIBUTES = ObjectManager.DUPLICATE_SAME_ATTRIBUTES;

    // ---- Access rights (ACCESS_MASK) ---------------------------------------------------------------------
    public const uint DELETE = AccessMask.DELETE;
    public const uint READ_CONTROL = AccessMask.READ_CONTROL;
    public const uint WRITE_DAC = AccessMask.WRITE_DAC;
    public const uint WRITE_OWNER = AccessMask.WRITE_OWNER;
    public const uint SYNCHRONIZE = AccessMask.SYNCHRONIZE;
    public const uint STANDARD_RIGHTS_REQUIRED = AccessMask.STANDARD_RIGHTS_REQUIRED;
    public const uint STANDARD_RIGHTS_READ = AccessMask.STANDARD_RIGHTS_READ;
    public const uint STANDARD_RIGHTS_WRITE = AccessMask.STANDARD_RIGHTS_WRITE;
    public const uint STANDARD_RIGHTS_EXECUTE = AccessMask.STANDARD_RIGHTS_EXECUTE;
    public const uint STANDARD_RIGHTS_ALL = AccessMask.STANDARD_RIGHTS_ALL;
    public const uint SPECIFIC_RIGHTS_ALL = AccessMask.SPECIFIC_RIGHTS_ALL;
    public const uint ACCESS_SYSTEM_SECURITY = AccessMask.ACCESS_SYSTEM_SECURITY;
    public const uint MAXIMUM_ALLOWED = AccessMask.MAXIMUM_ALLOWED;
    public const uint GENERIC_READ = AccessMask.GENERIC_READ;
    public const uint GENERIC_WRITE = AccessMask.GENERIC_WRITE;
    public const uint GENERIC_EXECUTE = AccessMask.GENERIC_EXECUTE;
    public const uint GENERIC_ALL = AccessMask.GENERIC_ALL;
    public const uint DIRECTORY_QUERY = AccessMask.DIRECTORY_QUERY;
    public const uint DIRECTORY_TRAVERSE = AccessMask.DIRECTORY_TRAVERSE;
    public const uint DIRECTORY_CREATE_OBJECT = AccessMask.DIRECTORY_CREATE_OBJECT;
    public const uint DIRECTORY_CREATE_SUBDIRECTORY = AccessMask.DIRECTORY_CREATE_SUBDIRECTORY;
    public const uint DIRECTORY_ALL_ACCESS = AccessMask.DIRECTORY_ALL_ACCESS;
    public const uint SYMBOLIC_LINK_QUERY = AccessMask.SYMBOLIC_LINK_QUERY;
    public const uint SYMBOLIC_LINK_ALL_ACCESS = AccessMask.SYMBOLIC_LINK_ALL_ACCESS;
    public const uint EVENT_QUERY_STATE = AccessMask.EVENT_QUERY_STATE;
    public const uint EVENT_MODIFY_STATE = AccessMask.EVENT_MODIFY_STATE;
    public const uint EVENT_ALL_ACCESS = AccessMask.EVENT_ALL_ACCESS;
    public const uint SEMAPHORE_QUERY_STATE = AccessMask.SEMAPHORE_QUERY_STATE;
    public const uint SEMAPHORE_MODIFY_STATE = AccessMask.SEMAPHORE_MODIFY_STATE;
    public const uint SEMAPHORE_ALL_ACCESS = AccessMask.SEMAPHORE_ALL_ACCESS;
    public const uint MUTANT_QUERY_STATE = AccessMask.MUTANT_QUERY_STATE;
    public const uint MUTANT_ALL_ACCESS = AccessMask.MUTANT_ALL_ACCESS;
    public const uint TIMER_QUERY_STATE = AccessMask.TIMER_QUERY_STATE;
    public const uint TIMER_MODIFY_STATE = AccessMask.TIMER_MODIFY_STATE;
    public const uint TIMER_ALL_ACCESS = AccessMask.TIMER_ALL_ACCESS;
    public const uint THREAD_TERMINATE = AccessMask.THREAD_TERMINATE;
    public const uint THREAD_SUSPEND_RESUME = AccessMask.THREAD_SUSPEND_RESUME;
    public const uint THREAD_ALERT = AccessMask.THREAD_ALERT;
    public const uint THREAD_GET_CONTEXT = AccessMask.THREAD_GET_CONTEXT;
    public const uint THREAD_SET_CONTEXT = AccessMask.THREAD_SET_CONTEXT;
    public const uint THREAD_SET_INFORMATION = AccessMask.THREAD_SET_INFORMATION;
    public const uint THREAD_QUERY_INFORMATION = AccessMask.THREAD_QUERY_INFORMATION;
    public const uint THREAD_SET_THREAD_TOKEN = AccessMask.THREAD_SET_THREAD_TOKEN;
    public const uint THREAD_IMPERSONATE = AccessMask.THREAD_IMPERSONATE;
    public const uint THREAD_DIRECT_IMPERSONATION = AccessMask.THREAD_DIRECT_IMPERSONATION;
    public const uint THREAD_SET_LIMITED_INFORMATION = AccessMask.THREAD_SET_LIMITED_INFORMATION;
    public const uint THREAD_QUERY_LIMITED_INFORMATION = AccessMask.THREAD_QUERY_LIMITED_INFORMATION;
    public const uint THREAD_RESUME = AccessMask.THREAD_RESUME;
    public const uint THREAD_ALL_ACCESS = AccessMask.THREAD_ALL_ACCESS;
    public const uint PROCESS_TERMINATE = AccessMask.PROCESS_TERMINATE;
    public const uint PROCESS_CREATE_THREAD = AccessMask.PROCESS_CREATE_THREAD;
    public const uint PROCESS_VM_OPERATION = AccessMask.PROCESS_VM_OPERATION;
    public const uint PROCESS_VM_READ = AccessMask.PROCESS_VM_READ;
    public const uint PROCESS_VM_WRITE = AccessMask.PROCESS_VM_WRITE;
    public const uint PROCESS_DUP_HANDLE = AccessMask.PROCESS_DUP_HANDLE;
    public const uint PROCESS_CREATE_PROCESS = AccessMask.PROCESS_CREATE_PROCESS;
    public const uint PROCESS_SET_QUOTA = AccessMask.PROCESS_SET_QUOTA;
    public const uint PROCESS_SET_INFORMATION = AccessMask.PROCESS_SET_INFORMATION;
    public const uint PROCESS_QUERY_INFORMATION = AccessMask.PROCESS_QUERY_INFORMATION;
    public const uint PROCESS_SUSPEND_RESUME = AccessMask.PROCESS_SUSPEND_RESUME;
    public const uint PROCESS_QUERY_LIMITED_INFORMATION = AccessMask.PROCESS_QUERY_LIMITED_INFORMATION;
    public const uint PROCESS_ALL_ACCESS = AccessMask.PROCESS_ALL_ACCESS;
    public const uint FILE_READ_DATA = AccessMask.FILE_READ_DATA;
    public const uint FILE_LIST_DIRECTORY = AccessMask.FILE_LIST_DIRECTORY;
    public const uint FILE_WRITE_DATA = AccessMask.FILE_WRITE_DATA;
    public const uint FILE_ADD_FILE = AccessMask.FILE_ADD_FILE;
    public const uint FILE_APPEND_DATA = AccessMask.FILE_APPEND_DATA;
    public const uint FILE_ADD_SUBDIRECTORY = AccessMask.FILE_ADD_SUBDIRECTORY;
    public const uint FILE_CREATE_PIPE_INSTANCE = AccessMask.FILE_CREATE_PIPE_INSTANCE;
    public const uint FILE_READ_EA = AccessMask.FILE_READ_EA;
    public const uint FILE_WRITE_EA = AccessMask.FILE_WRITE_EA;
    public const uint FILE_EXECUTE = AccessMask.FILE_EXECUTE;
    public const uint FILE_TRAVERSE = AccessMask.FILE_TRAVERSE;
    public const uint FILE_DELETE_CHILD = AccessMask.FILE_DELETE_CHILD;
    public const uint FILE_READ_ATTRIBUTES = AccessMask.FILE_READ_ATTRIBUTES;
    public const uint FILE_WRITE_ATTRIBUTES = AccessMask.FILE_WRITE_ATTRIBUTES;
    public const uint FILE_ALL_ACCESS = AccessMask.FILE_ALL_ACCESS;
    public const uint FILE_GENERIC_READ = AccessMask.FILE_GENERIC_READ;
    public const uint FILE_GENERIC_WRITE = AccessMask.FILE_GENERIC_WRITE;
    public const uint FILE_GENERIC_EXECUTE = AccessMask.FILE_GENERIC_EXECUTE;
    public const uint KEY_QUERY_VALUE = AccessMask.KEY_QUERY_VALUE;
    public const uint KEY_SET_VALUE = AccessMask.KEY_SET_VALUE;
    public const uint KEY_CREATE_SUB_KEY = AccessMask.KEY_CREATE_SUB_KEY;
    public const uint KEY_ENUMERATE_SUB_KEYS = AccessMask.KEY_ENUMERATE_SUB_KEYS;
    public const uint KEY_NOTIFY = AccessMask.KEY_NOTIFY;
    public const uint KEY_CREATE_LINK = AccessMask.KEY_CREATE_LINK;
    public const uint KEY_READ = AccessMask.KEY_READ;
    public const uint KEY_WRITE = AccessMask.KEY_WRITE;
    public const uint KEY_EXECUTE = AccessMask.KEY_EXECUTE;
    public const uint KEY_ALL_ACCESS = AccessMask.KEY_ALL_ACCESS;
    public const uint SECTION_QUERY = AccessMask.SECTION_QUERY;
    public const uint SECTION_MAP_WRITE = AccessMask.SECTION_MAP_WRITE;
    public const uint SECTION_MAP_READ = AccessMask.SECTION_MAP_READ;
    public const uint SECTION_MAP_EXECUTE = AccessMask.SECTION_MAP_EXECUTE;
    public const uint SECTION_EXTEND_SIZE = AccessMask.SECTION_EXTEND_SIZE;
    public const uint SECTION_ALL_ACCESS = AccessMask.SECTION_ALL_ACCESS;
    public const uint TOKEN_QUERY = AccessMask.TOKEN_QUERY;
    public const uint TOKEN_ALL_ACCESS = AccessMask.TOKEN_ALL_ACCESS;

    internal static ObjectManager Ob => CurrentMachine.Ob;

    // ---- Object types (the exported POBJECT_TYPE globals, per machine) -----------------------------------

    /// <summary>*ExEventObjectType: the Event type (a KEVENT body).</summary>
    public static OBJECT_TYPE ExEventObjectType => Ob.EventType;

    /// <summary>*ExSemaphoreObjectType: the Semaphore type (a KSEMAPHORE body).</summary>
    public static OBJECT_TYPE ExSemaphoreObjectType => Ob.SemaphoreType;

    public const uint OB_OPERATION_HANDLE_CREATE = ObjectCallbacks.OB_OPERATION_HANDLE_CREATE;
    public const uint OB_OPERATION_HANDLE_DUPLICATE = ObjectCallbacks.OB_OPERATION_HANDLE_DUPLICATE;
    public const ushort OB_FLT_REGISTRATION_VERSION = ObjectCallbacks.OB_FLT_REGISTRATION_VERSION;

    /// <summary>
    /// ObRegisterCallbacks: IRQL PASSIVE_LEVEL. The pre-operation callbacks run before a handle to a process or
    /// thread is created or duplicated and may take rights out of its access; the post-operation callbacks see
    /// what was granted. RegistrationHandle is for ObUnRegisterCallbacks, which the driver must call before it
    /// unloads.
    /// </summary>
    public static NTSTATUS ObRegisterCallbacks(OB_CALLBACK_REGISTRATION CallbackRegistration, out object? RegistrationHandle) =>
        Ob.Callbacks.Register(CallbackRegistration, out RegistrationHandle);

    /// <summary>ObUnRegisterCallbacks: the registration's callbacks no longer run.</summary>
    public static void ObUnRegisterCallbacks(object RegistrationHandle) => Ob.Callbacks.Unregister(RegistrationHandle);

    /// <summary>ObGetFilterVersion: the callback registration version this system supports.</summary>
    public static ushort ObGetFilterVersion() => OB_FLT_REGISTRATION_VERSION;

    /// <summary>*IoFileObjectType: the File type.</summary>
    public static OBJECT_TYPE IoFileObjectType => Ob.FileType;

    /// <summary>*IoDeviceObjectType: the Device type.</summary>
    public static OBJECT_TYPE IoDeviceObjectType => Ob.DeviceType;

    /// <summary>*IoDriverObjectType: the Driver type.</summary>
    public static OBJECT_TYPE IoDriverObjectType => Ob.DriverType;

    /// <summary>*PsThreadType: the Thread type (a KTHREAD body, PETHREAD and PKTHREAD alike).</summary>
    public static OBJECT_TYPE PsThreadType => Ob.ThreadType;

    /// <summary>*PsProcessType: the Process type (an EPROCESS body).</summary>
    public static OBJECT_TYPE PsProcessType => Ob.ProcessType;

    /// <summary>*SeTokenObjectType: the Token type.</summary>
    public static OBJECT_TYPE SeTokenObjectType => Ob.TokenType;

    /// <summary>*CmKeyObjectType: the Key type.</summary>
    public static OBJECT_TYPE CmKeyObjectType => Ob.KeyType;

    /// <summary>*MmSectionObjectType: the Section type.</summary>
    public static OBJECT_TYPE MmSectionObjectType => Ob.SectionType;

    // ---- Counted strings and object attributes --------------------------------------------------------

    /// <summary>RtlInitUnicodeString: any IRQL for a nonpaged string; Length is the string's, MaximumLength adds the NUL.</summary>
    public static void RtlInitUnicodeString(out UNICODE_STRING DestinationString, string? SourceString) =>
        UNICODE_STRING.Init(out DestinationString, SourceString);

    /// <summary>RtlInitEmptyUnicodeString: an empty string whose buffer holds BufferSize bytes.</summary>
    public static void RtlInitEmptyUnicodeString(out UNICODE_STRING UnicodeString, ushort BufferSize) =>
        UNICODE_STRING.InitEmpty(out UnicodeString, BufferSize);

    /// <summary>RtlCopyUnicodeString: copies as much of SourceString as DestinationString's buffer holds.</summary>
    public static void RtlCopyUnicodeString(ref UNICODE_STRING DestinationString, UNICODE_STRING? SourceString) =>
        UNICODE_STRING.Copy(ref DestinationString, SourceString);

    /// <summary>RtlAppendUnicodeToString: STATUS_BUFFER_TOO_SMALL if Destination's buffer cannot hold the result.</summary>
    public static NTSTATUS RtlAppendUnicodeToString(ref UNICODE_STRING Destination, string? Source) =>
        UNICODE_STRING.Append(ref Destination, Source);

    /// <summary>RtlAppendUnicodeStringToString: STATUS_BUFFER_TOO_SMALL if Destination's buffer cannot hold the result.</summary>
    public static NTSTATUS RtlAppendUnicodeStringToString(ref UNICODE_STRING Destination, UNICODE_STRING Source) =>
        UNICODE_STRING.Append(ref Destination, Source.AsSpan());

    /// <summary>RtlCompareUnicodeString: negative, zero or positive; PASSIVE_LEVEL for paged strings.</summary>
    public static int RtlCompareUnicodeString(UNICODE_STRING String1, UNICODE_STRING String2, bool CaseInSensitive) =>
        UNICODE_STRING.Compare(String1, String2, CaseInSensitive);

    /// <summary>RtlEqualUnicodeString: TRUE if the strings are equal (ignoring case when asked).</summary>
    public static bool RtlEqualUnicodeString(UNICODE_STRING String1, UNICODE_STRING String2, bool CaseInSensitive) =>
        UNICODE_STRING.AreEqual(String1, String2, CaseInSensitive);

    /// <summary>RtlPrefixUnicodeString: TRUE if String1 is a prefix of String2.</summary>
    public static bool RtlPrefixUnicodeString(UNICODE_STRING String1, UNICODE_STRING String2, bool CaseInSensitive) =>
        UNICODE_STRING.IsPrefix(String1, String2, CaseInSensitive);

    /// <summary>InitializeObjectAttributes: sets Length, the name, the OBJ_* attributes, the root directory and the security descriptor.</summary>
    public static void InitializeObjectAttributes(out OBJECT_ATTRIBUTES InitializedAttributes, UNICODE_STRING? ObjectName,
        uint Attributes, HANDLE? RootDirectory, object? SecurityDescriptor) =>
        OBJECT_ATTRIBUTES.Initialize(out InitializedAttributes, ObjectName, Attributes, RootDirectory ?? HANDLE.NULL, SecurityDescriptor);

    /// <summary>RtlMapGenericMask: replaces the generic rights in AccessMask by the rights GenericMapping maps them to.</summary>
    public static void RtlMapGenericMask(ref uint AccessMask, GENERIC_MAPPING GenericMapping) =>
        AccessMask = GenericMapping.Map(AccessMask);

    // ---- References ------------------------------------------------------------------------------------

    /// <summary>ObReferenceObject: IRQL &lt;= DISPATCH_LEVEL; one more pointer reference.</summary>
    public static void ObReferenceObject(object Object)
    {
        var ob = ObEnter(DISPATCH_LEVEL);
        ob.ReferenceObject(Object);
    }

    /// <summary>
    /// ObDereferenceObject: IRQL &lt;= DISPATCH_LEVEL; the last reference deletes the object. Below zero
    /// (or to zero with handles open) is bug check REFERENCE_BY_POINTER.
    /// </summary>
    public static void ObDereferenceObject(object Object)
    {
        var ob = ObEnter(DISPATCH_LEVEL);
        ob.DereferenceObject(Object);
    }

    /// <summary>ObDereferenceObjectDeferDelete: IRQL &lt;= DISPATCH_LEVEL; deletion always happens on a worker thread.</summary>
    public static void ObDereferenceObjectDeferDelete(object Object)
    {
        var ob = ObEnter(DISPATCH_LEVEL);
        ob.DereferenceObjectDeferDelete(Object);
    }

    /// <summary>
    /// ObReferenceObjectByHandle: PASSIVE_LEVEL. STATUS_SUCCESS with the object referenced;
    /// STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED (UserMode only), STATUS_INVALID_HANDLE.
    /// </summary>
    public static NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, uint DesiredAccess, OBJECT_TYPE? ObjectType,
        KPROCESSOR_MODE AccessMode, out object? Object, out OBJECT_HANDLE_INFORMATION HandleInformation)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.ReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, AccessMode, out Object, out HandleInformation);
    }

    /// <summary>
    /// ObReferenceObjectByPointer: IRQL &lt;= DISPATCH_LEVEL. STATUS_OBJECT_TYPE_MISMATCH for a wrong type
    /// in user mode, or whenever the symbolic link type is asked for.
    /// </summary>
    public static NTSTATUS ObReferenceObjectByPointer(object Object, uint DesiredAccess, OBJECT_TYPE? ObjectType,
        KPROCESSOR_MODE AccessMode)
    {
        var ob = ObEnter(DISPATCH_LEVEL);
        return ob.ReferenceObjectByPointer(Object, DesiredAccess, ObjectType, AccessMode);
    }

    /// <summary>ObReferenceObjectByName: PASSIVE_LEVEL; the named object, referenced, without a handle.</summary>
    public static NTSTATUS ObReferenceObjectByName(UNICODE_STRING ObjectName, uint Attributes, ACCESS_STATE? AccessState,
        uint DesiredAccess, OBJECT_TYPE? ObjectType, KPROCESSOR_MODE AccessMode, object? ParseContext, out object? Object)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.ReferenceObjectByName(ObjectName, Attributes, AccessState, DesiredAccess, ObjectType, AccessMode,
            ParseContext, out Object);
    }

    /// <summary>ObOpenObjectByPointer: PASSIVE_LEVEL; a handle to an object the caller holds a pointer to.</summary>
    public static NTSTATUS ObOpenObjectByPointer(object Object, uint HandleAttributes, ACCESS_STATE? PassedAccessState,
        uint DesiredAccess, OBJECT_TYPE? ObjectType, KPROCESSOR_MODE AccessMode, out HANDLE Handle)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.OpenObjectByPointer(Object, HandleAttributes, PassedAccessState, DesiredAccess, ObjectType, AccessMode,
            out Handle);
    }

    /// <summary>ObMakeTemporaryObject: PASSIVE_LEVEL; a permanent object's name goes with its last handle.</summary>
    public static void ObMakeTemporaryObject(object Object)
    {
        var ob = ObEnter(APC_LEVEL);
        ob.MakeTemporaryObject(Object);
    }

    /// <summary>ObGetObjectType: the type of an object. Any IRQL.</summary>
    public static OBJECT_TYPE ObGetObjectType(object Object) => Ob.GetObjectType(Object);

    // ---- Handles (the Zw routines run with previous mode KernelMode) ----------------------------------

    /// <summary>
    /// ZwClose: PASSIVE_LEVEL. An invalid or protected handle closed from kernel mode is bug check
    /// INVALID_KERNEL_HANDLE.
    /// </summary>
    public static NTSTATUS ZwClose(HANDLE Handle)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.CloseHandle(Handle, KernelMode);
    }

    /// <summary>ZwMakeTemporaryObject: PASSIVE_LEVEL; makes the object a handle refers to temporary.</summary>
    public static NTSTATUS ZwMakeTemporaryObject(HANDLE Handle)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.MakeTemporaryObject(Handle, KernelMode);
    }

    /// <summary>
    /// ZwDuplicateObject: PASSIVE_LEVEL; a new handle to the object SourceHandle refers to, in
    /// TargetProcessHandle's process (DUPLICATE_SAME_ACCESS, DUPLICATE_SAME_ATTRIBUTES, DUPLICATE_CLOSE_SOURCE).
    /// </summary>
    public static NTSTATUS ZwDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE? TargetProcessHandle,
        out HANDLE TargetHandle, uint DesiredAccess, uint HandleAttributes, uint Options)
    {
        TargetHandle = HANDLE.NULL;
        var ob = ObEnter(APC_LEVEL);
        var status = ob.ReferenceObjectByHandle(SourceProcessHandle, PROCESS_DUP_HANDLE, ob.ProcessType, KernelMode,
            out var source, out _);
        if (!status.IsSuccess())
        {
            return status;
        }

        object? target = null;
        if (TargetProcessHandle is { IsNull: false } targetProcessHandle)
        {
            status = ob.ReferenceObjectByHandle(targetProcessHandle, PROCESS_DUP_HANDLE, ob.ProcessType, KernelMode,
                out target, out _);
            if (!status.IsSuccess())
            {
                ob.DereferenceObject(source!);
                return status;
            }
        }

        status = ob.DuplicateObject((Ps.EPROCESS)source!, SourceHandle, (Ps.EPROCESS?)target, out TargetHandle, DesiredAccess,
            HandleAttributes, Options, KernelMode);
        ob.DereferenceObject(source!);
        if (target is not null)
        {
            ob.DereferenceObject(target);
        }

        return status;
    }

    // ---- Directories and symbolic links ------------------------------------------------------------------

    /// <summary>ZwCreateDirectoryObject: PASSIVE_LEVEL; a new object directory and a handle to it.</summary>
    public static NTSTATUS ZwCreateDirectoryObject(out HANDLE DirectoryHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes)
    {
        DirectoryHandle = HANDLE.NULL;
        var ob = ObEnter(APC_LEVEL);
        var directory = new OBJECT_DIRECTORY();
        var status = ob.CreateObject(ob.DirectoryType, directory, ObjectAttributes);
        return status.IsSuccess()
            ? ob.InsertObject(directory, null, DesiredAccess, KernelMode, 0, out _, out DirectoryHandle)
            : status;
    }

    /// <summary>ZwOpenDirectoryObject: PASSIVE_LEVEL; a handle to an existing object directory.</summary>
    public static NTSTATUS ZwOpenDirectoryObject(out HANDLE DirectoryHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.OpenObjectByName(ObjectAttributes, ob.DirectoryType, KernelMode, null, DesiredAccess, null, out DirectoryHandle);
    }

    /// <summary>ZwCreateSymbolicLinkObject: PASSIVE_LEVEL; a symbolic link standing for LinkTarget, and a handle to it.</summary>
    public static NTSTATUS ZwCreateSymbolicLinkObject(out HANDLE LinkHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes,
        UNICODE_STRING LinkTarget)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.CreateSymbolicLink(out LinkHandle, DesiredAccess, ObjectAttributes, LinkTarget, KernelMode);
    }

    /// <summary>ZwOpenSymbolicLinkObject: PASSIVE_LEVEL; a handle to the link itself (it is not followed).</summary>
    public static NTSTATUS ZwOpenSymbolicLinkObject(out HANDLE LinkHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.OpenObjectByName(ObjectAttributes, ob.SymbolicLinkType, KernelMode, null, DesiredAccess, null, out LinkHandle);
    }

    /// <summary>
    /// ZwQuerySymbolicLinkObject: PASSIVE_LEVEL; the link's target into LinkTarget's buffer, or
    /// STATUS_BUFFER_TOO_SMALL with the size needed in ReturnedLength.
    /// </summary>
    public static NTSTATUS ZwQuerySymbolicLinkObject(HANDLE LinkHandle, ref UNICODE_STRING LinkTarget, out uint ReturnedLength)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.QuerySymbolicLink(LinkHandle, ref LinkTarget, out ReturnedLength, KernelMode);
    }

    /// <summary>
    /// IoCreateSymbolicLink: PASSIVE_LEVEL; a permanent link SymbolicLinkName (e.g. "\??\X:" or
    /// "\DosDevices\MyDevice") standing for DeviceName.
    /// </summary>
    public static NTSTATUS IoCreateSymbolicLink(UNICODE_STRING SymbolicLinkName, UNICODE_STRING DeviceName)
    {
        var ob = ObEnter(PASSIVE_LEVEL);
        return ob.CreatePermanentSymbolicLink(SymbolicLinkName, DeviceName);
    }

    /// <summary>IoCreateUnprotectedSymbolicLink: as IoCreateSymbolicLink (the link's security is not modelled yet).</summary>
    public static NTSTATUS IoCreateUnprotectedSymbolicLink(UNICODE_STRING SymbolicLinkName, UNICODE_STRING DeviceName) =>
        IoCreateSymbolicLink(SymbolicLinkName, DeviceName);

    /// <summary>IoDeleteSymbolicLink: PASSIVE_LEVEL; removes a link IoCreateSymbolicLink made.</summary>
    public static NTSTATUS IoDeleteSymbolicLink(UNICODE_STRING SymbolicLinkName)
    {
        var ob = ObEnter(PASSIVE_LEVEL);
        return ob.DeletePermanentSymbolicLink(SymbolicLinkName);
    }

    // ---- Named events ----------------------------------------------------------------------------------

    /// <summary>
    /// ZwCreateEvent: PASSIVE_LEVEL; a new event object (named if ObjectAttributes names it) and a handle.
    /// An existing name is STATUS_OBJECT_NAME_COLLISION, or with OBJ_OPENIF opens it (STATUS_OBJECT_NAME_EXISTS).
    /// </summary>
    public static NTSTATUS ZwCreateEvent(out HANDLE EventHandle, uint DesiredAccess, OBJECT_ATTRIBUTES? ObjectAttributes,
        EVENT_TYPE EventType, bool InitialState) =>
        ObEnter(APC_LEVEL).CreateEvent(out EventHandle, DesiredAccess, ObjectAttributes, EventType, InitialState, KernelMode);

    /// <summary>ZwOpenEvent: PASSIVE_LEVEL; a handle to an existing named event.</summary>
    public static NTSTATUS ZwOpenEvent(out HANDLE EventHandle, uint DesiredAccess, in OBJECT_ATTRIBUTES ObjectAttributes)
    {
        var ob = ObEnter(APC_LEVEL);
        return ob.OpenObjectByName(ObjectAttributes, ob.EventType, KernelMode, null, DesiredAccess, null, out EventHandle);
    }

    /// <summary>ZwSetEvent: PASSIVE_LEVEL; sets the event (EVENT_MODIFY_STATE), returning its previous state.</summary>
    public static NTSTATUS ZwSetEvent(HANDLE EventHandle, out int PreviousState) =>
        ObEventOperation(EventHandle, out PreviousState, static (ke, evt) => ke.SetEvent(evt));

    /// <summary>ZwResetEvent: PASSIVE_LEVEL; resets the event, returning its previous state.</summary>
    public static NTSTATUS ZwResetEvent(HANDLE EventHandle, out int PreviousState) =>
        ObEventOperation(EventHandle, out PreviousState, static (ke, evt) => ke.ResetEvent(evt));

    /// <summary>ZwClearEvent: PASSIVE_LEVEL; resets the event.</summary>
    public static NTSTATUS ZwClearEvent(HANDLE EventHandle) =>
        ObEventOperation(EventHandle, out _, static (ke, evt) => ke.ResetEvent(evt));

    /// <summary>ZwPulseEvent: PASSIVE_LEVEL; sets then resets the event, releasing current waiters.</summary>
    public static NTSTATUS ZwPulseEvent(HANDLE EventHandle, out int PreviousState) =>
        ObEventOperation(EventHandle, out PreviousState, static (ke, evt) => ke.PulseEvent(evt));

    /// <summary>
    /// ZwWaitForSingleObject: PASSIVE_LEVEL; waits on the object a handle refers to (SYNCHRONIZE access).
    /// STATUS_SUCCESS, STATUS_TIMEOUT, STATUS_ABANDONED; STATUS_OBJECT_TYPE_MISMATCH if the object cannot be
    /// waited on.
    /// </summary>
    public static NTSTATUS ZwWaitForSingleObject(HANDLE Handle, bool Alertable, LARGE_INTEGER? Timeout) =>
        ObEnter(APC_LEVEL).WaitForSingleObject(Handle, Alertable, Timeout?.QuadPart, KernelMode);

    private static NTSTATUS ObEventOperation(HANDLE EventHandle, out int PreviousState, Func<KernelCore, KEVENT, int> operation) =>
        ObEnter(APC_LEVEL).EventOperation(EventHandle, KernelMode, operation, out PreviousState);

    /// <summary>
    /// Entry to an Ob or Ps DDI with a documented IRQL ceiling: returns the caller's Object Manager. Above
    /// the ceiling the routine would touch pageable code and data at a forbidden IRQL: IRQL_NOT_LESS_OR_EQUAL
    /// with the IRQL and the caller's address.
    /// </summary>
    private static ObjectManager ObEnter(byte ceiling)
    {
        var thread = KTHREAD.Current
            ?? throw new InvalidOperationException("DDI routines run on a simulated thread: call them inside Machine.Run.");
        var irql = thread.Processor!.Irql;
        if (irql > ceiling)
        {
            var caller = thread.InnermostFrame()?.Address ?? 0;
            thread.Machine.BugCheck.Raise(Kernel.Ke.BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, 0, irql, 0, caller);
        }

        return thread.Machine.Ob;
    }
}
