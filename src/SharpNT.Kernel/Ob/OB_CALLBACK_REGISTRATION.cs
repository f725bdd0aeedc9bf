namespace SharpNT.Kernel.Ob;

/// <summary>OB_PREOP_CALLBACK_STATUS: what a pre-operation callback returns (OB_PREOP_SUCCESS, the only value).</summary>
public enum OB_PREOP_CALLBACK_STATUS
{
    OB_PREOP_SUCCESS = 0,
}

/// <summary>POB_PRE_OPERATION_CALLBACK: runs before a handle to a process or thread is created or duplicated.</summary>
public delegate OB_PREOP_CALLBACK_STATUS POB_PRE_OPERATION_CALLBACK(object? RegistrationContext, OB_PRE_OPERATION_INFORMATION OperationInformation);

/// <summary>POB_POST_OPERATION_CALLBACK: runs after the handle operation, with the access granted.</summary>
public delegate void POB_POST_OPERATION_CALLBACK(object? RegistrationContext, OB_POST_OPERATION_INFORMATION OperationInformation);

/// <summary>OB_OPERATION_REGISTRATION: the object type, the operations (OB_OPERATION_HANDLE_CREATE / _DUPLICATE) and the callbacks.</summary>
public sealed class OB_OPERATION_REGISTRATION
{
    public required OBJECT_TYPE ObjectType { get; init; }

    public uint Operations { get; init; }

    public POB_PRE_OPERATION_CALLBACK? PreOperation { get; init; }

    public POB_POST_OPERATION_CALLBACK? PostOperation { get; init; }
}

/// <summary>OB_CALLBACK_REGISTRATION: a driver's handle-operation callbacks, ordered among drivers by Altitude.</summary>
public sealed class OB_CALLBACK_REGISTRATION
{
    public ushort Version { get; init; } = ObjectCallbacks.OB_FLT_REGISTRATION_VERSION;

    /// <summary>A decimal number as a string; no two registrations may share one.</summary>
    public required string Altitude { get; init; }

    public object? RegistrationContext { get; init; }

    public required IReadOnlyList<OB_OPERATION_REGISTRATION> OperationRegistration { get; init; }
}

/// <summary>What a pre-operation callback may read, and where it may take access rights away.</summary>
public sealed class OB_PRE_OPERATION_INFORMATION
{
    public uint Operation { get; init; }

    /// <summary>The handle goes to the kernel handle table (OBJ_KERNEL_HANDLE).</summary>
    public bool KernelHandle { get; init; }

    /// <summary>The process (EPROCESS) or thread (KTHREAD) the handle is for.</summary>
    public required object Object { get; init; }

    public required OBJECT_TYPE ObjectType { get; init; }

    /// <summary>Passed from the pre-operation callback to its post-operation callback.</summary>
    public object? CallContext { get; set; }

    public required OB_PRE_OPERATION_PARAMETERS Parameters { get; init; }
}

/// <summary>OB_PRE_OPERATION_PARAMETERS: the create or duplicate handle information, by Operation.</summary>
public sealed class OB_PRE_OPERATION_PARAMETERS
{
    public OB_PRE_HANDLE_INFORMATION CreateHandleInformation { get; } = new();

    public OB_PRE_HANDLE_INFORMATION DuplicateHandleInformation { get; } = new();
}

/// <summary>
/// OB_PRE_CREATE_HANDLE_INFORMATION / OB_PRE_DUPLICATE_HANDLE_INFORMATION: DesiredAccess may lose rights
/// (rights a callback adds are not granted); OriginalDesiredAccess is what was asked for.
/// </summary>
public sealed class OB_PRE_HANDLE_INFORMATION
{
    public uint DesiredAccess { get; set; }

    public uint OriginalDesiredAccess { get; internal set; }
}

/// <summary>What a post-operation callback learns: the status and the access the handle got.</summary>
public sealed class OB_POST_OPERATION_INFORMATION
{
    public uint Operation { get; init; }

    public bool KernelHandle { get; init; }

    public required object Object { get; init; }

    public required OBJECT_TYPE ObjectType { get; init; }

    public object? CallContext { get; init; }

    public NTSTATUS ReturnStatus { get; init; }

    /// <summary>Parameters->CreateHandleInformation.GrantedAccess (or the duplicate's).</summary>
    public uint GrantedAccess { get; init; }
}
