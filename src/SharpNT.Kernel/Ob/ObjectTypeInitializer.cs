using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// What ObCreateObjectType is told about a new object type (OBJECT_TYPE_INITIALIZER): its access rights,
/// its name rules, and the procedures the Object Manager calls for its objects.
/// </summary>
internal sealed record ObjectTypeInitializer
{
    public required GENERIC_MAPPING GenericMapping { get; init; }

    /// <summary>The rights a handle to an object of the type can hold; other requested bits are dropped.</summary>
    public required uint ValidAccessMask { get; init; }

    /// <summary>Names of objects of this type are looked up case-insensitively (with ObCaseInsensitive on).</summary>
    public bool CaseInsensitive { get; init; }

    /// <summary>OBJ_* attributes an object of this type cannot be created with (STATUS_INVALID_PARAMETER).</summary>
    public uint InvalidAttributes { get; init; }

    public OB_DELETE_METHOD? DeleteProcedure { get; init; }

    public OB_CLOSE_METHOD? CloseProcedure { get; init; }

    public OB_PARSE_METHOD? ParseProcedure { get; init; }

    /// <summary>
    /// For types whose body is not itself a dispatcher object: the object a wait on it waits on (the
    /// type's DefaultObject; a FILE_OBJECT's Event). Null when waits on the type are not possible.
    /// </summary>
    public Func<object, DispatcherObject?>? DefaultObject { get; init; }
}
