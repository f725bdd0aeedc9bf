namespace SharpNT.Drivers.Fastfat;

/// <summary>
/// FAT date and time fields and NT system time (FILETIME: 100 ns units since 1601-01-01 UTC). FAT stores
/// local time: date = ((year - 1980) &lt;&lt; 9) | (month &lt;&lt; 5) | day, time = (hours &lt;&lt; 11) | (minutes
/// &lt;&lt; 5) | (seconds / 2), and the creation time adds DIR_CrtTimeTenth, 0..199 units of 10 ms
/// (fatgen103). The conversion takes NT's time-zone bias (UTC = local + bias).
/// </summary>
internal static class FatTime
{
    private const long TicksPerSecond = 10_000_000;
    private const long TicksPerDay = 86_400 * TicksPerSecond;

    // FILETIME of 1980-01-01 and of 2107-12-31 23:59:58, the range FAT dates can hold.
    private static readonly long s_minimum = new DateTime(1980, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToFileTimeUtc();
    private static readonly long s_maximum = new DateTime(2107, 12, 31, 23, 59, 58, DateTimeKind.Utc).ToFileTimeUtc();

    /// <summary>NT time for a FAT date/time; 0 (meaning "unknown") for a zero or impossible date.</summary>
    public static long ToSystemTime(ushort date, ushort time, byte tenths, long timeZoneBias)
    {
        if (date == 0)
        {
            return 0;
        }

        var year = 1980 + (date >> 9);
        var month = (date >> 5) & 0x0F;
        var day = date & 0x1F;
        var hour = time >> 11;
        var minute = (time >> 5) & 0x3F;
        var second = (time & 0x1F) * 2;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59
            || second > 59 || tenths > 199)
        {
            return 0;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).ToFileTimeUtc() + (tenths * 100_000L);
        return local + timeZoneBias;
    }

    /// <summary>NT time for a FAT date alone (DIR_LstAccDate).</summary>
    public static long DateToSystemTime(ushort date, long timeZoneBias) => ToSystemTime(date, 0, 0, timeZoneBias);

    /// <summary>
    /// FAT fields for an NT time, truncated to the 2-second (10 ms with <paramref name="tenths"/>) grain and
    /// clamped to 1980..2107.
    /// </summary>
    public static void FromSystemTime(long systemTime, long timeZoneBias, out ushort date, out ushort time, out byte tenths)
    {
        var local = Math.Clamp(systemTime - timeZoneBias, s_minimum, s_maximum);
        var value = DateTime.FromFileTimeUtc(local);
        date = (ushort)(((value.Year - 1980) << 9) | (value.Month << 5) | value.Day);
        time = (ushort)((value.Hour << 11) | (value.Minute << 5) | (value.Second / 2));
        var withinTwoSeconds = ((local % TicksPerDay) % (2 * TicksPerSecond)) / 100_000;
        tenths = (byte)withinTwoSeconds;
    }
}
