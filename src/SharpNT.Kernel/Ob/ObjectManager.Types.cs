using static SharpNT.Kernel.AccessMask;

namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    /// <summary>"Type": the type of object types.</summary>
    internal OBJECT_TYPE TypeType { get; private set; } = null!;

    internal OBJECT_TYPE DirectoryType { get; private set; } = null!;

    internal OBJECT_TYPE SymbolicLinkType { get; private set; } = null!;

    /// <summary>ExEventObjectType.</summary>
    internal OBJECT_TYPE EventType { get; private set; } = null!;

    /// <summary>ExSemaphoreObjectType.</summary>
    internal OBJECT_TYPE SemaphoreType { get; private set; } = null!;

    /// <summary>ExMutantObjectType.</summary>
    internal OBJECT_TYPE MutantType { get; private set; } = null!;

    /// <summary>ExTimerObjectType.</summary>
    internal OBJECT_TYPE TimerType { get; private set; } = null!;

    /// <summary>PsThreadType.</summary>
    internal OBJECT_TYPE ThreadType { get; private set; } = null!;

    /// <summary>PsProcessType.</summary>
    internal OBJECT_TYPE ProcessType { get; private set; } = null!;

    /// <summary>SeTokenObjectType.</summary>
    internal OBJECT_TYPE TokenType { get; private set; } = null!;

    /// <summary>IoDeviceObjectType: the I/O manager installs its parse procedure.</summary>
    internal OBJECT_TYPE DeviceType { get; private set; } = null!;

    /// <summary>IoDriverObjectType.</summary>
    internal OBJECT_TYPE DriverType { get; private set; } = null!;

    /// <summary>IoFileObjectType: the I/O manager installs its close, delete and parse procedures.</summary>
    internal OBJECT_TYPE FileType { get; private set; } = null!;

    /// <summary>CmKeyObjectType: the configuration manager installs its parse procedure.</summary>
    internal OBJECT_TYPE KeyType { get; private set; } = null!;

    /// <summary>MmSectionObjectType.</summary>
    internal OBJECT_TYPE SectionType { get; private set; } = null!;

    /// <summary>Finds a type by name (case-insensitively, as \ObjectTypes is looked up).</summary>
    internal OBJECT_TYPE? FindType(string name)
    {
        lock (_lock)
        {
            return _types.Find(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// The types NT creates at boot, with the generic mappings and valid access masks their owners give
    /// them (ObInitSystem, ExpInitializeEventImplementation and friends, PspInitPhase0, IopCreateObjectTypes,
    /// CmpCreateObjectTypes, MiSectionInitialization, SepTokenInitialization).
    /// </summary>
    private void CreateStandardTypes()
    {
        var synchronizeExecute = STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE;

        // The Type type is its own type, so it is made by hand.
        TypeType = new OBJECT_TYPE("Type", 0, AllocateAddress(), new ObjectTypeInitializer
        {
            GenericMapping = new(STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE, STANDARD_RIGHTS_EXECUTE, OBJECT_TYPE_ALL_ACCESS),
            ValidAccessMask = OBJECT_TYPE_ALL_ACCESS,
            CaseInsensitive = true,
        });
        _types.Add(TypeType);
        RegisterObject(TypeType, TypeType, pointerCount: 0);

        DirectoryType = NewType("Directory", new ObjectTypeInitializer
        {
            GenericMapping = new(
                STANDARD_RIGHTS_READ | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                STANDARD_RIGHTS_WRITE | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
                STANDARD_RIGHTS_EXECUTE | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                DIRECTORY_ALL_ACCESS),
            ValidAccessMask = DIRECTORY_ALL_ACCESS,
            CaseInsensitive = true,
        });

        SymbolicLinkType = NewType("SymbolicLink", new ObjectTypeInitializer
        {
            GenericMapping = new(
                STANDARD_RIGHTS_READ | SYMBOLIC_LINK_QUERY,
                STANDARD_RIGHTS_WRITE,
                STANDARD_RIGHTS_EXECUTE | SYMBOLIC_LINK_QUERY,
                SYMBOLIC_LINK_ALL_ACCESS),
            ValidAccessMask = SYMBOLIC_LINK_ALL_ACCESS,
            CaseInsensitive = true,
            ParseProcedure = ParseSymbolicLink,
        });

        // Named events, semaphores, mutants and timers are case-sensitive unless the opener asks
        // otherwise (their types do not set CaseInsensitive, so Win32 names of them are case-sensitive).
        EventType = NewType("Event", new ObjectTypeInitializer
        {
            GenericMapping = new(STANDARD_RIGHTS_READ | EVENT_QUERY_STATE, STANDARD_RIGHTS_WRITE | EVENT_MODIFY_STATE,
                synchronizeExecute, EVENT_ALL_ACCESS),
            ValidAccessMask = EVENT_ALL_ACCESS,
        });

        SemaphoreType = NewType("Semaphore", new ObjectTypeInitializer
        {
            GenericMapping = new(STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE, STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE,
                synchronizeExecute, SEMAPHORE_ALL_ACCESS),
            ValidAccessMask = SEMAPHORE_ALL_ACCESS,
        });

        MutantType = NewType("Mutant", new ObjectTypeInitializer
        {
            GenericMapping = new(STANDARD_RIGHTS_READ | MUTANT_QUERY_STATE, STANDARD_RIGHTS_WRITE, synchronizeExecute,
                MUTANT_ALL_ACCESS),
            ValidAccessMask = MUTANT_ALL_ACCESS,
        });

        TimerType = NewType("Timer", new ObjectTypeInitializer
        {
            GenericMapping = new(STANDARD_RIGHTS_READ | TIMER_QUERY_STATE, STANDARD_RIGHTS_WRITE | TIMER_MODIFY_STATE,
                synchronizeExecute, TIMER_ALL_ACCESS),
            ValidAccessMask = TIMER_ALL_ACCESS,
        });

        // PsCreateSystemThread: "OBJ_PERMANENT, OBJ_EXCLUSIVE, and OBJ_OPENIF are not valid attributes for a
        // thread object".
        ThreadType = NewType("Thread", new ObjectTypeInitializer
        {
            GenericMapping = new(
                STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
                STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME | THREAD_ALERT | THREAD_SET_INFORMATION
                    | THREAD_SET_CONTEXT,
                synchronizeExecute,
                THREAD_ALL_ACCESS),
            ValidAccessMask = THREAD_ALL_ACCESS,
            InvalidAttributes = OBJECT_ATTRIBUTES.OBJ_PERMANENT | OBJECT_ATTRIBUTES.OBJ_EXCLUSIVE | OBJECT_ATTRIBUTES.OBJ_OPENIF,
        });

        ProcessType = NewType("Process", new ObjectTypeInitializer
        {
            GenericMapping = new(
                STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
                STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION
                    | PROCESS_VM_WRITE | PROCESS_DUP_HANDLE | PROCESS_TERMINATE | PROCESS_SET_QUOTA
                    | PROCESS_SET_INFORMATION | PROCESS_SUSPEND_RESUME,
                synchronizeExecute,
                PROCESS_ALL_ACCESS),
            ValidAccessMask = PROCESS_ALL_ACCESS,
            InvalidAttributes = OBJECT_ATTRIBUTES.OBJ_PERMANENT | OBJECT_ATTRIBUTES.OBJ_EXCLUSIVE | OBJECT_ATTRIBUTES.OBJ_OPENIF,
        });

        TokenType = NewType("Token", new ObjectTypeInitializer
        {
            GenericMapping = new(TOKEN_READ, TOKEN_WRITE, TOKEN_EXECUTE, TOKEN_ALL_ACCESS),
            ValidAccessMask = TOKEN_ALL_ACCESS,
        });

        // Devices, drivers and files share the file generic mapping (IopFileMapping).
        var fileMapping = new GENERIC_MAPPING(FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS);
        DeviceType = NewType("Device", new ObjectTypeInitializer
        {
            GenericMapping = fileMapping,
            ValidAccessMask = FILE_ALL_ACCESS,
            CaseInsensitive = true,
        });

        DriverType = NewType("Driver", new ObjectTypeInitializer
        {
            GenericMapping = fileMapping,
            ValidAccessMask = FILE_ALL_ACCESS,
            CaseInsensitive = true,
        });

        FileType = NewType("File", new ObjectTypeInitializer
        {
            GenericMapping = fileMapping,
            ValidAccessMask = FILE_ALL_ACCESS,
            CaseInsensitive = true,
        });

        KeyType = NewType("Key", new ObjectTypeInitializer
        {
            GenericMapping = new(KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS),
            ValidAccessMask = KEY_ALL_ACCESS,
            CaseInsensitive = true,
        });

        SectionType = NewType("Section", new ObjectTypeInitializer
        {
            GenericMapping = new(
                STANDARD_RIGHTS_READ | SECTION_QUERY | SECTION_MAP_READ,
                STANDARD_RIGHTS_WRITE | SECTION_MAP_WRITE,
                STANDARD_RIGHTS_EXECUTE | SECTION_MAP_EXECUTE,
                SECTION_ALL_ACCESS),
            ValidAccessMask = SECTION_ALL_ACCESS,
        });
    }

    private OBJECT_TYPE NewType(string name, ObjectTypeInitializer initializer)
    {
        OBJECT_TYPE type;
        lock (_lock)
        {
            type = new OBJECT_TYPE(name, _types.Count, AllocateAddress(), initializer);
            _types.Add(type);
        }

        RegisterObject(TypeType, type, pointerCount: 0);
        return type;
    }
}
