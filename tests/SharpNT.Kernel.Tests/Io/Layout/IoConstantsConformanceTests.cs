using SharpNT.Kernel.Io;
using Xunit.Abstractions;

namespace SharpNT.Kernel.Tests.Io.Layout;

/// <summary>
/// The I/O constants (IRP_MJ, IRP_MN, SL_*, DO_*, IRP_*, FO_*, FILE_DEVICE_* ...) against the values
/// mingw-w64's wdm.h, ntddk.h and ntifs.h give them, compiled from the same layout.c table.
/// </summary>
public sealed class IoConstantsConformanceTests(MingwLayoutFixture mingw, ITestOutputHelper output) : IClassFixture<MingwLayoutFixture>
{
    internal static IReadOnlyList<Type> ConstantTypes { get; } =
    [
        typeof(IRP_MJ), typeof(IRP_MN), typeof(SL_FLAGS), typeof(DO_FLAGS), typeof(IRP_FLAGS), typeof(FO_FLAGS),
        typeof(VPB_FLAGS), typeof(MDL_FLAGS), typeof(DRVO_FLAGS), typeof(IO_TYPE), typeof(FILE_DEVICE),
        typeof(FILE_CHARACTERISTICS), typeof(FILE_ALIGNMENT), typeof(IoCtl),
    ];

    [Fact]
    public void Every_io_constant_matches_mingw_w64()
    {
        var problems = mingw.Mismatches(ConstantTypes, out var checkedCount);

        output.WriteLine($"{checkedCount} I/O constants in {ConstantTypes.Count} classes checked against {MingwLayoutFixture.Compiler}.");
        Assert.True(problems.Count == 0, MingwLayoutFixture.Report("I/O constants that disagree with mingw-w64", problems));
    }

    [Theory]
    [InlineData("IOCTL_DISK_GET_DRIVE_GEOMETRY", FILE_DEVICE.FILE_DEVICE_DISK, 0x0000, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS)]
    [InlineData("IOCTL_DISK_GET_LENGTH_INFO", FILE_DEVICE.FILE_DEVICE_DISK, 0x0017, IoCtl.METHOD_BUFFERED, IoCtl.FILE_READ_ACCESS)]
    [InlineData("IOCTL_STORAGE_QUERY_PROPERTY", FILE_DEVICE.FILE_DEVICE_MASS_STORAGE, 0x0500, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS)]
    [InlineData("IOCTL_MOUNTDEV_QUERY_DEVICE_NAME", 0x4D /* MOUNTDEVCONTROLTYPE, 'M' */, 0x0002, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS)]
    [InlineData("FSCTL_LOCK_VOLUME", FILE_DEVICE.FILE_DEVICE_FILE_SYSTEM, 6, IoCtl.METHOD_BUFFERED, IoCtl.FILE_ANY_ACCESS)]
    [InlineData("FSCTL_GET_RETRIEVAL_POINTERS", FILE_DEVICE.FILE_DEVICE_FILE_SYSTEM, 28, IoCtl.METHOD_NEITHER, IoCtl.FILE_ANY_ACCESS)]
    public void CTL_CODE_builds_what_the_mingw_headers_build(string ioctl, uint deviceType, uint function, uint method, uint access)
    {
        Assert.Equal(mingw.Fact(ioctl), IoCtl.CTL_CODE(deviceType, function, method, access));
    }

    [Fact]
    public void CTL_CODE_decomposition_matches_the_wdm_macros()
    {
        Assert.Equal(
            mingw.Fact("DEVICE_TYPE_FROM_CTL_CODE_IOCTL_STORAGE_QUERY_PROPERTY"),
            IoCtl.DEVICE_TYPE_FROM_CTL_CODE((uint)mingw.Fact("IOCTL_STORAGE_QUERY_PROPERTY")));
        Assert.Equal(
            mingw.Fact("METHOD_FROM_CTL_CODE_FSCTL_GET_RETRIEVAL_POINTERS"),
            IoCtl.METHOD_FROM_CTL_CODE((uint)mingw.Fact("FSCTL_GET_RETRIEVAL_POINTERS")));
    }
}
