using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Ob;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Ob;

public sealed class ParseProcedureTests
{
    private sealed record ParseCall(object ParseObject, string? ObjectType, string CompleteName, string RemainingName,
        uint Attributes, object? Context, uint DesiredAccess);

    private sealed class FakeDevice
    {
        public List<ParseCall> Calls { get; } = [];
    }

    /// <summary>What the fake parse procedure opens: one per parse, as the I/O manager makes a FILE_OBJECT.</summary>
    private sealed class FakeFile(string path)
    {
        public string Path { get; } = path;
    }

    private static OBJECT_ATTRIBUTES Named(string name)
    {
        InitializeObjectAttributes(out var oa, name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, null, null);
        return oa;
    }

    /// <summary>
    /// A device type whose parse procedure opens a FakeFile (an object of the File type, like IopParseDevice),
    /// reparses names under "\redirect" to \Device\Other, and fails names under "\missing".
    /// </summary>
    private static (OBJECT_TYPE Type, FakeDevice Device) Setup(Machine machine)
    {
        var ob = machine.Ob;
        OB_PARSE_METHOD parse = (object parseObject, OBJECT_TYPE? objectType, ACCESS_STATE accessState, KPROCESSOR_MODE accessMode,
            uint attributes, ref UNICODE_STRING completeName, ref UNICODE_STRING remainingName, object? context,
            object? securityQos, out object? obj) =>
        {
            obj = null;
            var device = (FakeDevice)parseObject;
            device.Calls.Add(new ParseCall(parseObject, objectType?.Name, completeName.ToString(), remainingName.ToString(),
                attributes, context, accessState.OriginalDesiredAccess));
            var rest = remainingName.ToString();
            if (rest.StartsWith(@"\redirect", StringComparison.Ordinal))
            {
                completeName = new UNICODE_STRING(@"\Device\Other" + rest[@"\redirect".Length..]);
                return NTSTATUS.STATUS_REPARSE;
            }

            if (rest.StartsWith(@"\missing", StringComparison.Ordinal))
            {
                return NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND;
            }

            var file = new FakeFile(rest);
            var status = ob.CreateObject(ob.FileType, file, null);
            obj = file;
            return status;
        };
        ob.CreateObjectType("FakeDevice", new ObjectTypeInitializer
        {
            GenericMapping = ob.FileType.GenericMapping,
            ValidAccessMask = FILE_ALL_ACCESS,
            CaseInsensitive = true,
            ParseProcedure = parse,
        }, out var type);

        var fake = new FakeDevice();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ob.CreateObject(type!, fake, Named(@"\Device\Fake")));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ob.InsertObject(fake, KernelMode, out _));
        var other = new FakeDevice();
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ob.CreateNamedObject(type!, other, @"\Device\Other", OBJ_CASE_INSENSITIVE));
        Assert.Equal(NTSTATUS.STATUS_SUCCESS, ob.InsertObject(other, KernelMode, out _));
        return (type!, fake);
    }

    [Fact]
    public void A_lookup_that_reaches_a_device_hands_the_rest_of_the_name_to_its_parse_procedure()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var (_, device) = Setup(machine);
            var context = new object();
            var oa = Named(@"\Device\Fake\a\b");
            var status = machine.Ob.OpenObjectByName(oa, IoFileObjectType, KernelMode, null, GENERIC_READ, context, out var handle);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);

            var call = Assert.Single(device.Calls);
            Assert.Same(device, call.ParseObject);
            Assert.Equal(@"\a\b", call.RemainingName);
            Assert.Equal(@"\Device\Fake\a\b", call.CompleteName);
            Assert.Equal("File", call.ObjectType);
            Assert.Same(context, call.Context);
            Assert.Equal(FILE_GENERIC_READ, call.DesiredAccess);
            Assert.NotEqual(0U, call.Attributes & OBJ_CASE_INSENSITIVE);

            ObReferenceObjectByHandle(handle, FILE_READ_DATA, IoFileObjectType, KernelMode, out var file, out var info);
            Assert.Equal(@"\a\b", ((FakeFile)file!).Path);
            Assert.Equal(FILE_GENERIC_READ, info.GrantedAccess);
            ObDereferenceObject(file!);
            ZwClose(handle);
            Assert.True(machine.Ob.TryGetHeader(file!)!.Deleted);
        });
    }

    [Fact]
    public void Through_a_drive_letter_the_parse_procedure_sees_the_path_under_the_device()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var (_, device) = Setup(machine);
            IoCreateSymbolicLink(@"\??\F:", @"\Device\Fake");
            var status = machine.Ob.OpenObjectByName(Named(@"\??\F:\dir\file.txt"), IoFileObjectType, KernelMode, null,
                FILE_READ_DATA, null, out var handle);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
            var call = Assert.Single(device.Calls);
            Assert.Equal(@"\dir\file.txt", call.RemainingName);
            Assert.Equal(@"\Device\Fake\dir\file.txt", call.CompleteName);
            ZwClose(handle);

            // The device itself, with nothing after it: the parse procedure gets an empty remaining name.
            machine.Ob.OpenObjectByName(Named(@"\??\F:"), IoFileObjectType, KernelMode, null, FILE_READ_DATA, null, out var whole);
            Assert.Equal(string.Empty, device.Calls[1].RemainingName);
            ZwClose(whole);
        });
    }

    [Fact]
    public void A_parse_procedure_can_reparse_to_another_name()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var (_, device) = Setup(machine);
            var status = machine.Ob.OpenObjectByName(Named(@"\Device\Fake\redirect\x"), IoFileObjectType, KernelMode, null,
                FILE_READ_DATA, null, out var handle);
            Assert.Equal(NTSTATUS.STATUS_SUCCESS, status);
            Assert.Single(device.Calls);
            ObReferenceObjectByHandle(handle, 0, IoFileObjectType, KernelMode, out var file, out _);
            Assert.Equal(@"\x", ((FakeFile)file!).Path);
            ObDereferenceObject(file!);
            ZwClose(handle);
        });
    }

    [Fact]
    public void A_parse_procedure_failure_is_the_open_status()
    {
        using var machine = Machine.Boot();
        var status = machine.Run(() =>
        {
            Setup(machine);
            return machine.Ob.OpenObjectByName(Named(@"\Device\Fake\missing"), IoFileObjectType, KernelMode, null, FILE_READ_DATA,
                null, out _);
        });
        Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_NOT_FOUND, status);
    }

    [Fact]
    public void Creating_a_name_under_a_device_does_not_parse()
    {
        using var machine = Machine.Boot();
        machine.Run(() =>
        {
            var (_, device) = Setup(machine);
            var status = ZwCreateEvent(out _, EVENT_ALL_ACCESS, Named(@"\Device\Fake\evt"), NotificationEvent, false);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH, status);
            Assert.Equal(NTSTATUS.STATUS_OBJECT_NAME_COLLISION,
                ZwCreateEvent(out _, EVENT_ALL_ACCESS, Named(@"\Device\Fake"), NotificationEvent, false));
            Assert.Empty(device.Calls);
        });
    }
}
