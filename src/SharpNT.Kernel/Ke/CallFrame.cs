using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// One frame of a thread's kernel call stack as the debugger shows it: code of some module, entered at a
/// routine's address. The kernel pushes a frame whenever it calls into driver code (a dispatch routine, a
/// DPC, a thread start routine), so a bug check can name the driver at fault.
/// </summary>
internal readonly record struct CallFrame(LoadedModule Module, ulong Address, string Routine)
{
    public override string ToString() => $"{Path.GetFileNameWithoutExtension(Module.Name)}!{Routine}";
}
