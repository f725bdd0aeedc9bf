using static SharpNT.Win32.Ntdll;

namespace SharpNT.Win32;

public static partial class Kernel32
{
    /// <summary>VirtualAlloc: reserves and commits pages in the calling process; returns the base, or 0 with the last error set.</summary>
    public static ulong VirtualAlloc(ulong lpAddress, ulong dwSize, uint flAllocationType, uint flProtect)
    {
        using var frame = UserStack.Frame();
        var baseAddress = frame.Alloc(8);
        var size = frame.Alloc(8);
        Memory.Write(baseAddress, lpAddress);
        Memory.Write(size, dwSize);
        var status = NtAllocateVirtualMemory(NtCurrentProcess, baseAddress, 0, size, flAllocationType, flProtect);
        if (!NT_SUCCESS(status))
        {
            BaseSetLastNTError(status);
            return 0;
        }

        return Memory.Read<ulong>(baseAddress);
    }

    /// <summary>VirtualFree with MEM_RELEASE (<paramref name="dwSize"/> 0): the whole allocation goes.</summary>
    public static bool VirtualFree(ulong lpAddress, ulong dwSize, uint dwFreeType)
    {
        using var frame = UserStack.Frame();
        var baseAddress = frame.Alloc(8);
        var size = frame.Alloc(8);
        Memory.Write(baseAddress, lpAddress);
        Memory.Write(size, dwSize);
        return Check(NtFreeVirtualMemory(NtCurrentProcess, baseAddress, size, dwFreeType));
    }
}
