namespace SharpNT.Kernel.Ob;

/// <summary>
/// A typed view of an object that lives in kernel memory (a DEVICE_OBJECT, FILE_OBJECT, DRIVER_OBJECT):
/// its header address is the object's own address, and every boxed copy of the view stands for the same
/// object, found through <see cref="ObjectManager.Canonicalize"/>.
/// </summary>
internal interface IKernelObjectView
{
    ulong Address { get; }
}
