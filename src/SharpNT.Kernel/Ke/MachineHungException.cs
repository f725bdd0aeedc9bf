namespace SharpNT.Kernel.Ke;

/// <summary>
/// Thrown out of Machine.Run in deterministic mode when every thread waits with no timer left to fire:
/// nothing in the machine can ever happen again.
/// </summary>
public sealed class MachineHungException : MachineHaltedException
{
    public MachineHungException(string message)
        : base(message)
    {
    }

    public MachineHungException()
        : base("Every thread waits and no timer is pending: the machine can make no progress.")
    {
    }

    public MachineHungException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
