using System.Text.Json;
using SharpNT.Kernel.Mm;
using static SharpNT.Kernel.Ddi.Wdm;

namespace SharpNT.Kernel.Tests.Kd;

/// <summary>The Chrome trace's counters for pool bytes by tag.</summary>
public sealed class ChromeTraceTests
{
    [Fact]
    public void A_traced_allocation_and_free_move_the_tags_pool_counter_up_and_back_down()
    {
        using var machine = TestMachines.Boot();
        machine.StartTrace();
        var tag = PoolTags.FromString("Trc1");
        machine.Run(() =>
        {
            var a = ExAllocatePoolWithTag(POOL_TYPE.NonPagedPoolNx, 100, tag);
            var b = ExAllocatePoolWithTag(POOL_TYPE.PagedPool, 8000, tag);
            ExFreePoolWithTag(a, tag);
            ExFreePoolWithTag(b, tag);
        });

        var path = Path.GetTempFileName();
        try
        {
            machine.WriteTrace(path);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            long[] Series(string name) =>
            [
                .. doc.RootElement.GetProperty("traceEvents").EnumerateArray()
                    .Where(e => e.GetProperty("ph").GetString() == "C" && e.GetProperty("name").GetString() == name)
                    .Select(e => e.GetProperty("args").GetProperty("bytes").GetInt64()),
            ];

            // 100 bytes and the 16-byte header, rounded up to 16: 128; 8000 bytes are two whole pages.
            Assert.Equal([128L, 0L], Series("pool Trc1 nonpaged"));
            Assert.Equal([8192L, 0L], Series("pool Trc1 paged"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
