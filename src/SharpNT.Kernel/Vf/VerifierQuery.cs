namespace SharpNT.Kernel.Vf;

/// <summary>
/// The small query behind !verifier (as the debugger reads MmVerifierData and the verifier's driver list):
/// the machine's verifier settings and, per verified driver, what pool tracking knows of its allocations.
/// </summary>
internal static class VerifierQuery
{
    internal static VerifierStatus Query(Machine machine)
    {
        var settings = machine.Options.Verifier;
        var names = new List<string>(settings.Drivers);
        var modules = machine.Modules.Snapshot();
        if (settings.AllDrivers)
        {
            // /all verifies every driver image that has been loaded (the kernel and HAL are not drivers).
            foreach (var m in modules)
            {
                if (m != machine.Modules.Kernel && m != machine.Modules.Hal && !names.Contains(m.Name, StringComparer.OrdinalIgnoreCase))
                {
                    names.Add(m.Name);
                }
            }
        }

        var drivers = new List<VerifiedDriverStatus>(names.Count);
        foreach (var name in names)
        {
            // The same image name can be loaded again after an unload: the newest load is the one that counts.
            var module = modules.LastOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
            if (module is null)
            {
                drivers.Add(new VerifiedDriverStatus(name, Loaded: false, Unloaded: false, 0, 0, 0, 0));
                continue;
            }

            var pool = (settings.Flags & VerifierSettings.PoolTracking) != 0 ? machine.Mm.PoolOwnedTotals(module) : default;
            drivers.Add(new VerifiedDriverStatus(module.Name, !module.Unloaded, module.Unloaded,
                pool.PagedCount, pool.PagedBytes, pool.NonPagedCount, pool.NonPagedBytes));
        }

        return new VerifierStatus(settings.Flags, settings.AllDrivers, drivers)
        {
            IrpLogs = [.. machine.Verifier.IrpLoggedDevices().Select(d => new DeviceIrpLog(d, machine.Verifier.IrpLog(d)))],
        };
    }
}
