using SharpNT.Drivers.Fastfat;

namespace SharpNT.Drivers.Tests.Fastfat;

public sealed class FatTimeTests
{
    [Fact]
    public void Times_round_trip_at_FAT_grain()
    {
        var time = new DateTime(2023, 12, 31, 23, 59, 59, 990, DateTimeKind.Utc).ToFileTimeUtc();
        FatTime.FromSystemTime(time, 0, out var date, out var fatTime, out var tenths);
        Assert.Equal(((2023 - 1980) << 9) | (12 << 5) | 31, date);
        Assert.Equal((23 << 11) | (59 << 5) | 29, fatTime);
        Assert.Equal(199, tenths);
        Assert.Equal(time, FatTime.ToSystemTime(date, fatTime, tenths, 0));
        Assert.Equal(new DateTime(2023, 12, 31, 23, 59, 58, DateTimeKind.Utc).ToFileTimeUtc(), FatTime.ToSystemTime(date, fatTime, 0, 0));
    }

    [Fact]
    public void The_bias_converts_between_local_FAT_time_and_UTC()
    {
        var bias = -TimeSpan.FromHours(2).Ticks;
        var utc = new DateTime(2020, 6, 1, 10, 0, 0, DateTimeKind.Utc).ToFileTimeUtc();
        FatTime.FromSystemTime(utc, bias, out var date, out var time, out _);
        Assert.Equal(12, time >> 11);
        Assert.Equal(utc, FatTime.ToSystemTime(date, time, 0, bias));
    }

    [Fact]
    public void Dates_outside_1980_to_2107_are_clamped_and_impossible_dates_read_as_unknown()
    {
        FatTime.FromSystemTime(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc(), 0, out var date, out var time, out _);
        Assert.Equal((1 << 5) | 1, date);
        Assert.Equal(0, time);
        Assert.Equal(0, FatTime.ToSystemTime(0, 0, 0, 0));
        Assert.Equal(0, FatTime.ToSystemTime((ushort)((44 << 9) | (2 << 5) | 30), 0, 0, 0));
        Assert.Equal(0, FatTime.ToSystemTime((ushort)((44 << 9) | (13 << 5) | 1), 0, 0, 0));
        Assert.Equal(0, FatTime.ToSystemTime((ushort)((44 << 9) | (1 << 5) | 1), (ushort)(24 << 11), 0, 0));
    }
}
