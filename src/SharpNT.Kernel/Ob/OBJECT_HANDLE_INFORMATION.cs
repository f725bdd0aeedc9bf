namespace SharpNT.Kernel.Ob;

/// <summary>
/// What ObReferenceObjectByHandle reports about the handle it used (wdm.h OBJECT_HANDLE_INFORMATION):
/// the handle's attributes (OBJ_INHERIT, OBJ_PROTECT_CLOSE, OBJ_AUDIT_OBJECT_CLOSE) and granted access.
/// </summary>
public readonly record struct OBJECT_HANDLE_INFORMATION(uint HandleAttributes, uint GrantedAccess);
