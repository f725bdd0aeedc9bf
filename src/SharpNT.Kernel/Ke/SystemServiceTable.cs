using SharpNT.Kernel.Ex;

namespace SharpNT.Kernel.Ke;

/// <summary>
/// KiServiceTable: for each <see cref="SystemService"/> number, the routine and its argument count. Each
/// entry unpacks the argument words as the x64 calling convention passes them (a BOOLEAN or ULONG in the
/// low bits of its word) and calls the service of the subsystem that owns it.
/// </summary>
internal static class SystemServiceTable
{
    internal static SystemServiceEntry[] Build(Machine machine)
    {
        var io = machine.Io;
        var ob = machine.Ob;
        var mm = machine.Mm;
        var table = new SystemServiceEntry[Enum.GetValues<SystemService>().Length];
        void Add(SystemService service, int arguments, SystemServiceRoutine routine)
        {
            var name = service.ToString();
            table[(int)service] = new SystemServiceEntry(name, arguments, routine, machine.Modules.Kernel.RoutineAddress(name));
        }

        Add(SystemService.NtClose, 1, a => ob.NtClose(H(a[0])));
        Add(SystemService.NtCreateFile, 11, a => io.NtCreateFile(a[0], U(a[1]), a[2], a[3], a[4], U(a[5]), U(a[6]), U(a[7]), U(a[8]), a[9], U(a[10])));
        Add(SystemService.NtOpenFile, 6, a => io.NtOpenFile(a[0], U(a[1]), a[2], a[3], U(a[4]), U(a[5])));
        Add(SystemService.NtReadFile, 9, a => io.NtReadFile(H(a[0]), H(a[1]), a[2], a[3], a[4], a[5], U(a[6]), a[7], a[8]));
        Add(SystemService.NtWriteFile, 9, a => io.NtWriteFile(H(a[0]), H(a[1]), a[2], a[3], a[4], a[5], U(a[6]), a[7], a[8]));
        Add(SystemService.NtDeviceIoControlFile, 10,
            a => io.NtDeviceIoControlFile(H(a[0]), H(a[1]), a[2], a[3], a[4], U(a[5]), a[6], U(a[7]), a[8], U(a[9])));
        Add(SystemService.NtQueryInformationFile, 5, a => io.NtQueryInformationFile(H(a[0]), a[1], a[2], U(a[3]), (int)U(a[4])));
        Add(SystemService.NtSetInformationFile, 5, a => io.NtSetInformationFile(H(a[0]), a[1], a[2], U(a[3]), (int)U(a[4])));
        Add(SystemService.NtQueryDirectoryFile, 11,
            a => io.NtQueryDirectoryFile(H(a[0]), H(a[1]), a[2], a[3], a[4], a[5], U(a[6]), (int)U(a[7]), B(a[8]), a[9], B(a[10])));
        Add(SystemService.NtCancelIoFile, 2, a => io.NtCancelIoFile(H(a[0]), a[1]));
        Add(SystemService.NtLockFile, 10, a => io.NtLockFile(H(a[0]), H(a[1]), a[2], a[3], a[4], a[5], a[6], U(a[7]), B(a[8]), B(a[9])));
        Add(SystemService.NtUnlockFile, 5, a => io.NtUnlockFile(H(a[0]), a[1], a[2], a[3], U(a[4])));
        Add(SystemService.NtCreateEvent, 5, a => ob.NtCreateEvent(a[0], U(a[1]), a[2], (EVENT_TYPE)U(a[3]), B(a[4])));
        Add(SystemService.NtSetEvent, 2, a => ob.NtEventOperation(H(a[0]), a[1], static (ke, evt) => ke.SetEvent(evt)));
        Add(SystemService.NtResetEvent, 2, a => ob.NtEventOperation(H(a[0]), a[1], static (ke, evt) => ke.ResetEvent(evt)));
        Add(SystemService.NtWaitForSingleObject, 3, a => ob.NtWaitForSingleObject(H(a[0]), B(a[1]), a[2]));
        Add(SystemService.NtTerminateProcess, 2,
            a => machine.Ps.TerminateProcess(H(a[0]), (NTSTATUS)U(a[1]), machine.Ke.CurrentThread.PreviousMode));
        Add(SystemService.NtAllocateVirtualMemory, 6, a => mm.NtAllocateVirtualMemory(H(a[0]), a[1], a[2], a[3], U(a[4]), U(a[5])));
        Add(SystemService.NtFreeVirtualMemory, 4, a => mm.NtFreeVirtualMemory(H(a[0]), a[1], a[2], U(a[3])));
        Add(SystemService.NtQueryVolumeInformationFile, 5, a => io.NtQueryVolumeInformationFile(H(a[0]), a[1], a[2], U(a[3]), (int)U(a[4])));
        Add(SystemService.NtFlushBuffersFile, 2, a => io.NtFlushBuffersFile(H(a[0]), a[1]));
        Add(SystemService.NtDelayExecution, 2, a => NtDelayExecution(machine, B(a[0]), a[1]));
        Add(SystemService.NtPlugPlayControl, 3, a => machine.Pnp.NtPlugPlayControl(U(a[0]), a[1], U(a[2])));
        Add(SystemService.NtGetPlugPlayEvent, 4, a => machine.Pnp.NtGetPlugPlayEvent(a[0], a[1], a[2], U(a[3])));
        Add(SystemService.NtCreateThreadEx, 11, a => machine.Ps.NtCreateThreadEx(a[0], U(a[1]), a[2], H(a[3]), a[4], a[5], U(a[6]), a[10]));
        Add(SystemService.NtTerminateThread, 2, a => machine.Ps.NtTerminateThread(H(a[0]), (NTSTATUS)U(a[1])));
        Add(SystemService.NtOpenProcess, 4, a => machine.Ps.NtOpenProcess(a[0], U(a[1]), a[2], a[3]));
        Add(SystemService.NtQueryInformationThread, 5, a => machine.Ps.NtQueryInformationThread(H(a[0]), U(a[1]), a[2], U(a[3]), a[4]));
        Add(SystemService.NtQueueApcThread, 5, a => machine.Ps.NtQueueApcThread(H(a[0]), a[1], a[2], a[3], a[4]));
        Add(SystemService.NtTestAlert, 0, _ => machine.Ps.NtTestAlert());
        Add(SystemService.NtAlertThread, 1, a => machine.Ps.NtAlertThread(H(a[0])));
        Add(SystemService.NtSuspendThread, 2, a => machine.Ps.NtSuspendThread(H(a[0]), a[1]));
        Add(SystemService.NtResumeThread, 2, a => machine.Ps.NtResumeThread(H(a[0]), a[1]));
        Add(SystemService.NtWaitForMultipleObjects, 5, a => ob.NtWaitForMultipleObjects(U(a[0]), a[1], (WAIT_TYPE)U(a[2]), B(a[3]), a[4]));
        if (Array.IndexOf(table, null) is var missing and >= 0)
        {
            // Every number the user-mode stubs can issue has its routine: a gap is a kernel build error.
            throw new InvalidOperationException($"system service {(SystemService)missing} has no routine in the table");
        }

        return table;
    }

    /// <summary>NtDelayExecution: waits for the interval (a LARGE_INTEGER, captured) in UserMode.</summary>
    private static NTSTATUS NtDelayExecution(Machine machine, bool alertable, ulong delayInterval)
    {
        var mode = machine.Ke.CurrentThread.PreviousMode;
        long interval;
        try
        {
            Probe.ForRead(delayInterval, 8, 4, mode);
            interval = machine.Mm.Read<long>(delayInterval, mode);
        }
        catch (NtException e)
        {
            return e.Status;
        }

        return machine.Ke.Delay(mode, alertable, interval);
    }

    private static HANDLE H(ulong word) => new(word);

    private static uint U(ulong word) => (uint)word;

    private static bool B(ulong word) => (byte)word != 0;
}
