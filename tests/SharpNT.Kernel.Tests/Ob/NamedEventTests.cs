using SharpNT.Kernel.Ke;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

public sealed class NamedEventTests
{
    private static OBJECT_ATTRIBUTES Named(string name)
    {
        InitializeObjectAttributes(out var oa, name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, null, null);
        return oa;
    }

    [Fact]
    public void A_thread_opening_an_event_by_name_wakes_a_waiter_on_another_handle()
    {
        using var machine = Machine.Boot();
        var (waitStatus, setStatus, previous) = machine.Run(() =>
        {
            ZwCreateEvent(out var mine, EVENT_ALL_ACCESS, Named(@"\BaseNamedObjects\Go"), NotificationEvent, false);
            var setter = NTSTATUS.STATUS_PENDING;
            var previousState = -1;
            PsCreateSystemThread(out var thread, THREAD_ALL_ACCESS, null, null, out _, _ =>
            {
                ZwOpenEvent(out var theirs, EVENT_MODIFY_STATE, Named(@"\BaseNamedObjects\Go"));
                setter = ZwSetEvent(theirs, out previousState);
                ZwClose(theirs);
            }, null);
            var wait = ZwWaitForSingleObject(mine, false, null);
            ZwWaitForSingleObject(thread, false, null);
            ZwClose(thread);
            ZwClose(mine);
            return (wait, setter, previousState);
        });
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, waitStatus);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, setStatus);
        Assert.Equal(0, previous);
    }

    [Fact]
    public void Event_operations_check_the_handle_and_waits_time_out()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwCreateEvent(out var evt, EVENT_QUERY_STATE | SYNCHRONIZE, null, SynchronizationEvent, false);
            Assert.Equal(NTSTATUS.STATUS_TIMEOUT, ZwWaitForSingleObject(evt, false, new LARGE_INTEGER(-10_000)));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwSetEvent(evt, out var before));
            Assert.Equal(0, before);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwWaitForSingleObject(evt, false, new LARGE_INTEGER(0)));
            Assert.Equal(NTSTATUS.STATUS_TIMEOUT, ZwWaitForSingleObject(evt, false, new LARGE_INTEGER(0)));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwPulseEvent(evt, out _));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwClearEvent(evt));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwResetEvent(evt, out var after));
            Assert.Equal(0, after);

            ZwCreateDirectoryObject(out var dir, DIRECTORY_ALL_ACCESS, Named(@"\KernelObjects\NotWaitable"));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ZwSetEvent(dir, out _));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ZwWaitForSingleObject(dir, false, new LARGE_INTEGER(0)));
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, ZwSetEvent(new HANDLE(0xFFFFFFFF80000FF0), out _));
            ZwClose(dir);
            ZwClose(evt);
        });
    }

    [Fact]
    public void Zw_routines_above_APC_LEVEL_are_IRQL_NOT_LESS_OR_EQUAL()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            KeRaiseIrql(DISPATCH_LEVEL, out _);
            ZwCreateEvent(out _, EVENT_ALL_ACCESS, null, NotificationEvent, false);
        }));
        Assert.Equal(BugCheckCode.IRQL_NOT_LESS_OR_EQUAL, e.Code);
        Assert.Equal((ulong)DISPATCH_LEVEL, e.Info.Parameter2);
    }
}
