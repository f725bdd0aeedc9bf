using System.Diagnostics;

namespace SharpNT.Kernel;

/// <summary>A thread's identity (ntdef.h CLIENT_ID): the process id and the thread id, both HANDLE-sized.</summary>
[DebuggerDisplay("{UniqueProcess}.{UniqueThread}")]
public struct CLIENT_ID : IEquatable<CLIENT_ID>
{
    public HANDLE UniqueProcess;
    public HANDLE UniqueThread;

    public CLIENT_ID(HANDLE uniqueProcess, HANDLE uniqueThread)
    {
        UniqueProcess = uniqueProcess;
        UniqueThread = uniqueThread;
    }

    public readonly bool Equals(CLIENT_ID other) => UniqueProcess == other.UniqueProcess && UniqueThread == other.UniqueThread;

    public override readonly bool Equals(object? obj) => obj is CLIENT_ID other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(UniqueProcess, UniqueThread);

    public static bool operator ==(CLIENT_ID left, CLIENT_ID right) => left.Equals(right);

    public static bool operator !=(CLIENT_ID left, CLIENT_ID right) => !left.Equals(right);

    public override readonly string ToString() => $"{UniqueProcess}.{UniqueThread}";
}
