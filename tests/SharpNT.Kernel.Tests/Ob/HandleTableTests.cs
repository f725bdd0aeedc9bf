using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Ps;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

public sealed class HandleTableTests
{
    private static OBJECT_ATTRIBUTES Attributes(uint attributes)
    {
        InitializeObjectAttributes(out var oa, null, attributes, null, null);
        return oa;
    }

    private static HANDLE NewEvent(uint desiredAccess, uint attributes = OBJ_KERNEL_HANDLE)
    {
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var h, desiredAccess, Attributes(attributes), NotificationEvent, false));
        return h;
    }

    [Fact]
    public void Handles_are_multiples_of_4_from_4_and_kernel_handles_carry_the_kernel_bits()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var plain1 = NewEvent(EVENT_ALL_ACCESS, 0);
            var plain2 = NewEvent(EVENT_ALL_ACCESS, 0);
            var kernel = NewEvent(EVENT_ALL_ACCESS);
            Assert.Equal(4UL, plain1.Value);
            Assert.Equal(8UL, plain2.Value);
            Assert.Equal(0xFFFFFFFF8000000CUL, kernel.Value);
            Assert.True(kernel.IsKernelHandle);
            Assert.False(plain1.IsKernelHandle);
            Assert.Equal("0xffffffff8000000c", kernel.ToString());

            // The System process's table is the kernel handle table: one table, three entries.
            Assert.Equal(3, machine.Ob.KernelHandleTable.Count);
            Assert.All(machine.Ob.KernelHandleTable.Snapshot(), e => Assert.Equal(0UL, e.Handle % 4));

            // The low two bits are the caller's tag bits: a lookup ignores them.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ObReferenceObjectByHandle(new HANDLE(plain1.Value | 3), 0, ExEventObjectType, KernelMode, out var tagged, out _));
            ObDereferenceObject(tagged!);
            ZwClose(plain1);
            ZwClose(plain2);
            ZwClose(kernel);
            Assert.Equal(0, machine.Ob.KernelHandleTable.Count);
        });
    }

    [Fact]
    public void Freed_handle_values_are_reused_oldest_first()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var a = NewEvent(EVENT_ALL_ACCESS, 0);
            var b = NewEvent(EVENT_ALL_ACCESS, 0);
            ZwClose(a);
            ZwClose(b);
            var c = NewEvent(EVENT_ALL_ACCESS, 0);
            var d = NewEvent(EVENT_ALL_ACCESS, 0);
            Assert.Equal(a, c);
            Assert.Equal(b, d);
            ZwClose(c);
            ZwClose(d);
        });
    }

    [Fact]
    public void Granted_access_maps_generic_rights_and_drops_invalid_ones()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var read = NewEvent(GENERIC_READ);
            ObReferenceObjectByHandle(read, 0, null, KernelMode, out var o1, out var info1);
            Assert.Equal(STANDARD_RIGHTS_READ | EVENT_QUERY_STATE, info1.GrantedAccess);

            var all = NewEvent(GENERIC_ALL | 0x8000);
            ObReferenceObjectByHandle(all, 0, null, KernelMode, out var o2, out var info2);
            Assert.Equal(EVENT_ALL_ACCESS, info2.GrantedAccess);

            var max = NewEvent(MAXIMUM_ALLOWED);
            ObReferenceObjectByHandle(max, 0, null, KernelMode, out var o3, out var info3);
            Assert.Equal(EVENT_ALL_ACCESS, info3.GrantedAccess);

            var inherit = NewEvent(SYNCHRONIZE, OBJ_KERNEL_HANDLE | OBJ_INHERIT);
            ObReferenceObjectByHandle(inherit, 0, null, KernelMode, out var o4, out var info4);
            Assert.Equal(OBJ_INHERIT, info4.HandleAttributes);
            Assert.Equal(SYNCHRONIZE, info4.GrantedAccess);

            foreach (var o in new[] { o1, o2, o3, o4 })
            {
                ObDereferenceObject(o!);
            }

            foreach (var h in new[] { read, all, max, inherit })
            {
                ZwClose(h);
            }

            var file = new GENERIC_MAPPING(FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS);
            var mask = GENERIC_READ | GENERIC_WRITE;
            RtlMapGenericMask(ref mask, file);
            Assert.Equal(0x0012019FU, mask);
        });
    }

    [Fact]
    public void User_mode_is_held_to_the_granted_access_and_kernel_mode_is_not()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var kernelHandle = NewEvent(EVENT_ALL_ACCESS);
            ObReferenceObjectByHandle(kernelHandle, 0, null, KernelMode, out var evt, out _);

            // A user-mode handle (no kernel bits) granting only EVENT_QUERY_STATE.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObOpenObjectByPointer(evt!, 0, null, EVENT_QUERY_STATE, ExEventObjectType, UserMode,
                out var userHandle));
            Assert.False(userHandle.IsKernelHandle);

            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED,
                ObReferenceObjectByHandle(userHandle, EVENT_MODIFY_STATE, ExEventObjectType, UserMode, out var denied, out _));
            Assert.Null(denied);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ObReferenceObjectByHandle(userHandle, EVENT_QUERY_STATE, ExEventObjectType, UserMode, out var allowed, out _));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ObReferenceObjectByHandle(userHandle, EVENT_MODIFY_STATE, ExEventObjectType, KernelMode, out var kernelAllowed, out _));

            // Generic rights are not mapped at reference time: asking for them from user mode is denied.
            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED,
                ObReferenceObjectByHandle(userHandle, GENERIC_READ, ExEventObjectType, UserMode, out _, out _));

            // From user mode a kernel handle is no handle at all.
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE,
                ObReferenceObjectByHandle(kernelHandle, 0, ExEventObjectType, UserMode, out _, out _));

            ObDereferenceObject(allowed!);
            ObDereferenceObject(kernelAllowed!);
            ObDereferenceObject(evt!);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.CloseHandle(userHandle, UserMode));
            ZwClose(kernelHandle);
        });
    }

    [Fact]
    public void Wrong_type_and_invalid_handles_return_their_statuses()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var evt = NewEvent(EVENT_ALL_ACCESS);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH,
                ObReferenceObjectByHandle(evt, 0, PsThreadType, KernelMode, out var wrong, out _));
            Assert.Null(wrong);
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE,
                ObReferenceObjectByHandle(new HANDLE(0xFFFFFFFF80000400), 0, null, KernelMode, out _, out _));
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, ObReferenceObjectByHandle(HANDLE.NULL, 0, null, KernelMode, out _, out _));
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, machine.Ob.CloseHandle(new HANDLE(0x400), UserMode));
            Assert.Equal(1L, machine.Ob.TryGetHeader(machine.Ob.KernelHandleTable.Lookup(evt.Value & 0xFFFF)!.Object.Body)!.PointerCount);
            ZwClose(evt);
        });
    }

    [Fact]
    public void Closing_an_invalid_handle_from_kernel_mode_is_INVALID_KERNEL_HANDLE()
    {
        using var machine = Machine.Boot();
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var h = NewEvent(EVENT_ALL_ACCESS);
            ZwClose(h);
            ZwClose(h);
        }));
        Assert.Equal(BugCheckCode.INVALID_KERNEL_HANDLE, e.Code);
        Assert.Equal(0xFFFFFFFF80000004UL, e.Info.Parameter1);
        Assert.Equal(1UL, e.Info.Parameter2);
        Assert.Equal(0UL, e.Info.Parameter3);
        Assert.Equal(0UL, e.Info.Parameter4);
    }

    [Fact]
    public void Closing_a_protected_handle_from_kernel_mode_is_INVALID_KERNEL_HANDLE_0()
    {
        using var machine = Machine.Boot();
        HANDLE dup = default;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
        {
            var h = NewEvent(EVENT_ALL_ACCESS);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(), out dup, 0,
                OBJ_KERNEL_HANDLE | OBJ_PROTECT_CLOSE, DUPLICATE_SAME_ACCESS));
            ZwClose(h);
            ZwClose(dup);
        }));
        Assert.Equal(BugCheckCode.INVALID_KERNEL_HANDLE, e.Code);
        Assert.Equal(dup.Value, e.Info.Parameter1);
        Assert.Equal(0UL, e.Info.Parameter2);
        Assert.Equal(0UL, e.Info.Parameter3);
        Assert.Equal(0UL, e.Info.Parameter4);
    }

    [Fact]
    public void From_user_mode_bad_closes_return_statuses()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwCreateEvent(out var h, EVENT_ALL_ACCESS, null, NotificationEvent, false);
            ObReferenceObjectByHandle(h, 0, null, KernelMode, out var evt, out _);
            ObOpenObjectByPointer(evt!, 0, null, EVENT_ALL_ACCESS, null, UserMode, out var user);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.SetHandleAttributes(user, inherit: false, protectFromClose: true, UserMode));
            Assert.Equal(NTSTATUS.STATUS_HANDLE_NOT_CLOSABLE, machine.Ob.CloseHandle(user, UserMode));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.SetHandleAttributes(user, inherit: false, protectFromClose: false, UserMode));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, machine.Ob.CloseHandle(user, UserMode));
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, machine.Ob.CloseHandle(user, UserMode));
            ObDereferenceObject(evt!);
            ZwClose(h);
        });
    }

    [Fact]
    public void With_bad_handle_detection_referencing_an_invalid_kernel_handle_is_INVALID_KERNEL_HANDLE()
    {
        using var machine = Machine.Boot();
        machine.Ob.BadHandleDetection = true;
        var e = Assert.Throws<BugCheckException>(() => machine.Run(() =>
            ObReferenceObjectByHandle(new HANDLE(0xFFFFFFFF80000040), 0, null, KernelMode, out _, out _)));
        Assert.Equal(BugCheckCode.INVALID_KERNEL_HANDLE, e.Code);
        Assert.Equal(0xFFFFFFFF80000040UL, e.Info.Parameter1);
        Assert.Equal(machine.Ob.KernelHandleTable.Address, e.Info.Parameter2);
        Assert.Equal(0UL, e.Info.Parameter3);
        Assert.Equal(1UL, e.Info.Parameter4);
    }

    [Fact]
    public void The_close_procedure_sees_each_close_with_the_counts_before_it()
    {
        using var machine = Machine.Boot();
        var calls = new List<(ulong Process, ulong System, uint Access, string? ProcessName)>();
        machine.Run(() =>
        {
            machine.Ob.CreateObjectType("Closable", new ObjectTypeInitializer
            {
                GenericMapping = new GENERIC_MAPPING(1, 2, 4, 7),
                ValidAccessMask = 7,
                CloseProcedure = (process, _, access, processCount, systemCount) =>
                    calls.Add((processCount, systemCount, access, process?.ImageFileName)),
            }, out var type);
            var body = new object();
            machine.Ob.CreateObject(type!, body, null);
            machine.Ob.InsertObject(body, null, 7, KernelMode, 0, out _, out var h1);
            ObOpenObjectByPointer(body, OBJ_KERNEL_HANDLE, null, 1, type, KernelMode, out var h2);
            ZwClose(h1);
            ZwClose(h2);
        });
        Assert.Equal(new[] { (2UL, 2UL, 7U, (string?)"System"), (1UL, 1UL, 1U, (string?)"System") }, calls);
    }

    [Fact]
    public void Pseudo_handles_name_the_current_process_and_thread()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ObReferenceObjectByHandle(NtCurrentProcess(), PROCESS_ALL_ACCESS, PsProcessType, UserMode, out var process, out var pinfo));
            Assert.Same(PsInitialSystemProcess, process);
            Assert.Equal(PROCESS_ALL_ACCESS, pinfo.GrantedAccess);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ObReferenceObjectByHandle(NtCurrentThread(), SYNCHRONIZE, PsThreadType, KernelMode, out var thread, out _));
            Assert.Same(PsGetCurrentThread(), thread);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH,
                ObReferenceObjectByHandle(NtCurrentThread(), 0, PsProcessType, KernelMode, out _, out _));
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, ZwClose(NtCurrentProcess()));
            ObDereferenceObject(process!);
            ObDereferenceObject(thread!);
        });
    }

    [Fact]
    public void ZwDuplicateObject_copies_access_and_can_close_the_source()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var h = NewEvent(EVENT_QUERY_STATE | SYNCHRONIZE);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(), out var same, 0,
                OBJ_KERNEL_HANDLE, DUPLICATE_SAME_ACCESS));
            ObReferenceObjectByHandle(same, 0, null, KernelMode, out var a, out var info);
            Assert.Equal(EVENT_QUERY_STATE | SYNCHRONIZE, info.GrantedAccess);
            Assert.True(same.IsKernelHandle);

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwDuplicateObject(NtCurrentProcess(), h, NtCurrentProcess(), out var moved, GENERIC_ALL,
                OBJ_KERNEL_HANDLE, DUPLICATE_CLOSE_SOURCE));
            ObReferenceObjectByHandle(moved, 0, null, KernelMode, out var b, out var info2);
            Assert.Equal(EVENT_ALL_ACCESS, info2.GrantedAccess);
            Assert.Same(a, b);
            Assert.Equal(NTSTATUS.STATUS_INVALID_HANDLE, ObReferenceObjectByHandle(h, 0, null, KernelMode, out _, out _));
            Assert.Equal(2, machine.Ob.TryGetHeader(a!)!.HandleCount);
            ObDereferenceObject(a!);
            ObDereferenceObject(b!);
            ZwClose(same);
            ZwClose(moved);
        });
    }

    [Fact]
    public void Exclusive_objects_refuse_a_second_exclusive_open()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var h = NewEvent(EVENT_ALL_ACCESS);
            ObReferenceObjectByHandle(h, 0, null, KernelMode, out var evt, out _);
            Assert.Equal(NTSTATUS.STATUS_ACCESS_DENIED,
                ObOpenObjectByPointer(evt!, OBJ_KERNEL_HANDLE | OBJ_EXCLUSIVE, null, 0, null, KernelMode, out _));
            ObDereferenceObject(evt!);
            ZwClose(h);
            Assert.IsType<EPROCESS>(machine.Ob.KernelHandleTable.Owner);
        });
    }
}
