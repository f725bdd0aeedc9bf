using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>KBUGCHECK_CALLBACK_ROUTINE: runs at HIGH_LEVEL during a bug check and fills the driver's buffer for the dump.</summary>
public delegate void KBUGCHECK_CALLBACK_ROUTINE(ulong Buffer, uint Length);

/// <summary>KBUGCHECK_BUFFER_DUMP_STATE: how far a callback got with its buffer.</summary>
public enum KBUGCHECK_BUFFER_DUMP_STATE
{
    BufferEmpty,
    BufferInserted,
    BufferStarted,
    BufferFinished,
    BufferIncomplete,
}

/// <summary>
/// A bug check callback record (KeRegisterBugCheckCallback): the routine, the driver's buffer in nonpaged
/// memory that the crash dump carries, and the component name `!bugdump` finds it by.
/// </summary>
public sealed class KBUGCHECK_CALLBACK_RECORD
{
    internal KBUGCHECK_CALLBACK_ROUTINE? CallbackRoutine { get; set; }

    internal ulong Buffer { get; set; }

    internal uint Length { get; set; }

    internal string Component { get; set; } = "";

    internal LoadedModule? Module { get; set; }

    internal ulong RoutineAddress { get; set; }

    internal string RoutineName { get; set; } = "";

    public KBUGCHECK_BUFFER_DUMP_STATE State { get; internal set; }
}

/// <summary>What one bug check callback left in its buffer, as the crash dump records it.</summary>
public sealed record BugCheckCallbackData(string Component, ulong Buffer, KBUGCHECK_BUFFER_DUMP_STATE State, byte[] Data);
