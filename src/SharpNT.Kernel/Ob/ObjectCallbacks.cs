using SharpNT.Kernel.Ke;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ob;

/// <summary>
/// ObRegisterCallbacks: drivers' pre- and post-operation callbacks on handles to processes and threads.
/// Pre-operation callbacks run from the highest altitude down and may only take rights away; post-operation
/// callbacks run in the reverse order and see what was granted.
/// </summary>
internal sealed class ObjectCallbacks(Machine machine)
{
    public const ushort OB_FLT_REGISTRATION_VERSION = 0x0100;
    public const uint OB_OPERATION_HANDLE_CREATE = 1;
    public const uint OB_OPERATION_HANDLE_DUPLICATE = 2;

    /// <summary>The registration handle ObRegisterCallbacks returns.</summary>
    internal sealed class Registration(OB_CALLBACK_REGISTRATION description, decimal altitude, LoadedModule module)
    {
        public OB_CALLBACK_REGISTRATION Description { get; } = description;

        public decimal Altitude { get; } = altitude;

        public LoadedModule Module { get; } = module;
    }

    private readonly List<Registration> _registrations = [];

    internal bool Any
    {
        get
        {
            lock (_registrations)
            {
                return _registrations.Count > 0;
            }
        }
    }

    /// <summary>
    /// ObRegisterCallbacks: STATUS_INVALID_PARAMETER for a bad version, no operations, a type other than
    /// process or thread, an entry with no operation or no callback, or an altitude that is not a number;
    /// STATUS_FLT_INSTANCE_ALTITUDE_COLLISION if another registration has the altitude.
    /// </summary>
    internal NTSTATUS Register(OB_CALLBACK_REGISTRATION description, out object? registrationHandle)
    {
        registrationHandle = null;
        var ob = machine.Ob;
        if (description.Version != OB_FLT_REGISTRATION_VERSION || description.OperationRegistration.Count == 0
            || !decimal.TryParse(description.Altitude, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var altitude)
            || description.OperationRegistration.Any(o => (o.ObjectType != ob.ProcessType && o.ObjectType != ob.ThreadType)
                || (o.Operations & (OB_OPERATION_HANDLE_CREATE | OB_OPERATION_HANDLE_DUPLICATE)) == 0
                || (o.PreOperation is null && o.PostOperation is null)))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER;
        }

        lock (_registrations)
        {
            if (_registrations.Any(r => r.Altitude == altitude))
            {
                return NTSTATUS.STATUS_FLT_INSTANCE_ALTITUDE_COLLISION;
            }

            var registration = new Registration(description, altitude, machine.Ke.CurrentModule());
            _registrations.Add(registration);
            _registrations.Sort((a, b) => b.Altitude.CompareTo(a.Altitude));
            registrationHandle = registration;
        }

        return NTSTATUS.STATUS_SUCCESS;
    }

    /// <summary>ObUnRegisterCallbacks: the callbacks no longer run.</summary>
    internal void Unregister(object registrationHandle)
    {
        lock (_registrations)
        {
            _registrations.Remove((Registration)registrationHandle);
        }
    }

    /// <summary>
    /// Around the creation or duplication of a handle to a process or thread: the pre-operation callbacks
    /// narrow <paramref name="desiredAccess"/>; <paramref name="operation"/> makes the handle with the narrowed
    /// access and returns its status and granted access, which the post-operation callbacks see.
    /// </summary>
    internal NTSTATUS Around(uint kind, OBJECT_TYPE type, object body, bool kernelHandle, uint desiredAccess,
        Func<uint, (NTSTATUS Status, uint Granted)> operation)
    {
        Registration[] registrations;
        lock (_registrations)
        {
            registrations = [.. _registrations];
        }

        var called = new List<(Registration Registration, OB_OPERATION_REGISTRATION Entry, object? CallContext)>();
        var access = desiredAccess;
        foreach (var registration in registrations)
        {
            foreach (var entry in registration.Description.OperationRegistration)
            {
                if (entry.ObjectType != type || (entry.Operations & kind) == 0)
                {
                    continue;
                }

                var information = new OB_PRE_OPERATION_INFORMATION
                {
                    Operation = kind,
                    KernelHandle = kernelHandle,
                    Object = body,
                    ObjectType = type,
                    Parameters = new OB_PRE_OPERATION_PARAMETERS(),
                };
                var handleInformation = kind == OB_OPERATION_HANDLE_CREATE
                    ? information.Parameters.CreateHandleInformation
                    : information.Parameters.DuplicateHandleInformation;
                handleInformation.DesiredAccess = access;
                handleInformation.OriginalDesiredAccess = desiredAccess;
                if (entry.PreOperation is { } pre)
                {
                    Call(registration, pre, () => pre(registration.Description.RegistrationContext, information));

                    // A callback can only take rights away.
                    access &= handleInformation.DesiredAccess;
                }

                called.Add((registration, entry, information.CallContext));
            }
        }

        var (status, granted) = operation(access);
        for (var i = called.Count - 1; i >= 0; i--)
        {
            var (registration, entry, callContext) = called[i];
            if (entry.PostOperation is not { } post)
            {
                continue;
            }

            var information = new OB_POST_OPERATION_INFORMATION
            {
                Operation = kind,
                KernelHandle = kernelHandle,
                Object = body,
                ObjectType = type,
                CallContext = callContext,
                ReturnStatus = status,
                GrantedAccess = granted,
            };
            Call(registration, post, () => post(registration.Description.RegistrationContext, information));
        }

        return status;
    }

    /// <summary>A callback in a frame of its driver (0xCE if the driver has unloaded without unregistering).</summary>
    private void Call(Registration registration, Delegate callback, Action call) =>
        machine.Ke.CallRegisteredRoutine(registration.Module, machine.Io.Thunks.Register(registration.Module, callback),
            callback.Method.Name, call);
}
