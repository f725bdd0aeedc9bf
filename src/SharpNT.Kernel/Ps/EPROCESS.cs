using System.Diagnostics;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;

namespace SharpNT.Kernel.Ps;

/// <summary>
/// A process object (EPROCESS). For now only the System process exists (id 4, the owner of every system
/// thread and of the kernel handle table); user processes arrive with the process manager proper. A
/// process is a dispatcher object that becomes signaled when it ends; the System process never does.
/// </summary>
[DebuggerDisplay("EPROCESS {ImageFileName} {UniqueProcessId}")]
public sealed class EPROCESS : DispatcherObject
{
    /// <summary>The System process's id, as on every NT since Windows 2000.</summary>
    internal const ulong SystemProcessId = 4;

    internal EPROCESS(ulong uniqueProcessId, string imageFileName, ulong address, ulong handleTableAddress)
        : base(KObjectType.ProcessObject)
    {
        UniqueProcessId = new HANDLE(uniqueProcessId);
        ImageFileName = imageFileName;
        Address = address;
        ObjectTable = new HandleTable(this, handleTableAddress);
    }

    /// <summary>The process id (CLIENT_ID.UniqueProcess).</summary>
    internal HANDLE UniqueProcessId { get; }

    /// <summary>The image name, as EPROCESS.ImageFileName holds it ("System").</summary>
    internal string ImageFileName { get; }

    /// <summary>The process object's kernel address.</summary>
    internal ulong Address { get; }

    /// <summary>The process's handle table (EPROCESS.ObjectTable).</summary>
    internal HandleTable ObjectTable { get; }

    public override string ToString() => $"{ImageFileName} ({UniqueProcessId.Value})";
}
