using SharpNT.Cli;
using SharpNT.Kernel.Ob;
using SharpNT.Kernel.Ps;
using SharpNT.Kernel.Tests.Win32;
using SharpNT.Win32;
using static SharpNT.Kernel.Ddi.Wdm;
using static SharpNT.Kernel.NTSTATUS;

namespace SharpNT.Kernel.Tests.Ob;

/// <summary>ObRegisterCallbacks: a driver narrows the access of handles to processes, as protection products do.</summary>
public sealed class ObjectCallbackTests
{
    private const string Driver = "guard.sys";

    private static T AsDriver<T>(Machine machine, Func<T> body)
    {
        var result = default(T)!;
        machine.Run(() => TestMachines.AsDriver(machine, Driver, "DriverEntry", () => result = body()));
        return result;
    }

    private static OB_CALLBACK_REGISTRATION Registration(string altitude, POB_PRE_OPERATION_CALLBACK? pre, POB_POST_OPERATION_CALLBACK? post,
        OBJECT_TYPE? type = null, uint operations = OB_OPERATION_HANDLE_CREATE | OB_OPERATION_HANDLE_DUPLICATE) => new()
    {
        Altitude = altitude,
        OperationRegistration = [new OB_OPERATION_REGISTRATION { ObjectType = type ?? PsProcessType, Operations = operations, PreOperation = pre, PostOperation = post }],
    };

    [Fact]
    public void A_pre_operation_callback_that_strips_PROCESS_TERMINATE_protects_a_process_from_kill_until_it_unregisters()
    {
        using var m = new UserModeMachine();
        var granted = new List<uint>();
        var handle = AsDriver(m.Machine, () =>
        {
            Assert.Equal(STATUS_SUCCESS, ObRegisterCallbacks(Registration("321000",
                (context, info) =>
                {
                    if (info.Object is EPROCESS { ImageFileName: "guarded.exe" } && !info.KernelHandle)
                    {
                        info.Parameters.CreateHandleInformation.DesiredAccess &= ~PROCESS_TERMINATE;
                    }

                    return OB_PREOP_CALLBACK_STATUS.OB_PREOP_SUCCESS;
                },
                (context, info) =>
                {
                    if (info.Object is EPROCESS { ImageFileName: "guarded.exe" } && info.ReturnStatus.IsSuccess())
                    {
                        lock (granted)
                        {
                            granted.Add(info.GrantedAccess);
                        }
                    }
                }), out var registration));
            return registration!;
        });

        var (protectedKill, afterUnregister, exit) = m.Machine.Run(() =>
        {
            var guarded = ProgramHost.Start(m.Machine, new TestProgram(args =>
            {
                Kernel32.Sleep(WinBase.INFINITE);
                return 1;
            }, "guarded"), []);
            var pid = guarded.UniqueProcessId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var first = ProgramHost.Run(m.Machine, new SharpNT.Programs.KillProgram(), [pid, "9"]);
            TestMachines.AsDriver(m.Machine, Driver, "DriverUnload", () => ObUnRegisterCallbacks(handle));
            var second = ProgramHost.Run(m.Machine, new SharpNT.Programs.KillProgram(), [pid, "9"]);
            return (first, second, ProgramHost.Wait(m.Machine, guarded));
        });

        Assert.Equal(WinError.ERROR_ACCESS_DENIED, protectedKill);
        Assert.Contains("TerminateProcess failed, GetLastError() = 5", m.Console, StringComparison.Ordinal);
        Assert.Equal(0u, afterUnregister);
        Assert.Equal(9u, exit);
        var killHandle = Assert.Single(granted, a => (a & SYNCHRONIZE) != 0);
        Assert.Equal(0u, killHandle & PROCESS_TERMINATE);
    }

    [Fact]
    public void Pre_callbacks_run_from_the_highest_altitude_down_posts_in_reverse_and_a_callback_cannot_add_rights()
    {
        using var m = new UserModeMachine();
        var order = new List<string>();
        AsDriver(m.Machine, () =>
        {
            foreach (var altitude in new[] { "1000", "3000", "2000" })
            {
                var name = altitude;
                Assert.Equal(STATUS_SUCCESS, ObRegisterCallbacks(Registration(name,
                    (context, info) =>
                    {
                        if (info.Object is EPROCESS { ImageFileName: "probe.exe" } && !info.KernelHandle)
                        {
                            order.Add($"pre {name} {info.Parameters.CreateHandleInformation.DesiredAccess:x} of {info.Parameters.CreateHandleInformation.OriginalDesiredAccess:x}");
                            info.Parameters.CreateHandleInformation.DesiredAccess = name == "3000" ? 0x1FFFFFu : info.Parameters.CreateHandleInformation.DesiredAccess & ~0x1u;
                            info.CallContext = name;
                        }

                        return OB_PREOP_CALLBACK_STATUS.OB_PREOP_SUCCESS;
                    },
                    (context, info) =>
                    {
                        if (info.Object is EPROCESS { ImageFileName: "probe.exe" } && !info.KernelHandle)
                        {
                            order.Add($"post {info.CallContext} {info.GrantedAccess:x}");
                        }
                    }), out _));
            }

            return 0;
        });

        var opened = m.Machine.Run(() =>
        {
            var probe = ProgramHost.Start(m.Machine, new TestProgram(args => 0, "probe"), []);
            var status = ObOpenObjectByPointer(probe, 0, null, PROCESS_TERMINATE | SYNCHRONIZE, PsProcessType, KernelMode, out var handle);
            ZwClose(handle);
            ProgramHost.Wait(m.Machine, probe);
            return status;
        });

        // One open of probe.exe for PROCESS_TERMINATE | SYNCHRONIZE: three pre- and three post-operation calls.
        Assert.Equal(STATUS_SUCCESS, opened);
        Assert.Equal(6, order.Count);
        var first = order;
        Assert.StartsWith("pre 3000 ", first[0], StringComparison.Ordinal);
        Assert.StartsWith("pre 2000 ", first[1], StringComparison.Ordinal);
        Assert.StartsWith("pre 1000 ", first[2], StringComparison.Ordinal);
        Assert.StartsWith("post 1000 ", first[3], StringComparison.Ordinal);
        Assert.StartsWith("post 2000 ", first[4], StringComparison.Ordinal);
        Assert.StartsWith("post 3000 ", first[5], StringComparison.Ordinal);
        var original = first[0].Split(' ')[4];
        Assert.All(first.Take(3), p => Assert.EndsWith($"of {original}", p, StringComparison.Ordinal));
        var grantedText = first[5].Split(' ')[2];
        var grantedAccess = Convert.ToUInt32(grantedText, 16);
        Assert.Equal(0u, grantedAccess & ~Convert.ToUInt32(original, 16));
    }

