using System.Text;
using SharpNT.Win32;
using static SharpNT.Win32.Kernel32;
using static SharpNT.Win32.WinBase;
using static SharpNT.Win32.WinIoCtl;

namespace SharpNT.Programs;

/// <summary>
/// ioctl [DEVICE]: opens the sample stack (\\.\Sample: filter over function over lower driver) and sends
/// one DeviceIoControl in each transfer method, checking each answer against what the sample driver
/// documents (the filter appends '!' to the buffered answer). Exit code 0 when every answer is right.
/// </summary>
public sealed class IoctlProgram : Win32Program
{
    // The sample stack's public header, as an application includes it.
    private const uint FILE_DEVICE_SAMPLE = 0x8000;
    public static readonly uint IOCTL_SAMPLE_BUFFERED = CTL_CODE(FILE_DEVICE_SAMPLE, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_SAMPLE_IN_DIRECT = CTL_CODE(FILE_DEVICE_SAMPLE, 0x801, METHOD_IN_DIRECT, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_SAMPLE_OUT_DIRECT = CTL_CODE(FILE_DEVICE_SAMPLE, 0x802, METHOD_OUT_DIRECT, FILE_ANY_ACCESS);
    public static readonly uint IOCTL_SAMPLE_NEITHER = CTL_CODE(FILE_DEVICE_SAMPLE, 0x803, METHOD_NEITHER, FILE_ANY_ACCESS);

    public override string Name => "ioctl";

    public override string Description => @"ioctl [DEVICE]: one DeviceIoControl per transfer method to the sample stack (default \\.\Sample)";

    public override int Main(string[] args)
    {
        var path = args.Length > 0 ? args[0] : @"\\.\Sample";
        var device = CreateFile(path, GENERIC_READ | GENERIC_WRITE, 0, 0, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, 0);
        if (device == INVALID_HANDLE_VALUE)
        {
            Crt.PrintLine($"ioctl: CreateFile({path}) failed, GetLastError() = {GetLastError()}");
            return (int)GetLastError();
        }

        var buffers = VirtualAlloc(0, 0x4000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
        var input = buffers;
        var output = buffers + 0x2000;
        var failures = 0;

        var text = Encoding.ASCII.GetBytes("hello, driver");
        Memory.Write(input, text);
        failures += Check(device, "METHOD_BUFFERED", IOCTL_SAMPLE_BUFFERED, input, (uint)text.Length, output, 64,
            n => Encoding.ASCII.GetString(Memory.ReadBytes(output, (int)n)), "HELLO, DRIVER!");

        var data = new byte[100];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i + 1);
        }

        Memory.Write(output, data);
        failures += Check(device, "METHOD_IN_DIRECT", IOCTL_SAMPLE_IN_DIRECT, input, 0, output, (uint)data.Length,
            n => n.ToString(System.Globalization.CultureInfo.InvariantCulture), "5050");

        failures += Check(device, "METHOD_OUT_DIRECT", IOCTL_SAMPLE_OUT_DIRECT, input, 0, output, 8,
            n => Convert.ToHexString(Memory.ReadBytes(output, (int)n)), "0001020304050607");

        Memory.Write(input, Encoding.ASCII.GetBytes("abcdef"));
        failures += Check(device, "METHOD_NEITHER", IOCTL_SAMPLE_NEITHER, input, 6, output, 6,
            n => Encoding.ASCII.GetString(Memory.ReadBytes(output, (int)n)), "fedcba");

        VirtualFree(buffers, 0, MEM_RELEASE);
        CloseHandle(device);
        Crt.PrintLine(failures == 0 ? "ioctl: all four methods answered as documented" : $"ioctl: {failures} wrong answer(s)");
        return failures == 0 ? 0 : 1;
    }

    private static int Check(nint device, string method, uint code, ulong input, uint inputLength, ulong output, uint outputLength,
        Func<uint, string> render, string expected)
    {
        if (!DeviceIoControl(device, code, input, inputLength, output, outputLength, out var returned, 0))
        {
            Crt.PrintLine($"ioctl: {method} failed, GetLastError() = {GetLastError()}");
            return 1;
        }

        var answer = render(returned);
        var ok = answer == expected;
        Crt.PrintLine($"ioctl: {method,-17} -> {answer}{(ok ? "" : $" (expected {expected})")}");
        return ok ? 0 : 1;
    }
}
