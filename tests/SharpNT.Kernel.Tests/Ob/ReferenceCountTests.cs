using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

public sealed class ReferenceCountTests
{
    private sealed class Widget
    {
        public int Deletions;
        public byte DeletedAtIrql = 0xFF;
        public string? DeletedOnThread;
    }

    private static OBJECT_TYPE WidgetType(Machine machine, List<Widget>? deleted = null)
    {
        var status = machine.Ob.CreateObjectType("Widget", new ObjectTypeInitializer
        {
            GenericMapping = new GENERIC_MAPPING(0x1, 0x2, 0x4, 0xF),
            ValidAccessMask = 0xF | SYNCHRONIZE,
            DeleteProcedure = o =>
            {
                var w = (Widget)o;
                w.Deletions++;
                w.DeletedAtIrql = KeGetCurrentIrql();
                w.DeletedOnThread = KeGetCurrentThread().Name;
                deleted?.Add(w);
            },
        }, out var type);
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
        return type!;
    }

    private static Widget NewWidget(Machine machine, OBJECT_TYPE type)
    {
        var widget = new Widget();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.CreateObject(type, widget, null));
        return widget;
    }

    [Fact]
    public void Reference_and_dereference_count_and_the_last_reference_deletes_once()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var type = WidgetType(machine);
            var w = NewWidget(machine, type);
            var header = machine.Ob.TryGetHeader(w)!;
            Assert.Equal(1, header.PointerCount);
            ObReferenceObject(w);
            ObReferenceObject(w);
            Assert.Equal(3, header.PointerCount);
            ObDereferenceObject(w);
            ObDereferenceObject(w);
            Assert.Equal(0, w.Deletions);
            ObDereferenceObject(w);
            Assert.Equal(1, w.Deletions);
            Assert.Equal(PASSIVE_LEVEL, w.DeletedAtIrql);
            Assert.True(header.Deleted);
            Assert.Equal(0, type.TotalNumberOfObjects);
        });
    }

    [Fact]
    public void An_object_goes_when_both_its_last_handle_and_last_reference_go()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var type = WidgetType(machine);
            var w = NewWidget(machine, type);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.InsertObject(w, null, 0xF, KernelMode, 0, out var inserted, out var h1));
            Assert.Same(w, inserted);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObOpenObjectByPointer(w, OBJ_KERNEL_HANDLE, null, 0x1, type, KernelMode, out var h2));
            ObReferenceObject(w);
            var header = machine.Ob.TryGetHeader(w)!;
            Assert.Equal(2, header.HandleCount);
            Assert.Equal(3, header.PointerCount);
            Assert.Equal(2, type.TotalNumberOfHandles);

            ZwClose(h1);
            ZwClose(h2);
            Assert.Equal(0, w.Deletions);
            Assert.Equal(0, header.HandleCount);
            ObDereferenceObject(w);
            Assert.Equal(1, w.Deletions);
            Assert.Equal(0, type.TotalNumberOfHandles);
        });
    }

    [Fact]
    public void Dereferencing_below_zero_is_REFERENCE_BY_POINTER_with_the_type_and_the_object()
    {
        using var machine = Machine.Boot();
        ulong typeAddress = 0, objectAddress = 0;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var type = WidgetType(machine);
            var w = NewWidget(machine, type);
            typeAddress = type.Address;
            objectAddress = machine.Ob.AddressOf(w);
            ObDereferenceObject(w);
            ObDereferenceObject(w);
        }));
        Assert.Equal(BugCheckCode.REFERENCE_BY_POINTER, e.Code);
        Assert.Equal(typeAddress, e.Info.Parameter1);
        Assert.Equal(objectAddress, e.Info.Parameter2);
        Assert.Equal(0UL, e.Info.Parameter3);
        Assert.Equal(ulong.MaxValue, e.Info.Parameter4);
        Assert.NotEqual(0UL, typeAddress);
        Assert.True(machine.IsHalted);
    }

    [Fact]
    public void Dropping_the_handles_reference_while_the_handle_is_open_is_REFERENCE_BY_POINTER()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            ZwCreateEvent(out var h, EVENT_ALL_ACCESS, null, NotificationEvent, false);
            ObReferenceObjectByHandle(h, 0, ExEventObjectType, KernelMode, out var evt, out _);
            ObDereferenceObject(evt!);

            // One dereference too many: the pointer count reaches zero with the handle still open.
            ObDereferenceObject(evt!);
        }));
        Assert.Equal(BugCheckCode.REFERENCE_BY_POINTER, e.Code);
        Assert.Equal(machine.Ob.EventType.Address, e.Info.Parameter1);
        Assert.Equal(1UL, e.Info.Parameter3);
        Assert.Equal(0UL, e.Info.Parameter4);
    }

    [Fact]
    public void Referencing_a_deleted_object_is_REFERENCE_BY_POINTER()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var w = NewWidget(machine, WidgetType(machine));
            ObDereferenceObject(w);
            ObReferenceObject(w);
        }));
        Assert.Equal(BugCheckCode.REFERENCE_BY_POINTER, e.Code);
    }

    [Fact]
    public void Referencing_something_that_is_not_an_object_is_BAD_OBJECT_HEADER()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() => ObReferenceObject(new KEVENT())));
        Assert.Equal(BugCheckCode.BAD_OBJECT_HEADER, e.Code);
        Assert.Equal(0UL, e.Info.Parameter2);
        Assert.Equal(0UL, e.Info.Parameter3);
    }

    [Fact]
    public void A_dereference_to_zero_at_DISPATCH_LEVEL_deletes_later_at_PASSIVE_LEVEL()
    {
        using var machine = Machine.Boot();
        var w = machine.Run(() =>
        {
            var widget = NewWidget(machine, WidgetType(machine));
            KeRaiseIrql(DISPATCH_LEVEL, out var old);
            ObDereferenceObject(widget);
            Assert.Equal(0, widget.Deletions);
            KeLowerIrql(old);

            // The reaper runs once the scheduler gives it a processor.
            for (var i = 0; i < 100 && widget.Deletions == 0; i++)
            {
                KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            }

            return widget;
        });
        Assert.Equal(1, w.Deletions);
        Assert.Equal(PASSIVE_LEVEL, w.DeletedAtIrql);
        Assert.Contains("ObpProcessRemoveObjectQueue", w.DeletedOnThread, StringComparison.Ordinal);
        Assert.Equal(0, machine.Ob.PendingDeletions);
    }

    [Fact]
    public void ObDereferenceObjectDeferDelete_always_defers()
    {
        using var machine = Machine.Boot();
        var w = machine.Run(() =>
        {
            var widget = NewWidget(machine, WidgetType(machine));
            ObDereferenceObjectDeferDelete(widget);
            Assert.Equal(0, widget.Deletions);
            for (var i = 0; i < 100 && widget.Deletions == 0; i++)
            {
                KeDelayExecutionThread(KernelMode, false, new LARGE_INTEGER(-10_000));
            }

            return widget;
        });
        Assert.Equal(1, w.Deletions);
    }

    [Fact]
    public void ObReferenceObjectByPointer_checks_the_type_only_for_user_mode_and_symbolic_links()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwCreateEvent(out var h, EVENT_ALL_ACCESS, null, NotificationEvent, false);
            ObReferenceObjectByHandle(h, 0, null, KernelMode, out var evt, out _);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObReferenceObjectByPointer(evt!, 0, ExEventObjectType, UserMode));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ObReferenceObjectByPointer(evt!, 0, PsThreadType, UserMode));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObReferenceObjectByPointer(evt!, 0, PsThreadType, KernelMode));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH,
                ObReferenceObjectByPointer(evt!, 0, machine.Ob.SymbolicLinkType, KernelMode));
            Assert.Equal(4, machine.Ob.TryGetHeader(evt!)!.PointerCount);
            ObDereferenceObject(evt!);
            ObDereferenceObject(evt!);
            ObDereferenceObject(evt!);
            ZwClose(h);
        });
    }

    [Fact]
    public void The_initial_thread_becomes_a_thread_object_on_first_use()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var me = PsGetCurrentThread();
            ObReferenceObject(me);
            Assert.Same(PsThreadType, ObGetObjectType(me));
            Assert.Equal(2, machine.Ob.TryGetHeader(me)!.PointerCount);
            ObDereferenceObject(me);
            Assert.False(machine.Ob.TryGetHeader(me)!.Deleted);
        });
    }
}
