namespace SharpNT.Kernel.Ob;

/// <summary>
/// What ObCreateObject captures from OBJECT_ATTRIBUTES for ObInsertObject (OBJECT_CREATE_INFORMATION):
/// the name to insert, the directory it is relative to, and the attributes.
/// </summary>
internal sealed record ObjectCreateInformation(string? Name, HANDLE RootDirectory, uint Attributes, object? SecurityQos);
