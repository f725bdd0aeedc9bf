using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// An object type's parse procedure (OB_PARSE_METHOD). Name lookup calls it when it reaches an object of
/// the type with name left over: for "\Device\Harddisk0\Partition1\dir\file.txt" the Device type's
/// procedure gets the partition's device object as <paramref name="ParseObject"/> and "\dir\file.txt" as
/// <paramref name="RemainingName"/> (leading backslash kept; empty when the name ends at the object).
/// <para>
/// It returns the object to open in <paramref name="Object"/>, referenced, with STATUS_SUCCESS; or an
/// error; or STATUS_REPARSE after replacing <paramref name="CompleteName"/> with a new name to look up
/// instead, from the root when it begins with a backslash (symbolic links and drive letters work so).
/// </para>
/// </summary>
/// <param name="ParseObject">The object lookup reached.</param>
/// <param name="ObjectType">The type the caller asked to open, or null for any type.</param>
/// <param name="AccessState">The access request.</param>
/// <param name="AccessMode">The mode access checks are made for.</param>
/// <param name="Attributes">The OBJ_* attributes of the open, OBJ_CASE_INSENSITIVE included when it applies.</param>
/// <param name="CompleteName">The whole name being looked up; set it to the new name to reparse.</param>
/// <param name="RemainingName">The part of the name after <paramref name="ParseObject"/>.</param>
/// <param name="Context">The parse context the opener gave (the I/O manager's open packet).</param>
/// <param name="SecurityQos">The security quality of service the opener gave.</param>
/// <param name="Object">The object found, referenced; null on failure or reparse.</param>
internal delegate NTSTATUS OB_PARSE_METHOD(object ParseObject, OBJECT_TYPE? ObjectType, ACCESS_STATE AccessState,
    KPROCESSOR_MODE AccessMode, uint Attributes, ref UNICODE_STRING CompleteName, ref UNICODE_STRING RemainingName,
    object? Context, object? SecurityQos, out object? Object);
