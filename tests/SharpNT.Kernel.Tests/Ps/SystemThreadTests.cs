using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ps;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ps;

public sealed class SystemThreadTests
{
    [Fact]
    public void A_driver_waits_for_its_thread_through_the_thread_object()
    {
        using var machine = Machine.Boot();
        var ran = false;
        KTHREAD? threadObject = null;
        var (create, reference, close, wait) = machine.Run(() =>
        {
            var c = PsCreateSystemThread(out var handle, THREAD_ALL_ACCESS, null, null, out _, _ => ran = true, null);
            var r = ObReferenceObjectByHandle(handle, SYNCHRONIZE, PsThreadType, KernelMode, out var thread, out _);
            var z = ZwClose(handle);
            threadObject = (KTHREAD)thread!;
            var w = KeWaitForSingleObject(threadObject, Executive, KernelMode, false, null);
            Assert.False(machine.Ob.TryGetHeader(threadObject)!.Deleted);
            ObDereferenceObject(thread!);
            return (c, r, z, w);
        });
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, create);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, reference);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, close);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, wait);
        Assert.True(ran);

        // The handle, the thread's own reference and the driver's reference are gone: so is the object.
        var header = machine.Ob.TryGetHeader(threadObject!)!;
        Assert.True(header.Deleted);
        Assert.Equal(0, header.PointerCount);
        Assert.Equal(0, header.HandleCount);
    }

    [Fact]
    public void The_thread_handle_is_a_kernel_handle_and_the_client_id_names_the_System_process()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            HANDLE seenId = default;
            HANDLE seenProcess = default;
            var system = false;
            PsCreateSystemThread(out var handle, THREAD_ALL_ACCESS, null, null, out var clientId, _ =>
            {
                seenId = PsGetCurrentThreadId();
                seenProcess = PsGetCurrentProcessId();
                system = PsIsSystemThread(PsGetCurrentThread());
            }, null);
            Assert.True(handle.IsKernelHandle);
            Assert.Equal(4UL, clientId.UniqueProcess.Value);
            ZwWaitForSingleObject(handle, false, null);
            Assert.Equal(clientId.UniqueThread, seenId);
            Assert.Equal(new HANDLE(4), seenProcess);
            Assert.True(system);
            ObReferenceObjectByHandle(handle, 0, PsThreadType, KernelMode, out var thread, out var info);
            Assert.Equal(THREAD_ALL_ACCESS, info.GrantedAccess);
            Assert.Equal(clientId.UniqueThread, PsGetThreadId((KTHREAD)thread!));
            Assert.Equal(new HANDLE(4), PsGetThreadProcessId((KTHREAD)thread!));
            ObDereferenceObject(thread!);
            ZwClose(handle);
            Assert.Same(machine.Ob.SystemProcess, PsGetCurrentProcess());
            Assert.Equal(new HANDLE(4), PsGetProcessId(PsInitialSystemProcess));
        });
    }

    [Fact]
    public void PsTerminateSystemThread_ends_the_thread_early_with_its_status()
    {
        using var machine = Machine.Boot();
        var reachedEnd = false;
        var (exit, runningStatus) = machine.Run(() =>
        {
            var go = new KEVENT();
            KeInitializeEvent(go, NotificationEvent, false);
            PsCreateSystemThread(out var handle, THREAD_ALL_ACCESS, null, null, out _, _ =>
            {
                KeWaitForSingleObject(go, Executive, KernelMode, false, null);
                PsTerminateSystemThread(NTSTATUS.STATUS_CANCELLED);
                reachedEnd = true;
            }, null);
            ObReferenceObjectByHandle(handle, SYNCHRONIZE, PsThreadType, KernelMode, out var thread, out _);
            var before = PsGetThreadExitStatus((KTHREAD)thread!);
            KeSetEvent(go, 0, false);
            ZwWaitForSingleObject(handle, false, null);
            var status = PsGetThreadExitStatus((KTHREAD)thread!);
            Assert.True(PsIsThreadTerminating((KTHREAD)thread!));
            ObDereferenceObject(thread!);
            ZwClose(handle);
            return (status, before);
        });
        Assert.Equal(NTSTATUS.STATUS_CANCELLED, exit);
        Assert.Equal(NTSTATUS.STATUS_PENDING, runningStatus);
        Assert.False(reachedEnd);
    }

    [Fact]
    public void A_thread_that_outlives_its_handle_deletes_its_object_when_it_ends()
    {
        using var machine = Machine.Boot();
        KTHREAD? thread = null;
        machine.Run(() =>
        {
            var go = new KEVENT();
            KeInitializeEvent(go, NotificationEvent, false);
            var done = new KEVENT();
            KeInitializeEvent(done, NotificationEvent, false);
            PsCreateSystemThread(out var handle, 0, null, null, out _, _ =>
            {
                KeWaitForSingleObject(go, Executive, KernelMode, false, null);
                KeSetEvent(done, 0, false);
            }, null);
            ObReferenceObjectByHandle(handle, 0, PsThreadType, KernelMode, out var t, out _);
            thread = (KTHREAD)t!;
            ObDereferenceObject(t!);
            ZwClose(handle);

            // Only the running thread's own reference is left.
            Assert.Equal(1, machine.Ob.TryGetHeader(thread)!.PointerCount);
            KeSetEvent(go, 0, false);
            KeWaitForSingleObject(done, Executive, KernelMode, false, null);
            for (var i = 0; i < 100 && !machine.Ob.TryGetHeader(thread)!.Deleted; i++)
            {
                KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            }
        });
        Assert.True(machine.Ob.TryGetHeader(thread!)!.Deleted);
    }

    [Fact]
    public void Invalid_arguments_are_refused()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            InitializeObjectAttributes(out var permanent, null, OBJ_PERMANENT, null, null);
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER,
                PsCreateSystemThread(out _, THREAD_ALL_ACCESS, permanent, null, out _, _ => { }, null));
            ZwCreateEvent(out var evt, EVENT_ALL_ACCESS, null, NotificationEvent, false);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH,
                PsCreateSystemThread(out _, THREAD_ALL_ACCESS, null, evt, out _, _ => { }, null));
            ZwClose(evt);

            // The thread of Machine.Run is not a PsCreateSystemThread thread.
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, PsTerminateSystemThread(NTSTATUS.STATUS_SUCCESS));

            // NtCurrentProcess() is the System process: allowed.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                PsCreateSystemThread(out var h, THREAD_ALL_ACCESS, null, NtCurrentProcess(), out _, _ => { }, null));
            ZwWaitForSingleObject(h, false, null);
            ZwClose(h);
        });
    }

    [Fact]
    public void PsCreateSystemThread_above_PASSIVE_LEVEL_is_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            KeRaiseIrql(APC_LEVEL, out _);
            PsCreateSystemThread(out _, THREAD_ALL_ACCESS, null, null, out _, _ => { }, null);
        }));
        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal((ulong)APC_LEVEL, e.Info.Parameter2);
    }

    [Fact]
    public void Threads_in_parallel_mode_get_handles_and_are_waited_for()
    {
        using var machine = Machine.Boot(MachineDescription.Default with { Scheduling = SchedulingMode.Parallel });
        var count = 0;
        machine.Run(() =>
        {
            var handles = new HANDLE[8];
            for (var i = 0; i < handles.Length; i++)
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                    PsCreateSystemThread(out handles[i], SYNCHRONIZE, null, null, out _, _ => Interlocked.Increment(ref count), null));
            }

            foreach (var h in handles)
            {
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwWaitForSingleObject(h, false, null));
                Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwClose(h));
            }
        });
        Assert.Equal(8, count);
        Assert.Equal(0, machine.Ob.KernelHandleTable.Count);
        Assert.IsType<EPROCESS>(machine.Ob.SystemProcess);
    }
}
