using SharpNT.Kernel.Io;
using SharpNT.Kernel.Io.Layout;
using Xunit.Abstractions;

namespace SharpNT.Kernel.Tests.Io.Layout;

/// <summary>
/// The C# layouts of the shared I/O objects against mingw-w64's DDK headers: every size and offset the
/// kernel will write must be the one a native driver compiled against wdm.h reads.
/// </summary>
public sealed class StructLayoutTests(MingwLayoutFixture mingw, ITestOutputHelper output) : IClassFixture<MingwLayoutFixture>
{
    internal static IReadOnlyList<Type> LayoutTypes { get; } =
        typeof(IrpLayout).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IrpLayout).Namespace && t.IsAbstract && t.IsSealed && !t.IsNested)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void Every_layout_constant_matches_mingw_w64()
    {
        var problems = mingw.Mismatches(LayoutTypes, out var checkedCount);

        output.WriteLine($"{checkedCount} layout constants in {LayoutTypes.Count} classes checked against {MingwLayoutFixture.Compiler}.");
        Assert.True(problems.Count == 0, MingwLayoutFixture.Report("Layout constants that disagree with mingw-w64", problems));
    }

    [Fact]
    public void The_layout_classes_cover_the_shared_io_objects()
    {
        var expected = new[]
        {
            nameof(IrpLayout), nameof(IoStackLocationLayout), nameof(DeviceObjectLayout), nameof(DriverObjectLayout),
            nameof(DriverExtensionLayout), nameof(FileObjectLayout), nameof(MdlLayout), nameof(DispatcherHeaderLayout),
            nameof(KEventLayout), nameof(KDpcLayout), nameof(KDeviceQueueLayout), nameof(KDeviceQueueEntryLayout),
            nameof(KApcLayout), nameof(IoStatusBlockLayout), nameof(UnicodeStringLayout), nameof(ListEntryLayout),
            nameof(WaitContextBlockLayout), nameof(VpbLayout), nameof(SectionObjectPointersLayout),
            nameof(IoCompletionContextLayout), nameof(DevObjExtensionLayout), nameof(IoSecurityContextLayout),
            nameof(KSpinLockLayout), nameof(ShareAccessLayout), nameof(FileBasicInformationLayout),
            nameof(FileStandardInformationLayout), nameof(FilePositionInformationLayout), nameof(FileNameInformationLayout),
            nameof(FileAllInformationLayout), nameof(FileDirectoryInformationLayout), nameof(FileFullDirInformationLayout),
            nameof(FileBothDirInformationLayout), nameof(FileNamesInformationLayout), nameof(FileRenameInformationLayout),
            nameof(FileDispositionInformationLayout), nameof(FileEndOfFileInformationLayout), nameof(FileFsSizeInformationLayout),
            nameof(FileFsVolumeInformationLayout), nameof(FileFsAttributeInformationLayout), nameof(DiskGeometryLayout),
            nameof(GetLengthInformationLayout), nameof(FastIoDispatchLayout),
        };

        Assert.Equal(expected.Order(StringComparer.Ordinal), LayoutTypes.Select(t => t.Name));
    }

    [Fact]
    public void Every_layout_c_entry_names_a_CSharp_constant()
    {
        var orphans = mingw.Orphans(LayoutTypes.Concat(IoConstantsConformanceTests.ConstantTypes));

        Assert.True(orphans.Count == 0, MingwLayoutFixture.Report("layout.c entries with no C# constant", orphans));
    }

    [Fact]
    public void DeviceObject_size_is_mingws_size_rounded_up_to_MEMORY_ALLOCATION_ALIGNMENT()
    {
        // The WDK declares DEVICE_OBJECT DECLSPEC_ALIGN(MEMORY_ALLOCATION_ALIGNMENT); mingw-w64 does not.
        const ulong MEMORY_ALLOCATION_ALIGNMENT = 16;
        var mingwSize = mingw.Fact("DEVICE_OBJECT_MingwSize");

        Assert.Equal((ulong)DeviceObjectLayout.Size, (mingwSize + MEMORY_ALLOCATION_ALIGNMENT - 1) & ~(MEMORY_ALLOCATION_ALIGNMENT - 1));
        Assert.Equal(0, DeviceObjectLayout.Size % 16);
        Assert.True((ulong)DeviceObjectLayout.Reserved + 8 <= mingwSize, "the last member must lie inside mingw's size too");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    public void IoSizeOfIrp_matches_the_wdm_macro(sbyte stackSize)
    {
        Assert.Equal(mingw.Fact($"IoSizeOfIrp_{stackSize}"), IrpLayout.IoSizeOfIrp(stackSize));
    }

    [Fact]
    public void MajorFunction_has_IRP_MJ_MAXIMUM_FUNCTION_plus_one_entries_indexed_by_major_code()
    {
        Assert.Equal((ulong)IRP_MJ.IRP_MJ_MAXIMUM_FUNCTION + 1, mingw.Fact("DRIVER_OBJECT_MajorFunction_Count"));
        Assert.Equal(mingw.Fact("DRIVER_OBJECT_MajorFunction_IRP_MJ_DEVICE_CONTROL"), (ulong)DriverObjectLayout.MajorFunctionEntry(IRP_MJ.IRP_MJ_DEVICE_CONTROL));
        Assert.Equal(mingw.Fact("DRIVER_OBJECT_MajorFunction_IRP_MJ_PNP"), (ulong)DriverObjectLayout.MajorFunctionEntry(IRP_MJ.IRP_MJ_PNP));
        Assert.Equal(DriverObjectLayout.Size, DriverObjectLayout.MajorFunctionEntry(IRP_MJ.IRP_MJ_MAXIMUM_FUNCTION) + 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => DriverObjectLayout.MajorFunctionEntry(IRP_MJ.IRP_MJ_MAXIMUM_FUNCTION + 1));
    }

    /// <summary>The x64 sizes the WDK documents and the kernel debugger shows (dt nt!_IRP and so on), independent of mingw-w64.</summary>
    [Theory]
    [InlineData(nameof(IrpLayout), IrpLayout.Size, 0xD0)]
    [InlineData(nameof(IoStackLocationLayout), IoStackLocationLayout.Size, 0x48)]
    [InlineData(nameof(DeviceObjectLayout), DeviceObjectLayout.Size, 0x150)]
    [InlineData(nameof(DriverObjectLayout), DriverObjectLayout.Size, 0x150)]
    [InlineData(nameof(FileObjectLayout), FileObjectLayout.Size, 0xD8)]
    [InlineData(nameof(MdlLayout), MdlLayout.Size, 0x30)]
    [InlineData(nameof(KDpcLayout), KDpcLayout.Size, 0x40)]
    [InlineData(nameof(KApcLayout), KApcLayout.Size, 0x58)]
    [InlineData(nameof(DispatcherHeaderLayout), DispatcherHeaderLayout.Size, 0x18)]
    [InlineData(nameof(VpbLayout), VpbLayout.Size, 0x60)]
    public void Sizes_are_the_documented_x64_sizes(string structure, int size, int documented)
    {
        Assert.True(size == documented, $"{structure}.Size is 0x{size:X}, the x64 WDK size is 0x{documented:X}");
    }

    [Fact]
    public void Well_known_offsets_are_the_documented_x64_offsets()
    {
        Assert.Equal(0xB8, IrpLayout.Tail_Overlay_CurrentStackLocation);
        Assert.Equal(0x18, IrpLayout.AssociatedIrp_SystemBuffer);
        Assert.Equal(0x30, IrpLayout.IoStatus);
        Assert.Equal(0x18, IoStackLocationLayout.Parameters_DeviceIoControl_IoControlCode);
        Assert.Equal(0x40, DeviceObjectLayout.DeviceExtension);
        Assert.Equal(0x70, DriverObjectLayout.MajorFunction);
    }

    [Fact]
    public void Every_offset_lies_inside_its_structure()
    {
        var outside = new List<string>();
        foreach (var type in LayoutTypes)
        {
            var size = (int)type.GetField("Size", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetRawConstantValue()!;
            foreach (var (name, value) in MingwLayoutFixture.Constants(type))
            {
                if (name is not "Size" and not "MAXIMUM_VOLUME_LABEL_LENGTH" && value >= (ulong)size)
                {
                    outside.Add($"{type.Name}.{name} = 0x{value:X} is not below Size 0x{size:X}");
                }
            }
        }

        Assert.True(outside.Count == 0, MingwLayoutFixture.Report("Offsets outside their structure", outside));
    }

    [Fact]
    public void Stack_locations_follow_the_irp_header_in_order()
    {
        Assert.Equal(IrpLayout.Size, IrpLayout.StackLocationOffset(1));
        Assert.Equal(IrpLayout.Size + IoStackLocationLayout.Size, IrpLayout.StackLocationOffset(2));

        // A fresh IRP's CurrentLocation is StackCount + 1: one past the last location, the end of the allocation.
        Assert.Equal(IrpLayout.IoSizeOfIrp(4), IrpLayout.StackLocationOffset(4 + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IrpLayout.StackLocationOffset(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IrpLayout.IoSizeOfIrp(-1));
    }
}
