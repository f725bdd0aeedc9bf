using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

public sealed class SymbolicLinkTests
{
    private static OBJECT_ATTRIBUTES Named(string name, uint attributes = OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE)
    {
        InitializeObjectAttributes(out var oa, name, attributes, null, null);
        return oa;
    }

    /// <summary>\Device\Disk0 (a directory standing in for a device) with an event in it.</summary>
    private static HANDLE[] MakeTarget()
    {
        ZwCreateDirectoryObject(out var dir, DIRECTORY_ALL_ACCESS, Named(@"\Device\Disk0"));
        ZwCreateEvent(out var evt, EVENT_ALL_ACCESS, Named(@"\Device\Disk0\Media", OBJ_KERNEL_HANDLE), NotificationEvent, false);
        return [dir, evt];
    }

    private static object? OpenEvent(string name, out NTSTATUS status)
    {
        status = ZwOpenEvent(out var h, EVENT_ALL_ACCESS, Named(name, OBJ_KERNEL_HANDLE));
        if (!status.IsSuccess())
        {
            return null;
        }

        ObReferenceObjectByHandle(h, 0, ExEventObjectType, KernelMode, out var obj, out _);
        ZwClose(h);
        ObDereferenceObject(obj!);
        return obj;
    }

    [Fact]
    public void A_drive_letter_link_in_DosDevices_resolves_to_the_device()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var handles = MakeTarget();
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoCreateSymbolicLink(@"\??\X:", @"\Device\Disk0"));
            var viaLink = OpenEvent(@"\??\X:\Media", out var s1);
            var direct = OpenEvent(@"\Device\Disk0\Media", out var s2);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, s1);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, s2);
            Assert.Same(direct, viaLink);

            // The link lives in \GLOBAL??, and \DosDevices and \GLOBAL??\GLOBALROOT lead there too.
            Assert.Same(direct, OpenEvent(@"\GLOBAL??\X:\Media", out _));
            Assert.Same(direct, OpenEvent(@"\DosDevices\X:\Media", out _));

            // Events are looked up case-sensitively unless the opener says otherwise, in every component.
            Assert.Null(OpenEvent(@"\DosDevices\x:\Media", out var caseSensitive));
            Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, caseSensitive);
            Assert.Same(direct, OpenEvent(@"\??\GLOBALROOT\Device\Disk0\Media", out _));
            foreach (var h in handles)
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void Links_to_links_are_followed()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var handles = MakeTarget();
            IoCreateSymbolicLink(@"\??\Y:", @"\Device\Disk0");
            IoCreateSymbolicLink(@"\??\Z:", @"\??\Y:");
            IoCreateSymbolicLink(@"\??\Deep", @"\DosDevices\Z:");
            Assert.Same(OpenEvent(@"\Device\Disk0\Media", out _), OpenEvent(@"\??\Deep\Media", out var status));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
            foreach (var h in handles)
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void Reparsing_more_than_32_times_finds_nothing()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var handles = MakeTarget();

            // L0 -> \Device\Disk0, Ln -> L(n-1): opening through Ln reparses n + 1 times.
            IoCreateSymbolicLink(@"\??\L0", @"\Device\Disk0");
            for (var i = 1; i <= 32; i++)
            {
                IoCreateSymbolicLink($@"\??\L{i}", $@"\??\L{i - 1}");
            }

            OpenEvent(@"\??\L31\Media", out var within);
            OpenEvent(@"\??\L32\Media", out var beyond);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, within);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, beyond);

            // A link to itself loops until the limit.
            IoCreateSymbolicLink(@"\??\Loop", @"\??\Loop");
            OpenEvent(@"\??\Loop\Media", out var loop);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, loop);
            foreach (var h in handles)
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void Opening_a_link_as_a_link_does_not_follow_it_and_query_returns_the_target()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            IoCreateSymbolicLink(@"\??\Q:", @"\Device\Somewhere");
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenSymbolicLinkObject(out var link, SYMBOLIC_LINK_QUERY, Named(@"\??\q:")));

            RtlInitEmptyUnicodeString(out var small, 4);
            Assert.Equal(NTSTATUS.STATUS_BUFFER_TOO_SMALL, ZwQuerySymbolicLinkObject(link, ref small, out var needed));
            Assert.Equal((uint)((@"\Device\Somewhere".Length * 2) + 2), needed);

            RtlInitEmptyUnicodeString(out var target, 200);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwQuerySymbolicLinkObject(link, ref target, out var copied));
            Assert.Equal(@"\Device\Somewhere", target.ToString());
            Assert.Equal(needed, copied);
            ZwClose(link);

            // Following it leads to a name that does not exist.
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\??\Q:")));
        });
    }

    [Fact]
    public void IoDeleteSymbolicLink_removes_the_permanent_link()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var handles = MakeTarget();
            IoCreateSymbolicLink(@"\??\W:", @"\Device\Disk0");
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION, IoCreateSymbolicLink(@"\??\W:", @"\Device\Other"));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoDeleteSymbolicLink(@"\??\W:"));
            OpenEvent(@"\??\W:\Media", out var status);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_PATH_NOT_FOUND, status);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, IoDeleteSymbolicLink(@"\??\W:"));
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, IoCreateSymbolicLink(@"\??\W:", @"\Device\Other"));
            foreach (var h in handles)
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void OBJ_DONT_REPARSE_stops_at_a_link()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var handles = MakeTarget();
            IoCreateSymbolicLink(@"\??\V:", @"\Device\Disk0");
            Assert.Equal(NTSTATUS.STATUS_REPARSE_POINT_ENCOUNTERED,
                ZwOpenEvent(out _, EVENT_ALL_ACCESS, Named(@"\??\V:\Media", OBJ_KERNEL_HANDLE | OBJ_DONT_REPARSE)));
            foreach (var h in handles)
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void Objects_can_be_created_through_a_link()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var handles = MakeTarget();
            IoCreateSymbolicLink(@"\??\U:", @"\Device\Disk0");
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwCreateEvent(out var evt, EVENT_ALL_ACCESS,
                Named(@"\??\U:\Created", OBJ_KERNEL_HANDLE), NotificationEvent, false));
            ObReferenceObjectByHandle(evt, 0, null, KernelMode, out var obj, out _);
            Assert.Equal(@"\Device\Disk0\Created", machine.Ob.QueryName(obj!));
            ObDereferenceObject(obj!);
            ZwClose(evt);
            foreach (var h in handles)
            {
                ZwClose(h);
            }
        });
    }

    [Fact]
    public void A_link_target_with_odd_lengths_is_invalid()
    {
        using var machine = Machine.Boot();
        var status = machine.Run(() =>
        {
            var bad = new UNICODE_STRING { Buffer = @"\Device\X", Length = 3, MaximumLength = 20 };
            return ZwCreateSymbolicLinkObject(out _, SYMBOLIC_LINK_ALL_ACCESS, Named(@"\??\Odd"), bad);
        });
        Assert.Equal(NTSTATUS.STATUS_INVALID_PARAMETER, status);
    }

    [Fact]
    public void Links_are_created_case_insensitively_and_found_in_any_case()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            IoCreateSymbolicLink(@"\??\MyDevice", @"\Device\Target");
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, ZwOpenSymbolicLinkObject(out var h, SYMBOLIC_LINK_QUERY,
                Named(@"\??\MYDEVICE", OBJ_KERNEL_HANDLE)));
            ZwClose(h);
        });
        Assert.Contains(machine.Ob.QueryDirectory(machine.Ob.GlobalDosDevicesDirectory),
            e => e.Name == "MyDevice" && e.TypeName == "SymbolicLink");
    }
}
