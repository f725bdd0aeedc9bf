using System.Diagnostics;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// An object type (OBJECT_TYPE): itself an object of type "Type", named in \ObjectTypes. Drivers see the
/// exported POBJECT_TYPE globals (ExEventObjectType, IoFileObjectType, PsThreadType, ...) and pass them
/// to ObReferenceObjectByHandle; the kernel component that owns a type installs its procedures (the I/O
/// manager hooks the Device and File types' parse, close and delete procedures).
/// </summary>
[DebuggerDisplay("OBJECT_TYPE {Name} objects {TotalNumberOfObjects} handles {TotalNumberOfHandles}")]
public sealed class OBJECT_TYPE
{
    internal OBJECT_TYPE(string name, int index, ulong address, ObjectTypeInitializer initializer)
    {
        Name = name;
        Index = index;
        Address = address;
        GenericMapping = initializer.GenericMapping;
        ValidAccessMask = initializer.ValidAccessMask;
        CaseInsensitive = initializer.CaseInsensitive;
        InvalidAttributes = initializer.InvalidAttributes;
        DeleteProcedure = initializer.DeleteProcedure;
        CloseProcedure = initializer.CloseProcedure;
        ParseProcedure = initializer.ParseProcedure;
        DefaultObject = initializer.DefaultObject;
    }

    /// <summary>The type's name: "Event", "File", "Device", ...</summary>
    public string Name { get; }

    /// <summary>The type's index in the type table (OBJECT_HEADER.TypeIndex).</summary>
    internal int Index { get; }

    /// <summary>The type object's kernel address, as the debugger and bug check parameters show it.</summary>
    internal ulong Address { get; }

    internal GENERIC_MAPPING GenericMapping { get; }

    internal uint ValidAccessMask { get; }

    internal bool CaseInsensitive { get; }

    internal uint InvalidAttributes { get; }

    internal OB_DELETE_METHOD? DeleteProcedure { get; set; }

    internal OB_CLOSE_METHOD? CloseProcedure { get; set; }

    internal OB_PARSE_METHOD? ParseProcedure { get; set; }

    internal Func<object, DispatcherObject?>? DefaultObject { get; set; }

    /// <summary>Live objects of the type; guarded by the Object Manager's lock.</summary>
    internal HashSet<ObjectHeader> Objects { get; } = [];

    /// <summary>Objects of the type that exist now.</summary>
    internal long TotalNumberOfObjects { get; set; }

    /// <summary>Handles to objects of the type that are open now.</summary>
    internal long TotalNumberOfHandles { get; set; }

    internal long HighWaterNumberOfObjects { get; set; }

    internal long HighWaterNumberOfHandles { get; set; }

    /// <summary>
    /// The access a handle is granted for <paramref name="desiredAccess"/>: generic rights mapped, then
    /// limited to the type's valid rights (and ACCESS_SYSTEM_SECURITY); MAXIMUM_ALLOWED grants every
    /// valid right, as no security descriptor restricts it yet.
    /// </summary>
    internal uint GrantedAccessFor(uint desiredAccess)
    {
        if ((desiredAccess & AccessMask.MAXIMUM_ALLOWED) != 0)
        {
            desiredAccess = (desiredAccess & ~AccessMask.MAXIMUM_ALLOWED) | ValidAccessMask;
        }

        return GenericMapping.Map(desiredAccess) & (ValidAccessMask | AccessMask.ACCESS_SYSTEM_SECURITY);
    }

    public override string ToString() => Name;
}
