namespace SharpNT.Kernel.Ps;

/// <summary>PCREATE_PROCESS_NOTIFY_ROUTINE: a process was created (<paramref name="Create"/> TRUE) or deleted.</summary>
public delegate void PCREATE_PROCESS_NOTIFY_ROUTINE(HANDLE ParentId, HANDLE ProcessId, bool Create);

/// <summary>
/// PCREATE_PROCESS_NOTIFY_ROUTINE_EX: <paramref name="CreateInfo"/> describes a process being created (the
/// routine may refuse it through CreationStatus), or is NULL when the process exits.
/// </summary>
public delegate void PCREATE_PROCESS_NOTIFY_ROUTINE_EX(EPROCESS Process, HANDLE ProcessId, PS_CREATE_NOTIFY_INFO? CreateInfo);

/// <summary>PCREATE_THREAD_NOTIFY_ROUTINE: a thread was created (<paramref name="Create"/> TRUE) or exited.</summary>
public delegate void PCREATE_THREAD_NOTIFY_ROUTINE(HANDLE ProcessId, HANDLE ThreadId, bool Create);

/// <summary>
/// PS_CREATE_NOTIFY_INFO: what a process-notify routine learns of a process being created. Setting
/// CreationStatus to an error status makes the creation fail with it.
/// </summary>
public sealed class PS_CREATE_NOTIFY_INFO
{
    public HANDLE ParentProcessId { get; init; }

    /// <summary>CLIENT_ID CreatingThreadId: the creating thread and its process.</summary>
    public CLIENT_ID CreatingThreadId { get; init; }

    /// <summary>The image's name (PCUNICODE_STRING ImageFileName).</summary>
    public required string ImageFileName { get; init; }

    public required string CommandLine { get; init; }

    /// <summary>ImageFileName is the exact name the file was opened by.</summary>
    public bool FileOpenNameAvailable { get; init; }

    /// <summary>STATUS_SUCCESS unless a routine refuses the process.</summary>
    public NTSTATUS CreationStatus { get; set; }
}
