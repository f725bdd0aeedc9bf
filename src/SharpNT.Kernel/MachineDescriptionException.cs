using System.Globalization;
using SharpNT.Kernel.Ke;
using Tomlyn;
using Tomlyn.Model;

namespace SharpNT.Kernel;

/// <summary>A machine description file that could not be used; the message names the file, line and key.</summary>
public sealed class MachineDescriptionException : Exception
{
    public MachineDescriptionException(string message)
        : base(message)
    {
    }

    public MachineDescriptionException()
    {
    }

    public MachineDescriptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
