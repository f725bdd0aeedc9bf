using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

internal sealed partial class KernelCore
{
    /// <summary>
    /// Calls a routine a driver registered with the kernel (a notify routine, an object callback) in a frame of
    /// that driver, so that a bug check inside it names the driver. A routine of a driver that unloaded
    /// without unregistering is a call into freed code: DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS
    /// (0xCE) with the address, 8 (an instruction fetch), the address again, and 0.
    /// </summary>
    internal void CallRegisteredRoutine(LoadedModule module, ulong address, string name, Action call)
    {
        var thread = CurrentThread;
        thread.PushFrame(new CallFrame(module, address, name));
        try
        {
            if (module.Unloaded)
            {
                _machine.BugCheck.Raise(BugCheckCode.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, address, 8, address, 0);
            }

            call();
        }
        finally
        {
            thread.PopFrame();
        }
    }
}
