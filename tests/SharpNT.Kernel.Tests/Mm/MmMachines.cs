using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Tests.Mm;

/// <summary>Machines and helpers for the memory manager tests.</summary>
internal static class MmMachines
{
    public static Machine Boot(int memoryMiB = 16, int pagefileMiB = 16, ulong seed = 1, int processors = 1,
        SchedulingMode mode = SchedulingMode.Deterministic) =>
        Machine.Boot(new MachineDescription
        {
            Name = "mm-test",
            Processors = processors,
            MemoryMiB = memoryMiB,
            PagefileMiB = pagefileMiB,
            Seed = seed,
            Scheduling = mode,
        });

    /// <summary>Runs <paramref name="body"/> as code of the driver <paramref name="driver"/> (its frame pushed).</summary>
    public static T AsDriver<T>(Machine machine, string driver, string routine, Func<T> body)
    {
        var module = machine.Modules.Find(driver) ?? machine.Modules.Load(driver);
        var thread = KTHREAD.Current!;
        thread.PushFrame(new CallFrame(module, module.RoutineAddress(routine), routine));
        try
        {
            return body();
        }
        finally
        {
            thread.PopFrame();
        }
    }

    public static void AsDriver(Machine machine, string driver, string routine, Action body) =>
        AsDriver(machine, driver, routine, () =>
        {
            body();
            return 0;
        });

    /// <summary>The address of a driver routine, as a bug check's faulting-instruction parameter names it.</summary>
    public static ulong RoutineAddress(Machine machine, string driver, string routine) =>
        (machine.Modules.Find(driver) ?? machine.Modules.Load(driver)).RoutineAddress(routine);

    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        var x = (uint)seed * 2654435761u + 1;
        for (var i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            bytes[i] = (byte)x;
        }

        return bytes;
    }

    public static PoolHeader ReadHeader(MemoryManager mm, ulong p)
    {
        Span<byte> bytes = stackalloc byte[PoolHeader.Size];
        mm.Read(p - PoolHeader.Size, bytes);
        return PoolHeader.Read(bytes);
    }
}
