using SharpNT.Kernel.Ex;
using SharpNT.Kernel.Ke;

namespace SharpNT.Kernel.Ob;

internal sealed partial class ObjectManager
{
    /// <summary>
    /// NtWaitForMultipleObjects: waits for all (WaitAll) or any (WaitAny) of the objects <paramref name="count"/>
    /// handles at <paramref name="handles"/> name (each with SYNCHRONIZE access; a file object stands for its
    /// event), as KeWaitForMultipleObjects does, with wait blocks of its own beyond THREAD_WAIT_OBJECTS. The
    /// handle array and the timeout (a LARGE_INTEGER, NULL for none) are captured. A count of 0 or above
    /// MAXIMUM_WAIT_OBJECTS is STATUS_INVALID_PARAMETER_1, another wait type STATUS_INVALID_PARAMETER_3, an
    /// object named twice in a WaitAll STATUS_INVALID_PARAMETER_MIX. Returns STATUS_WAIT_0 + n /
    /// STATUS_ABANDONED_WAIT_0 + n, STATUS_TIMEOUT, or STATUS_USER_APC / STATUS_ALERTED for an alertable wait.
    /// </summary>
    internal NTSTATUS NtWaitForMultipleObjects(uint count, ulong handles, WAIT_TYPE waitType, bool alertable, ulong timeout)
    {
        var mode = _machine.Ke.CurrentThread.PreviousMode;
        if (count == 0 || count > KernelCore.MAXIMUM_WAIT_OBJECTS)
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER_1;
        }

        if (waitType is not (WAIT_TYPE.WaitAll or WAIT_TYPE.WaitAny))
        {
            return NTSTATUS.STATUS_INVALID_PARAMETER_3;
        }

        Span<ulong> captured = stackalloc ulong[(int)count];
        long? interval = null;
        try
        {
            Probe.ForRead(handles, count * 8, 8, mode);
            for (var i = 0; i < (int)count; i++)
            {
                captured[i] = _machine.Mm.Read<ulong>(handles + (ulong)(i * 8), mode);
            }

            if (timeout != 0)
            {
                Probe.ForRead(timeout, 8, 4, mode);
                interval = _machine.Mm.Read<long>(timeout, mode);
            }
        }
        catch (NtException e)
        {
            return e.Status;
        }

        var bodies = new object[count];
        var objects = new DispatcherObject[count];
        var referenced = 0;
        try
        {
            for (; referenced < (int)count; referenced++)
            {
                var status = ReferenceObjectByHandle(new HANDLE(captured[referenced]), AccessMask.SYNCHRONIZE, null, mode, out var body, out _);
                if (!status.IsSuccess())
                {
                    return status;
                }

                bodies[referenced] = body!;
                var waitable = body as DispatcherObject ?? GetObjectType(body!).DefaultObject?.Invoke(body!);
                if (waitable is null)
                {
                    referenced++;
                    return NTSTATUS.STATUS_OBJECT_TYPE_MISMATCH;
                }

                if (waitType == WAIT_TYPE.WaitAll && Array.IndexOf(objects, waitable, 0, referenced) >= 0)
                {
                    // The same object twice in a wait for all of them (ObpWaitForMultipleObjects' check).
                    referenced++;
                    return NTSTATUS.STATUS_INVALID_PARAMETER_MIX;
                }

                objects[referenced] = waitable;
            }

            var blocks = count > KernelCore.THREAD_WAIT_OBJECTS ? NewWaitBlocks((int)count) : null;
            return _machine.Ke.Wait(objects, waitType, KWAIT_REASON.UserRequest, mode, alertable, interval, blocks);
        }
        finally
        {
            // Also when a terminated thread leaves the wait.
            for (var i = 0; i < referenced; i++)
            {
                DereferenceObject(bodies[i]);
            }
        }
    }

    private static KWAIT_BLOCK[] NewWaitBlocks(int count)
    {
        var blocks = new KWAIT_BLOCK[count];
        for (var i = 0; i < count; i++)
        {
            blocks[i] = new KWAIT_BLOCK();
        }

        return blocks;
    }
}
