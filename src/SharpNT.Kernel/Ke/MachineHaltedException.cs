namespace SharpNT.Kernel.Ke;

/// <summary>
/// Unwinds a simulated thread when its machine stops (bug check, shutdown or hang). It is how the host
/// learns a machine stopped; driver code is not meant to catch it, and the kernel rethrows it at the next
/// kernel entry if it does.
/// </summary>
public class MachineHaltedException : Exception
{
    public MachineHaltedException(string message)
        : base(message)
    {
    }

    public MachineHaltedException()
        : base("The machine has halted.")
    {
    }

    public MachineHaltedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
