using System.Text;
using SharpNT.Kernel.Io;
using static SharpNT.Kernel.Kd.KdSymbols;

namespace SharpNT.Kernel.Kd;

/// <summary>!drvobj: a DRIVER_OBJECT, its devices and its routines.</summary>
internal static class DriverCommands
{
    /// <summary>
    /// !drvobj DriverObject [Flags]: flag 0x1 (the default) lists the driver's device objects, 0x2 its entry
    /// points, dispatch routines and fast I/O routines, 0x4 each device object in detail (with 0x1).
    /// </summary>
    internal static string DrvObj(DebugTarget target, string arguments)
    {
        var words = KdText.Words(arguments);
        if (words.Length == 0)
        {
            return "Usage: !drvobj <DriverObject | \\Driver\\Name> [Flags]\n";
        }

        uint flags = 1;
        if (words.Length > 1 && !KdText.TryParseFlags(words[1], out flags))
        {
            return $"Invalid flags '{words[1]}'\n";
        }

        if (target.Drivers is null)
        {
            return KdText.NotInDump(target, "driver objects");
        }

        KdDriver? driver;
        if (TryParseAddress(words[0], out var address) && !words[0].StartsWith('\\'))
        {
            driver = target.Driver(address);
            if (driver is null)
            {
                // A name without the prefix (as !drvobj samplefn) reads like hex only by accident.
                driver = target.Driver(words[0]);
            }

            if (driver is null)
            {
                return $"{address:x16}: Could not read driver object or _DRIVER_OBJECT not found\n";
            }
        }
        else
        {
            driver = target.Driver(words[0]);
            if (driver is null)
            {
                return $"Driver object {(words[0].StartsWith('\\') ? words[0] : @"\Driver\" + words[0])} not found\n";
            }
        }

        var sb = new StringBuilder();
        sb.Line($"Driver object ({driver.Address:x16}) is for:");
        sb.Line($" {driver.Name}");
        sb.Line();
        sb.Line($"Driver Extension List: (id , addr)");
        sb.Line();
        if ((flags & 1) != 0)
        {
            sb.Line($"Device Object list:");
            sb.Line($"{string.Join("  ", driver.Devices.Select(d => Ptr(d)))}");
            sb.Line();
        }

        if ((flags & 2) != 0)
        {
            sb.Line($"DriverEntry:   {Ptr(driver.DriverInit.Address)}\t{driver.DriverInit.Symbol}");
            sb.Line($"DriverStartIo: {Ptr(driver.DriverStartIo.Address)}\t{driver.DriverStartIo.Symbol}");
            sb.Line($"DriverUnload:  {Ptr(driver.DriverUnload.Address)}\t{driver.DriverUnload.Symbol}");
            sb.Line($"AddDevice:     {Ptr(driver.AddDevice.Address)}\t{driver.AddDevice.Symbol}");
            sb.Line();
            sb.Line($"Dispatch routines:");
            for (var i = 0; i < driver.MajorFunction.Count; i++)
            {
                var routine = driver.MajorFunction[i];
                sb.Line($"[{i:x2}] {IRP_MJ.Name((byte)i),-35}{Ptr(routine.Address)}\t{routine.Symbol}");
            }

            sb.Line();
            if (driver.FastIo.Count != 0)
            {
                sb.Line($"Fast I/O routines:");
                foreach (var (name, routine) in driver.FastIo)
                {
                    sb.Line($"{name,-40}{Ptr(routine.Address)}\t{routine.Symbol}");
                }

                sb.Line();
            }
        }

        if ((flags & 5) == 5)
        {
            foreach (var d in driver.Devices)
            {
                sb.Append(target.Device(d) is { } device ? DeviceCommands.Format(target, device) : $"{d:x16}: Could not read device object\n");
                sb.Line();
            }
        }

        return sb.ToString();
    }
}
