using SharpNT.Programs;
using SharpNT.Win32;

namespace SharpNT.Kernel.Tests.Win32;

public sealed class ProcessTests
{
    [Fact]
    public void Hello_prints_through_the_console_driver_and_exits_0()
    {
        using var m = new UserModeMachine();
        var exit = m.Run(new HelloProgram(), "one", "two words");
        Assert.Equal(0u, exit);
        Assert.Contains("Hello from user mode", m.Console, StringComparison.Ordinal);
        Assert.Contains("argv[2] = two words", m.Console, StringComparison.Ordinal);
    }
}
