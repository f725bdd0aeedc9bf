namespace SharpNT.Kernel.Io;

/// <summary>
/// Pointer values for managed objects that kernel structures must point at (a completion routine's
/// Context, an IRP's UserEvent): each object pinned here gets a stable address in a reserved, unmapped
/// range, so the structure holds a pointer as on NT and the kernel finds the object again.
/// Pins are counted; an object leaves the table when its last pin goes.
/// </summary>
internal sealed class ManagedPointerTable
{
    /// <summary>Never mapped by the memory manager, so a driver cannot dereference such a pointer by mistake.</summary>
    internal const ulong Base = 0xFFFFF6FB_00000000UL;

    private readonly Dictionary<ulong, (object Target, int Pins)> _byAddress = [];
    private readonly Dictionary<object, ulong> _byObject = new(ReferenceEqualityComparer.Instance);
    private readonly object _lock = new();
    private ulong _next = Base + 0x10;

    internal ulong Pin(object? target)
    {
        if (target is null)
        {
            return 0;
        }

        lock (_lock)
        {
            if (!_byObject.TryGetValue(target, out var address))
            {
                address = _next;
                _next += 0x10;
                _byObject[target] = address;
                _byAddress[address] = (target, 0);
            }

            var e = _byAddress[address];
            _byAddress[address] = (target, e.Pins + 1);
            return address;
        }
    }

    internal void Unpin(ulong address)
    {
        if (address == 0)
        {
            return;
        }

        lock (_lock)
        {
            if (!_byAddress.TryGetValue(address, out var e))
            {
                return;
            }

            if (e.Pins <= 1)
            {
                _byAddress.Remove(address);
                _byObject.Remove(e.Target);
            }
            else
            {
                _byAddress[address] = (e.Target, e.Pins - 1);
            }
        }
    }

    internal object? Resolve(ulong address)
    {
        if (address == 0)
        {
            return null;
        }

        lock (_lock)
        {
            return _byAddress.TryGetValue(address, out var e) ? e.Target : null;
        }
    }
}
