using System.Diagnostics;
using SharpNT.Kernel.Mm;

namespace SharpNT.Kernel.Ke;

/// <summary>DPC importance (wdm.h KDPC_IMPORTANCE): where in the target queue a DPC goes.</summary>
public enum KDPC_IMPORTANCE
{
    LowImportance = 0,
    MediumImportance = 1,
    HighImportance = 2,
    MediumHighImportance = 3,
}
