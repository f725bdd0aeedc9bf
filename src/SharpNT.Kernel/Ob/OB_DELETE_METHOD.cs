namespace SharpNT.Kernel.Ob;

/// <summary>
/// An object type's delete procedure (OB_DELETE_METHOD): called once, at PASSIVE_LEVEL or APC_LEVEL, when
/// the object's last reference goes, before the object's memory is freed.
/// </summary>
internal delegate void OB_DELETE_METHOD(object Object);
