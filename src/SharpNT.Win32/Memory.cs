using System.Runtime.CompilerServices;
using SharpNT.Kernel;
using SharpNT.Kernel.Ke;

namespace SharpNT.Win32;

/// <summary>
/// Pointer dereferences in a program: each load or store goes through the process's page tables with
/// user-mode rights, as the processor's would. A bad pointer raises a <see cref="SehException"/> with
/// EXCEPTION_ACCESS_VIOLATION, which ends the process unless the program handles it.
/// </summary>
public static class Memory
{
    public static void Read(ulong address, Span<byte> destination)
    {
        try
        {
            Ring3.Read(address, destination);
        }
        catch (NtException e)
        {
            throw Fault(e);
        }
    }

    public static void Write(ulong address, ReadOnlySpan<byte> source)
    {
        try
        {
            Ring3.Write(address, source);
        }
        catch (NtException e)
        {
            throw Fault(e);
        }
    }

    public static T Read<T>(ulong address)
        where T : unmanaged
    {
        try
        {
            return Ring3.Read<T>(address);
        }
        catch (NtException e)
        {
            throw Fault(e);
        }
    }

    public static void Write<T>(ulong address, T value)
        where T : unmanaged
    {
        try
        {
            Ring3.Write(address, value);
        }
        catch (NtException e)
        {
            throw Fault(e);
        }
    }

    /// <summary>Reads <paramref name="length"/> bytes into a new array.</summary>
    public static byte[] ReadBytes(ulong address, int length)
    {
        var bytes = new byte[length];
        Read(address, bytes);
        return bytes;
    }

    /// <summary>Fills a range with one byte value (memset).</summary>
    public static void Fill(ulong address, int length, byte value)
    {
        Span<byte> chunk = stackalloc byte[256];
        chunk.Fill(value);
        while (length > 0)
        {
            var n = Math.Min(length, chunk.Length);
            Write(address, chunk[..n]);
            address += (ulong)n;
            length -= n;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SehException Fault(NtException e) => new((uint)e.Status, e.FaultAddress, e.IsWrite);
}
