using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

public sealed class ObjectNamespaceTests
{
    private static OBJECT_ATTRIBUTES Named(string name, uint attributes = OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, HANDLE? root = null)
    {
        RtlInitUnicodeString(out var objectName, name);
        InitializeObjectAttributes(out var oa, objectName, attributes, root, null);
        return oa;
    }

    [Theory]
    [InlineData(@"\Device")]
    [InlineData(@"\Driver")]
    [InlineData(@"\FileSystem")]
    [InlineData(@"\ObjectTypes")]
    [InlineData(@"\GLOBAL??")]
    [InlineData(@"\KernelObjects")]
    [InlineData(@"\BaseNamedObjects")]
    [InlineData(@"\Callback")]
    [InlineData(@"\")]
    [InlineData(@"\??")]
    public void Boot_creates_the_NT_directories(string path)
    {
        using var machine = Machine.Boot();
        var status = machine.Run(() =>
        {
            var s = ZwOpenDirectoryObject(out var h, DIRECTORY_QUERY, Named(path));
            if (s.IsSuccess())
            {
                ZwClose(h);
            }

            return s;
        });
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
    }

    [Fact]
    public void ObjectTypes_directory_holds_the_types_as_Type_objects()
    {
        using var machine = Machine.Boot();
        var ob = machine.Ob;
        var entries = ob.QueryDirectory(ob.ObjectTypesDirectory);
        Assert.Contains(entries, e => e.Name == "Event" && e.TypeName == "Type" && e.Object == ob.EventType);
        Assert.Contains(entries, e => e.Name == "File" && e.TypeName == "Type");
        Assert.Contains(entries, e => e.Name == "Type" && e.Object == ob.TypeType);
        Assert.Equal(@"\ObjectTypes\Thread", ob.QueryName(ob.ThreadType));
    }

    [Fact]
    public void A_created_directory_is_found_by_name_and_holds_objects()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateDirectoryObject(out var dir, DIRECTORY_ALL_ACCESS, Named(@"\Device\Sub")));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var evt, EVENT_ALL_ACCESS, Named(@"\Device\Sub\Ready"),
                NotificationEvent, false));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenEvent(out var again, EVENT_ALL_ACCESS, Named(@"\Device\Sub\Ready")));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObReferenceObjectByHandle(evt, 0, ExEventObjectType, KernelMode, out var a, out _));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObReferenceObjectByHandle(again, 0, ExEventObjectType, KernelMode, out var b, out _));
            Assert.Same(a, b);
            Assert.Equal(@"\Device\Sub\Ready", machine.Ob.QueryName(a!));
            ObDereferenceObject(a!);
            ObDereferenceObject(b!);
            ZwClose(again);
            ZwClose(evt);
            ZwClose(dir);
        });
    }

    [Fact]
    public void Directory_lookups_ignore_case_and_named_events_do_not_unless_asked()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenDirectoryObject(out var d, DIRECTORY_QUERY, Named(@"\dEvIcE", OBJ_KERNEL_HANDLE)));
            ZwClose(d);

            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var evt, EVENT_ALL_ACCESS,
                Named(@"\BaseNamedObjects\MixedCase", OBJ_KERNEL_HANDLE), SynchronizationEvent, false));

            // The Event type is case-sensitive: without OBJ_CASE_INSENSITIVE only the exact name matches.
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND,
                ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\BaseNamedObjects\mixedcase", OBJ_KERNEL_HANDLE)));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ZwOpenEvent(out var exact, EVENT_ALL_ACCESS, Named(@"\BaseNamedObjects\MixedCase", OBJ_KERNEL_HANDLE)));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS,
                ZwOpenEvent(out var folded, EVENT_ALL_ACCESS, Named(@"\basenamedobjects\MIXEDCASE", OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE)));

            // Case-sensitive creation can make a second name differing only in case.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var other, EVENT_ALL_ACCESS,
                Named(@"\BaseNamedObjects\mixedcase", OBJ_KERNEL_HANDLE), SynchronizationEvent, false));
            foreach (var h in new[] { evt, exact, folded, other })
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void Lookup_failures_return_the_statuses_NT_returns()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenDirectoryObject(out _, DIRECTORY_QUERY, Named(@"\Device\Nope")));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, ZwOpenDirectoryObject(out _, DIRECTORY_QUERY, Named(@"\Nope\Device")));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, ZwOpenDirectoryObject(out _, DIRECTORY_QUERY, Named(@"\Device\")));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, ZwOpenDirectoryObject(out _, DIRECTORY_QUERY, Named(@"\\Device")));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD, ZwOpenDirectoryObject(out _, DIRECTORY_QUERY, Named(@"Device")));

            // An event where a directory is asked for, and a path through an event.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var evt, EVENT_ALL_ACCESS, Named(@"\KernelObjects\E1"),
                NotificationEvent, false));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ZwOpenDirectoryObject(out _, DIRECTORY_QUERY, Named(@"\KernelObjects\E1")));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\KernelObjects\E1\x")));

            // A bad OBJECT_ATTRIBUTES.
            var bad = Named(@"\KernelObjects\E1");
            bad.Length = 0;
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, ZwOpenEvent(out _, EVENT_ALL_ACCESS, bad));
            var badFlags = Named(@"\KernelObjects\E1", 0x8000);
            Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, ZwOpenEvent(out _, EVENT_ALL_ACCESS, badFlags));
            var odd = Named(@"\KernelObjects\E1");
            odd.ObjectName = new UNICODE_STRING { Buffer = @"\KernelObjects\E1", Length = 5, MaximumLength = 40 };
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, ZwOpenEvent(out _, EVENT_ALL_ACCESS, odd));
            ZwClose(evt);
        });
    }

    [Fact]
    public void Creating_an_existing_name_collides_and_OBJ_OPENIF_opens_it()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var first, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Twice"),
                NotificationEvent, false));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, ZwCreateEvent(out var none, EVENT_ALL_ACCESS,
                Named(@"\KernelObjects\Twice"), NotificationEvent, false));
            Assert.True(none.IsNull);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_EXISTS, ZwCreateEvent(out var second, EVENT_ALL_ACCESS,
                Named(@"\KernelObjects\Twice", OBJ_OPENIF | OBJ_KERNEL_HANDLE), NotificationEvent, false));
            ObReferenceObjectByHandle(first, 0, null, KernelMode, out var a, out _);
            ObReferenceObjectByHandle(second, 0, null, KernelMode, out var b, out _);
            Assert.Same(a, b);
            ObDereferenceObject(a!);
            ObDereferenceObject(b!);

            // OBJ_OPENIF on an object of another type: a type mismatch.
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ZwCreateDirectoryObject(out _, DIRECTORY_ALL_ACCESS,
                Named(@"\KernelObjects\Twice", OBJ_OPENIF | OBJ_KERNEL_HANDLE)));
            ZwClose(first);
            ZwClose(second);

            // The collision deleted the losing event: only one Event object of that name ever lived on.
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Twice")));
        });
    }

    [Fact]
    public void A_name_relative_to_a_directory_handle_is_looked_up_there()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwOpenDirectoryObject(out var dir, DIRECTORY_ALL_ACCESS, Named(@"\KernelObjects"));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var evt, EVENT_ALL_ACCESS,
                Named("Relative", OBJ_KERNEL_HANDLE, dir), NotificationEvent, false));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenEvent(out var byPath, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Relative")));

            // Relative to a directory, a name cannot start with a backslash.
            Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_SYNTAX_BAD,
                ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\Relative", OBJ_KERNEL_HANDLE, dir)));
            ZwClose(byPath);
            ZwClose(evt);
            ZwClose(dir);
        });
    }

    [Fact]
    public void A_temporary_name_goes_with_the_last_handle_and_a_permanent_one_stays()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwCreateEvent(out var temp, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Temp"), NotificationEvent, false);
            ZwClose(temp);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Temp")));

            ZwCreateEvent(out var perm, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Perm", OBJ_PERMANENT | OBJ_KERNEL_HANDLE),
                NotificationEvent, false);
            ZwClose(perm);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenEvent(out var reopened, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Perm")));

            // Made temporary while a handle is open: the name goes when that handle closes.
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwMakeTemporaryObject(reopened));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenEvent(out var still, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Perm")));
            ZwClose(still);
            ZwClose(reopened);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Perm")));
        });
    }

    [Fact]
    public void A_named_object_referenced_by_pointer_outlives_its_name()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwCreateEvent(out var h, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Kept"), NotificationEvent, false);
            ObReferenceObjectByHandle(h, 0, ExEventObjectType, KernelMode, out var evt, out _);
            ZwClose(h);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Kept")));
            var header = machine.Ob.TryGetHeader(evt!)!;
            Assert.False(header.Deleted);
            Assert.Null(machine.Ob.QueryName(evt!));
            Assert.Equal(0, KeSetEvent((KEVENT)evt!, 0, false));
            ObDereferenceObject(evt!);
            Assert.True(header.Deleted);
        });
    }

    [Fact]
    public void ObReferenceObjectByName_finds_objects_without_a_handle()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            ZwCreateEvent(out var h, EVENT_ALL_ACCESS, Named(@"\KernelObjects\ByName"), NotificationEvent, false);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ObReferenceObjectByName(@"\KernelObjects\ByName", OBJ_CASE_INSENSITIVE, null, 0,
                ExEventObjectType, KernelMode, null, out var evt));
            Assert.IsType<KEVENT>(evt);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, ObReferenceObjectByName(@"\KernelObjects\ByName", OBJ_CASE_INSENSITIVE,
                null, 0, IoDriverObjectType, KernelMode, null, out _));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_INVALID, ObReferenceObjectByName(default, 0, null, 0, null, KernelMode, null, out _));
            ObDereferenceObject(evt!);
            ZwClose(h);
        });
    }

    [Fact]
    public void DescribeObject_shows_type_counts_and_name()
    {
        using var machine = Machine.Boot();
        var text = machine.Run(() =>
        {
            ZwCreateEvent(out var h, EVENT_ALL_ACCESS, Named(@"\KernelObjects\Shown"), NotificationEvent, false);
            ObReferenceObjectByHandle(h, 0, null, KernelMode, out var evt, out _);
            var s = machine.Ob.DescribeObject(evt!);
            ObDereferenceObject(evt!);
            ZwClose(h);
            return s;
        });
        Assert.Contains("Type: (", text, StringComparison.Ordinal);
        Assert.Contains(") Event", text, StringComparison.Ordinal);
        Assert.Contains("HandleCount: 1  PointerCount: 3", text, StringComparison.Ordinal);
        Assert.Contains("Name: Shown", text, StringComparison.Ordinal);
    }
}
