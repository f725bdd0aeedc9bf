using System.Diagnostics;
using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Se;

namespace SharpNT.Kernel.Ps;

/// <summary>
/// A process object (EPROCESS): the System process (id 4, the owner of every system thread and of the
/// kernel handle table) or a user process with its own address space, handle table, primary token and
/// threads. A process is a dispatcher object that becomes signaled when it ends; the System process never
/// does.
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

    /// <summary>The image name, as EPROCESS.ImageFileName holds it ("System", "hello.exe").</summary>
    internal string ImageFileName { get; }

    /// <summary>The process object's kernel address.</summary>
    internal ulong Address { get; }

    /// <summary>The process's handle table (EPROCESS.ObjectTable).</summary>
    internal HandleTable ObjectTable { get; }

    /// <summary>The user address space (EPROCESS.Pcb.DirectoryTableBase); null for the System process.</summary>
    internal Mm.AddressSpace? AddressSpace { get; init; }

    /// <summary>The primary token (EPROCESS.Token): whose rights the process's threads exercise.</summary>
    internal TOKEN? Token { get; init; }

    /// <summary>The creator's process id (InheritedFromUniqueProcessId).</summary>
    internal HANDLE InheritedFromUniqueProcessId { get; init; }

    /// <summary>The user address of the process environment block (EPROCESS.Peb).</summary>
    internal ulong Peb { get; set; }

    /// <summary>The exit status (STATUS_PENDING while the process runs, as GetExitCodeProcess's STILL_ACTIVE).</summary>
    internal NTSTATUS ExitStatus { get; set; } = NTSTATUS.STATUS_PENDING;

    /// <summary>The process's threads that have not ended (EPROCESS.ThreadListHead).</summary>
    internal List<KTHREAD> Threads { get; } = [];

    /// <summary>Set once the process is being torn down (PS_PROCESS_FLAGS_PROCESS_DELETE): no new threads.</summary>
    internal bool Exiting { get; set; }

    /// <summary>Where the routines of the process's image get their addresses (see <see cref="MapCode"/>).</summary>
    internal const ulong UserCodeBase = 0x00007FF6_00001000UL;

    private readonly Dictionary<ulong, Delegate> _codeByAddress = [];
    private readonly Dictionary<Delegate, ulong> _addressByCode = [];

    /// <summary>
    /// The address of a routine of the program's image, in the image's code range: a program is managed
    /// code, and this is what the loader's mapping gives each routine on NT (an address another thread can
    /// be started at). The same routine always has the same address.
    /// </summary>
    internal ulong MapCode(Delegate routine)
    {
        lock (_codeByAddress)
        {
            if (!_addressByCode.TryGetValue(routine, out var address))
            {
                address = UserCodeBase + ((ulong)_codeByAddress.Count * 0x10);
                _codeByAddress[address] = routine;
                _addressByCode[routine] = address;
            }

            return address;
        }
    }

    /// <summary>The routine at a code address of the image; null where there is none.</summary>
    internal Delegate? CodeAt(ulong address)
    {
        lock (_codeByAddress)
        {
            return _codeByAddress.GetValueOrDefault(address);
        }
    }

    /// <summary>True for a process that runs user-mode code (every process but System).</summary>
    internal bool IsUserProcess => AddressSpace is not null;

    public override string ToString() => $"{ImageFileName} ({UniqueProcessId.Value})";
}
