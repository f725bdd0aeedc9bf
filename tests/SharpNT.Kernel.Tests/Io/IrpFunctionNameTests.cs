using System.Reflection;
using SharpNT.Kernel.Io;

namespace SharpNT.Kernel.Tests.Io;

/// <summary>The IRP_MJ and IRP_MN name tables traces and the debugger print.</summary>
public sealed class IrpFunctionNameTests
{
    // Aliases: the value prints under the general name.
    private static readonly HashSet<string> MajorAliases = [nameof(IRP_MJ.IRP_MJ_SCSI), nameof(IRP_MJ.IRP_MJ_PNP_POWER), nameof(IRP_MJ.IRP_MJ_MAXIMUM_FUNCTION)];

    [Fact]
    public void Every_major_function_prints_its_own_name()
    {
        var majors = typeof(IRP_MJ).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && !MajorAliases.Contains(f.Name))
            .ToList();

        Assert.Equal(IRP_MJ.IRP_MJ_MAXIMUM_FUNCTION + 1, majors.Count);
        Assert.All(majors, f => Assert.Equal(f.Name, IRP_MJ.Name((byte)f.GetRawConstantValue()!)));
    }

    [Fact]
    public void Shared_major_values_print_the_general_name()
    {
        Assert.Equal("IRP_MJ_INTERNAL_DEVICE_CONTROL", IRP_MJ.Name(IRP_MJ.IRP_MJ_SCSI));
        Assert.Equal("IRP_MJ_PNP", IRP_MJ.Name(IRP_MJ.IRP_MJ_PNP_POWER));
        Assert.Equal("IRP_MJ_DEVICE_CONTROL", IRP_MJ.Name(0x0E));
    }

    [Fact]
    public void An_unknown_major_function_prints_its_value()
    {
        Assert.Equal("IRP_MJ_0x1C", IRP_MJ.Name(0x1C));
    }

    [Theory]
    [InlineData(IRP_MJ.IRP_MJ_PNP, IRP_MN.IRP_MN_START_DEVICE, "IRP_MN_START_DEVICE")]
    [InlineData(IRP_MJ.IRP_MJ_PNP, IRP_MN.IRP_MN_QUERY_DEVICE_RELATIONS, "IRP_MN_QUERY_DEVICE_RELATIONS")]
    [InlineData(IRP_MJ.IRP_MJ_PNP, IRP_MN.IRP_MN_DEVICE_ENUMERATED, "IRP_MN_DEVICE_ENUMERATED")]
    [InlineData(IRP_MJ.IRP_MJ_POWER, IRP_MN.IRP_MN_SET_POWER, "IRP_MN_SET_POWER")]
    [InlineData(IRP_MJ.IRP_MJ_SYSTEM_CONTROL, IRP_MN.IRP_MN_REGINFO_EX, "IRP_MN_REGINFO_EX")]
    [InlineData(IRP_MJ.IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN.IRP_MN_MOUNT_VOLUME, "IRP_MN_MOUNT_VOLUME")]
    [InlineData(IRP_MJ.IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN.IRP_MN_KERNEL_CALL, "IRP_MN_KERNEL_CALL")]
    [InlineData(IRP_MJ.IRP_MJ_DIRECTORY_CONTROL, IRP_MN.IRP_MN_QUERY_DIRECTORY, "IRP_MN_QUERY_DIRECTORY")]
    [InlineData(IRP_MJ.IRP_MJ_LOCK_CONTROL, IRP_MN.IRP_MN_UNLOCK_ALL, "IRP_MN_UNLOCK_ALL")]
    [InlineData(IRP_MJ.IRP_MJ_READ, IRP_MN.IRP_MN_COMPLETE_MDL_DPC, "IRP_MN_COMPLETE_MDL_DPC")]
    [InlineData(IRP_MJ.IRP_MJ_WRITE, IRP_MN.IRP_MN_NORMAL, "IRP_MN_NORMAL")]
    [InlineData(IRP_MJ.IRP_MJ_SCSI, IRP_MN.IRP_MN_SCSI_CLASS, "IRP_MN_SCSI_CLASS")]
    [InlineData(IRP_MJ.IRP_MJ_FLUSH_BUFFERS, IRP_MN.IRP_MN_FLUSH_AND_PURGE, "IRP_MN_FLUSH_AND_PURGE")]
    public void A_minor_function_prints_its_name_under_its_major_function(byte major, byte minor, string expected)
    {
        Assert.Equal(expected, IRP_MN.Name(major, minor));
    }

    [Fact]
    public void The_same_minor_value_means_different_things_under_different_majors()
    {
        Assert.Equal("IRP_MN_QUERY_REMOVE_DEVICE", IRP_MN.Name(IRP_MJ.IRP_MJ_PNP, 0x01));
        Assert.Equal("IRP_MN_POWER_SEQUENCE", IRP_MN.Name(IRP_MJ.IRP_MJ_POWER, 0x01));
        Assert.Equal("IRP_MN_MOUNT_VOLUME", IRP_MN.Name(IRP_MJ.IRP_MJ_FILE_SYSTEM_CONTROL, 0x01));
    }

    [Fact]
    public void A_minor_function_without_a_name_prints_its_value()
    {
        Assert.Equal("IRP_MN_0x0E", IRP_MN.Name(IRP_MJ.IRP_MJ_PNP, 0x0E));
        Assert.Equal("IRP_MN_0x01", IRP_MN.Name(IRP_MJ.IRP_MJ_DEVICE_CONTROL, 0x01));
    }
}