    [Fact]
    public void Registration_checks_the_version_the_type_the_callbacks_and_the_altitude()
    {
        using var machine = TestMachines.Boot();
        var statuses = AsDriver(machine, () =>
        {
            POB_PRE_OPERATION_CALLBACK pre = (c, i) => OB_PREOP_CALLBACK_STATUS.OB_PREOP_SUCCESS;
            var result = new List<NTSTATUS>
            {
                ObRegisterCallbacks(new OB_CALLBACK_REGISTRATION { Version = 0x200, Altitude = "1", OperationRegistration = Registration("1", pre, null).OperationRegistration }, out _),
                ObRegisterCallbacks(Registration("1", pre, null, IoFileObjectType), out _),
                ObRegisterCallbacks(Registration("1", null, null), out _),
                ObRegisterCallbacks(Registration("1", pre, null, operations: 0), out _),
                ObRegisterCallbacks(Registration("not a number", pre, null), out _),
                ObRegisterCallbacks(Registration("5000", pre, null, PsThreadType), out var first),
                ObRegisterCallbacks(Registration("5000", pre, null), out _),
            };
            ObUnRegisterCallbacks(first!);
            result.Add(ObRegisterCallbacks(Registration("5000", pre, null), out _));
            return result;
        });

        Assert.Equal(
            [STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER, STATUS_INVALID_PARAMETER,
                STATUS_SUCCESS, STATUS_FLT_INSTANCE_ALTITUDE_COLLISION, STATUS_SUCCESS],
            statuses);
        Assert.Equal(OB_FLT_REGISTRATION_VERSION, machine.Run(ObGetFilterVersion));
    }

    [Fact]
    public void Thread_handles_and_duplicated_handles_pass_the_callbacks_too()
    {
        using var machine = TestMachines.Boot();
        var seen = new List<string>();
        var result = AsDriver(machine, () =>
        {
            var registration = new OB_CALLBACK_REGISTRATION
            {
                Altitude = "4000",
                OperationRegistration =
                [
                    new OB_OPERATION_REGISTRATION
                    {
                        ObjectType = PsThreadType,
                        Operations = OB_OPERATION_HANDLE_CREATE,
                        PreOperation = (context, info) =>
                        {
                            seen.Add($"thread create kernel={info.KernelHandle}");
                            return OB_PREOP_CALLBACK_STATUS.OB_PREOP_SUCCESS;
                        },
                    },
                    new OB_OPERATION_REGISTRATION
                    {
                        ObjectType = PsProcessType,
                        Operations = OB_OPERATION_HANDLE_DUPLICATE,
                        PreOperation = (context, info) =>
                        {
                            seen.Add($"process duplicate {info.Parameters.DuplicateHandleInformation.OriginalDesiredAccess:x}");
                            info.Parameters.DuplicateHandleInformation.DesiredAccess &= ~PROCESS_TERMINATE;
                            return OB_PREOP_CALLBACK_STATUS.OB_PREOP_SUCCESS;
                        },
                    },
                ],
            };
            Assert.Equal(STATUS_SUCCESS, ObRegisterCallbacks(registration, out _));
            Assert.Equal(STATUS_SUCCESS, PsCreateSystemThread(out var threadHandle, THREAD_ALL_ACCESS, null, null, out _, _ => { }, null));
            ZwClose(threadHandle);

            var self = ZwCurrentProcess();
            Assert.Equal(STATUS_SUCCESS, ObOpenObjectByPointer(machine.Ob.SystemProcess, 0, null, PROCESS_TERMINATE | SYNCHRONIZE, PsProcessType,
                KernelMode, out var processHandle));
            var duplicated = ZwDuplicateObject(self, processHandle, self, out var copy, 0, 0, DUPLICATE_SAME_ACCESS);
            var terminateTried = ObReferenceObjectByHandle(copy, PROCESS_TERMINATE, PsProcessType, UserMode, out var body, out _);
            if (terminateTried.IsSuccess())
            {
                ObDereferenceObject(body!);
            }

            ZwClose(copy);
            ZwClose(processHandle);
            return (duplicated, terminateTried);
        });

        Assert.Equal(STATUS_SUCCESS, result.duplicated);
        Assert.Equal(STATUS_ACCESS_DENIED, result.terminateTried);
        Assert.Equal(["thread create kernel=True", "process duplicate 100001"], seen);
    }
}
