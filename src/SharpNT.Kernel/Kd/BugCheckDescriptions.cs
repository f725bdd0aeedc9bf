using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Kd;

/// <summary>
/// What each stop code means and what its four parameters are, as the bug check reference documents
/// them: the text !analyze -v prints beside the numbers.
/// </summary>
internal static class BugCheckDescriptions
{
    internal sealed record Description(string Summary, string[] Parameters);

    private static readonly Dictionary<BugCheckCode, Description> s_descriptions = new()
    {
        [BugCheckCode.IRQL_NOT_LESS_OR_EQUAL] = new(
            "An attempt was made to access a pageable (or completely invalid) address at an interrupt request level (IRQL) that is too high.",
            ["memory referenced", "IRQL", "bitfield: bit 0 = 0 read, 1 write; bit 3 = 1 execute", "address which referenced memory"]),
        [BugCheckCode.DRIVER_IRQL_NOT_LESS_OR_EQUAL] = new(
            "A kernel-mode driver attempted to access pageable memory at a process IRQL that was too high.",
            ["memory referenced", "IRQL", "value 0 = read operation, 1 = write operation", "address which referenced memory"]),
        [BugCheckCode.IRQL_NOT_GREATER_OR_EQUAL] = new(
            "The IRQL was lower than the routine requires.",
            ["current IRQL", "requested (or required) IRQL", "reserved", "reserved"]),
        [BugCheckCode.PAGE_FAULT_IN_NONPAGED_AREA] = new(
            "Invalid system memory was referenced.",
            ["memory referenced", "value 0 = read operation, 2 = write operation, 10 = execute", "address which referenced memory (if known)", "type of page fault"]),
        [BugCheckCode.KMODE_EXCEPTION_NOT_HANDLED] = new(
            "A kernel-mode program generated an exception which the error handler did not catch.",
            ["the exception code that was not handled", "the address at which the exception occurred", "parameter 0 of the exception", "parameter 1 of the exception"]),
        [BugCheckCode.SYSTEM_THREAD_EXCEPTION_NOT_HANDLED] = new(
            "A system thread generated an exception which the error handler did not catch.",
            ["the exception code that was not handled", "the address where the exception occurred", "exception record address", "context record address"]),
        [BugCheckCode.SYSTEM_SERVICE_EXCEPTION] = new(
            "An exception happened while executing a system service routine.",
            ["exception code", "address of the instruction which caused the exception", "address of the context record", "zero"]),
        [BugCheckCode.NO_MORE_IRP_STACK_LOCATIONS] = new(
            "A higher-level driver called IoCallDriver with no stack location left in the IRP.",
            ["address of the IRP", "reserved", "reserved", "reserved"]),
        [BugCheckCode.MULTIPLE_IRP_COMPLETE_REQUESTS] = new(
            "A driver tried to complete an IRP that was already completed.",
            ["address of the IRP", "reserved", "reserved", "reserved"]),
        [BugCheckCode.CANCEL_STATE_IN_COMPLETED_IRP] = new(
            "An IRP was completed while its cancel routine was still set.",
            ["address of the IRP", "the cancel routine", "reserved", "reserved"]),
        [BugCheckCode.SPIN_LOCK_ALREADY_OWNED] = new(
            "A request was made to acquire a spin lock that the processor already owns.",
            ["the spin lock", "reserved", "reserved", "reserved"]),
        [BugCheckCode.KERNEL_SECURITY_CHECK_FAILURE] = new(
            "The kernel has detected the corruption of a critical data structure.",
            ["the type of corruption (3: a LIST_ENTRY)", "the trap frame", "the exception record", "reserved"]),
        [BugCheckCode.RESOURCE_NOT_OWNED] = new(
            "A thread tried to release a resource it did not own.",
            ["the resource", "the thread", "the owner table, if one was found", "reserved"]),
        [BugCheckCode.SPIN_LOCK_NOT_OWNED] = new(
            "A request was made to release a spin lock that is not owned.",
            ["the spin lock", "reserved", "reserved", "reserved"]),
        [BugCheckCode.ATTEMPTED_SWITCH_FROM_DPC] = new(
            "A wait operation, attach process, or yield was attempted from a DPC routine.",
            ["the original thread causing the failure", "the new thread", "the stack address of the original thread", "reserved"]),
        [BugCheckCode.BAD_POOL_CALLER] = new(
            "The current thread is making a bad pool request.",
            ["type of violation (subcode)", "depends on the subcode", "depends on the subcode", "depends on the subcode"]),
        [BugCheckCode.BAD_POOL_HEADER] = new(
            "A pool header is corrupt.",
            ["type of corruption (subcode)", "depends on the subcode", "depends on the subcode", "depends on the subcode"]),
        [BugCheckCode.REFERENCE_BY_POINTER] = new(
            "The reference count of an object is illegal for its current state.",
            ["object type", "object whose reference count is being lowered", "reserved", "reserved"]),
        [BugCheckCode.INVALID_KERNEL_HANDLE] = new(
            "Kernel code closed or referenced an invalid or protected handle.",
            ["the handle", "0: protected handle closed; 1: invalid handle", "reserved", "reserved"]),
        [BugCheckCode.THREAD_NOT_MUTEX_OWNER] = new(
            "A thread tried to release a mutex it does not own.",
            ["the mutex", "the owning thread", "the current thread", "reserved"]),
        [BugCheckCode.IRQL_UNEXPECTED_VALUE] = new(
            "The processor's IRQL is not what it should be at this time.",
            ["(current IRQL << 16) | (expected IRQL << 8) | unique value", "depends on the unique value", "depends on the unique value", "depends on the unique value"]),
        [BugCheckCode.WORKER_THREAD_RETURNED_AT_BAD_IRQL] = new(
            "A worker thread's routine returned at an IRQL other than PASSIVE_LEVEL.",
            ["address of the worker routine", "IRQL the worker thread returned at", "work item parameter", "work item address"]),
        [BugCheckCode.SPECIAL_POOL_DETECTED_MEMORY_CORRUPTION] = new(
            "A driver wrote to an invalid section of the special pool.",
            ["address the driver tried to free (0x30/0x31: current IRQL)", "depends on parameter 4: reserved, bytes requested, or the address where bits are corrupted", "depends on parameter 4: 0, bytes calculated, or reserved", "type of violation: 0x20 not allocated, 0x21/0x22 bad address, 0x23 corrupted before, 0x24 corrupted after the allocation"]),
        [BugCheckCode.DRIVER_VERIFIER_DETECTED_VIOLATION] = new(
            "Driver Verifier found a fatal error in a driver.",
            ["type of violation (subcode)", "depends on the subcode", "depends on the subcode", "depends on the subcode"]),
        [BugCheckCode.DRIVER_VERIFIER_IOMANAGER_VIOLATION] = new(
            "Driver Verifier's I/O verification found a violation.",
            ["type of violation (subcode; 0x200 and above: WDM driver error code)", "depends on the subcode (WDM driver errors: address in the driver where the error was found)", "depends on the subcode (WDM driver errors: the IRP)", "depends on the subcode (WDM driver errors: the device object)"]),
        [BugCheckCode.PAGE_FAULT_IN_FREED_SPECIAL_POOL] = new(
            "The system referenced memory which was earlier freed.",
            ["memory address referenced", "0: read, 1: write", "address that referenced memory (if known)", "reserved"]),
        [BugCheckCode.PAGE_FAULT_BEYOND_END_OF_ALLOCATION] = new(
            "The system accessed memory beyond the end of a pool allocation.",
            ["memory address referenced", "0: read, 1: write", "address that referenced memory (if known)", "reserved"]),
        [BugCheckCode.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL] = new(
            "A driver referenced memory which was earlier freed.",
            ["memory address referenced", "0: read, 1: write", "address that referenced memory (if known)", "reserved"]),
        [BugCheckCode.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION] = new(
            "A driver accessed memory beyond the end of its pool allocation.",
            ["memory address referenced", "0: read, 1: write", "address that referenced memory (if known)", "reserved"]),
        [BugCheckCode.MANUALLY_INITIATED_CRASH] = new(
            "The user deliberately initiated a crash dump.",
            ["reserved", "reserved", "reserved", "reserved"]),
    };

    internal static Description For(uint code) =>
        s_descriptions.TryGetValue((BugCheckCode)code, out var d)
            ? d
            : new Description("See the bug check code reference for this stop code.", ["parameter 1", "parameter 2", "parameter 3", "parameter 4"]);
}
