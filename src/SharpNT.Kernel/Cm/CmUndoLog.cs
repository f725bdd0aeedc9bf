namespace SharpNT.Kernel.Cm;

/// <summary>
/// The changes a .reg file load made so far, newest last, each with the step that takes it back: a file
/// that turns out to be unusable part way through is rolled back under the same lock, so nobody ever sees
/// half of it.
/// </summary>
internal sealed class CmUndoLog
{
    private readonly List<Action> _undo = [];
    private readonly HashSet<CmKey> _timesSaved = [];

    internal void Record(Action undo) => _undo.Add(undo);

    /// <summary>Remembers a key's LastWriteTime before the first change the load makes to it.</summary>
    internal void SaveTime(CmKey key)
    {
        if (_timesSaved.Add(key))
        {
            var old = key.LastWriteTime;
            _undo.Add(() => key.LastWriteTime = old);
        }
    }

    internal void Rollback()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i]();
        }

        _undo.Clear();
        _timesSaved.Clear();
    }
}
