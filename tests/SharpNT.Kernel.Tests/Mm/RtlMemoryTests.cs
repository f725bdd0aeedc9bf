using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Mm;

public sealed class RtlMemoryTests
{
    [Fact]
    public void RtlCopyMemory_copies_across_page_boundaries_between_pools()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var source = ExAllocatePool2(POOL_FLAG_PAGED, 5 * PAGE_SIZE, PoolTag("Src "));
            var destination = ExAllocatePool2(POOL_FLAG_NON_PAGED, 5 * PAGE_SIZE, PoolTag("Dst "));
            var pattern = MmMachines.Pattern(3 * PAGE_SIZE, 3);
            CopyFromHost(source + 0x777, pattern);
            machine.Mm.TrimWorkingSet();
            RtlCopyMemory(destination + 0x10, source + 0x777, (ulong)pattern.Length);
            var back = new byte[pattern.Length];
            CopyToHost(destination + 0x10, back);
            Assert.Equal(pattern, back);
            Assert.Equal((ulong)pattern.Length, RtlCompareMemory(destination + 0x10, source + 0x777, (ulong)pattern.Length));
        });
    }

    [Theory]
    [InlineData(0x100, 0x180, 0x2100)]
    [InlineData(0x180, 0x100, 0x2100)]
    [InlineData(0xFF0, 0x10, 0x1010)]
    [InlineData(0x10, 0xFF0, 0x1010)]
    [InlineData(0x200, 0x200, 0x300)]
    public void RtlMoveMemory_handles_overlap_in_both_directions(int to, int from, int length)
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var buffer = ExAllocatePool2(POOL_FLAG_PAGED, 4 * PAGE_SIZE, PoolTag("Move"));
            var host = MmMachines.Pattern(4 * PAGE_SIZE, 11);
            CopyFromHost(buffer, host);
            RtlMoveMemory(buffer + (ulong)to, buffer + (ulong)from, (ulong)length);
            Array.Copy(host, from, host, to, length);
            var back = new byte[host.Length];
            CopyToHost(buffer, back);
            Assert.Equal(host, back);
        });
    }

    [Fact]
    public void Zero_fill_and_compare_work_on_simulated_memory()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var a = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, PoolTag("Fill"));
            var b = ExAllocatePool2(POOL_FLAG_PAGED, 3 * PAGE_SIZE, PoolTag("Fill"));
            RtlFillMemory(a, 3 * PAGE_SIZE, 0x5A);
            RtlFillMemory(b, 3 * PAGE_SIZE, 0x5A);
            Assert.Equal(3UL * PAGE_SIZE, RtlCompareMemory(a, b, 3 * PAGE_SIZE));
            RtlZeroMemory(b + 5000, 1);
            Assert.Equal(5000UL, RtlCompareMemory(a, b, 3 * PAGE_SIZE));
            Assert.Equal(0, ReadMemory<byte>(b + 5000));
            Assert.Equal(0x5A, ReadMemory<byte>(b + 5001));
        });
    }

    [Fact]
    public void Typed_accessors_read_and_write_little_endian_values_across_a_page_boundary()
    {
        using var machine = MmMachines.Boot();
        machine.Run(() =>
        {
            var p = ExAllocatePool2(POOL_FLAG_PAGED, 2 * PAGE_SIZE, PoolTag("Type"));
            var straddle = p + PAGE_SIZE - 3;
            WriteMemory(straddle, 0x0102030405060708UL);
            Assert.Equal(0x0102030405060708UL, ReadMemory<ulong>(straddle));
            Assert.Equal(0x08, ReadMemory<byte>(straddle));
            Assert.Equal(0x01, ReadMemory<byte>(straddle + 7));
            WriteMemory(p, new Guid("00112233-4455-6677-8899-aabbccddeeff"));
            Assert.Equal(new Guid("00112233-4455-6677-8899-aabbccddeeff"), ReadMemory<Guid>(p));
        });
    }

    [Fact]
    public void Page_macros_match_wdm_h()
    {
        Assert.Equal(0x123u, BYTE_OFFSET(0xFFFFFA80_00001123UL));
        Assert.Equal(0xFFFFFA80_00001000UL, PAGE_ALIGN(0xFFFFFA80_00001123UL));
        Assert.Equal(2UL, ADDRESS_AND_SIZE_TO_SPAN_PAGES(0xFFF, 2));
        Assert.Equal(1UL, ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1000, 0x1000));
        Assert.Equal(0UL, ADDRESS_AND_SIZE_TO_SPAN_PAGES(0x1000, 0));
        Assert.Equal(3UL, BYTES_TO_PAGES(0x2001));
        Assert.Equal(0x3000UL, ROUND_TO_PAGES(0x2001));
    }
}
