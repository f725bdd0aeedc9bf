using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Win32;

/// <summary>
/// \Device\Recorder (\\.\Recorder): records every request's major function; answers query and set
/// information, directory queries (echoing the search name and flags) and IOCTLs as the tests need.
/// </summary>
internal sealed class RecordingDriver : DriverImage
{
    public override string ImageName => "recorder.sys";

    public List<string> Majors { get; } = [];

    public string? LastSearchName { get; private set; }

    public byte LastFlags { get; private set; }

    public int LastInformationClass { get; private set; }

    public byte[] LastSetBuffer { get; private set; } = [];

    /// <summary>When set, IOCTLs return with the IRQL raised to DISPATCH_LEVEL (the 0x4A bug).</summary>
    public bool LeaveIrqlRaised { get; set; }

    /// <summary>When set, IOCTLs enter a critical region and never leave it (the 0x1 bug).</summary>
    public bool StayInCriticalRegion { get; set; }

    /// <summary>When set, IOCTLs dereference null (the 0x3B bug).</summary>
    public bool ThrowInDispatch { get; set; }

    public override NTSTATUS DriverEntry(DRIVER_OBJECT DriverObject, UNICODE_STRING RegistryPath)
    {
        var status = IoCreateDevice(DriverObject, 0, new UNICODE_STRING(@"\Device\Recorder"), 0x22, 0, false, out var device);
        if (!status.IsSuccess())
        {
            return status;
        }

        IoCreateSymbolicLink(new UNICODE_STRING(@"\DosDevices\Recorder"), new UNICODE_STRING(@"\Device\Recorder"));
        for (var major = 0; major < DRIVER_OBJECT.MajorFunctionTable.Count; major++)
        {
            DriverObject.MajorFunction[major] = Dispatch;
        }

        device.Flags |= DO_FLAGS.DO_BUFFERED_IO;
        device.Flags &= ~DO_FLAGS.DO_DEVICE_INITIALIZING;
        return STATUS_SUCCESS;
    }

    private NTSTATUS Dispatch(DEVICE_OBJECT DeviceObject, IRP Irp)
    {
        var irpSp = IoGetCurrentIrpStackLocation(Irp);
        lock (Majors)
        {
            Majors.Add(IRP_MJ.Name(irpSp.MajorFunction));
        }

        NTSTATUS status = STATUS_SUCCESS;
        ulong information = 0;
        switch (irpSp.MajorFunction)
        {
            case IRP_MJ.IRP_MJ_QUERY_INFORMATION:
                // FileStandardInformation: AllocationSize 4096, EndOfFile 1234, NumberOfLinks 1.
                LastInformationClass = irpSp.Parameters.QueryFile.FileInformationClass;
                WriteMemory(Irp.AssociatedIrp.SystemBuffer, 4096L);
                WriteMemory(Irp.AssociatedIrp.SystemBuffer + 8, 1234L);
                WriteMemory(Irp.AssociatedIrp.SystemBuffer + 16, 1u);
                information = 24;
                break;
            case IRP_MJ.IRP_MJ_SET_INFORMATION:
                LastInformationClass = irpSp.Parameters.SetFile.FileInformationClass;
                LastSetBuffer = new byte[irpSp.Parameters.SetFile.Length];
                CopyToHost(Irp.AssociatedIrp.SystemBuffer, LastSetBuffer);
                break;
            case IRP_MJ.IRP_MJ_DIRECTORY_CONTROL:
                LastFlags = irpSp.Flags;
                LastInformationClass = irpSp.Parameters.QueryDirectory.FileInformationClass;
                var name = irpSp.Parameters.QueryDirectory.FileName;
                LastSearchName = name == 0 ? null : ReadUnicodeString(name);
                status = STATUS_NO_MORE_FILES;
                break;
            case IRP_MJ.IRP_MJ_DEVICE_CONTROL:
                if (ThrowInDispatch)
                {
                    string? nothing = null;
                    information = (ulong)nothing!.Length;
                }

                if (LeaveIrqlRaised)
                {
                    KeRaiseIrql(DISPATCH_LEVEL, out _);
                }

                if (StayInCriticalRegion)
                {
                    KeEnterCriticalRegion();
                }

                break;
        }

        Irp.IoStatus.Status = status;
        Irp.IoStatus.Information = information;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }

    private static string ReadUnicodeString(ulong address)
    {
        var length = ReadMemory<ushort>(address);
        var buffer = ReadMemory<ulong>(address + 8);
        var bytes = new byte[length];
        CopyToHost(buffer, bytes);
        return System.Text.Encoding.Unicode.GetString(bytes);
    }
}
