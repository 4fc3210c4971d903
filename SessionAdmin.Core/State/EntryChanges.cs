using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.State;

/// <summary>
/// A session's entry changes not yet written: which values and flashes changed (a write encodes only those), which
/// counters travel as deltas (a shared store adds them, so two nodes never lose a count), whether all of a kind was
/// cleared, and each stored entry's length (the row's size, known without asking the store). Not thread-safe: its
/// <see cref="SessionState"/> calls it under the session's lock.
/// </summary>
internal sealed class EntryChanges
{
    private readonly HashSet<string> _values = new(StringComparer.Ordinal), _flashes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _valueLengths = new(StringComparer.Ordinal), _flashLengths = new(StringComparer.Ordinal);
    // Keys changed only by Increment/Decrement since the last write, with the sum to add.
    private readonly Dictionary<string, long> _deltas = new(StringComparer.Ordinal);

    /// <summary>Every value goes before the upserts.</summary>
    public bool ClearsValues { get; private set; }

    /// <summary>Every flash goes before the upserts.</summary>
    public bool ClearsFlashes { get; private set; }

    /// <summary>An entry as loaded from the store, <paramref name="length"/> characters stored.</summary>
    public void Loaded(SessionEntryKind kind, string key, int length) =>
        (kind == SessionEntryKind.Value ? _valueLengths : _flashLengths)[key] = length;

    /// <summary>A value was set or deleted: the write carries its whole new state.</summary>
    public void ValueChanged(string key)
    {
        _values.Add(key);
        _deltas.Remove(key);
    }

    /// <summary>
    /// A value was incremented by <paramref name="delta"/>. A count of an Int32 (or of nothing) travels as a delta,
    /// unless a Set of the key is pending: then the value itself is written.
    /// </summary>
    public void ValueAdded(string key, int delta, bool countsAnInt32)
    {
        if (countsAnInt32 && (_deltas.ContainsKey(key) || !_values.Contains(key))) _deltas[key] = _deltas.GetValueOrDefault(key) + delta;
        else _deltas.Remove(key);
        _values.Add(key);
    }

    public void ValuesCleared()
    {
        _values.Clear();
        _deltas.Clear();
        ClearsValues = true;
    }

    public void FlashChanged(string key) => _flashes.Add(key);

    public void FlashesCleared()
    {
        _flashes.Clear();
        ClearsFlashes = true;
    }

    /// <summary>Every entry is new (a copy under a new ID is inserted whole).</summary>
    public void AllNew(IEnumerable<string> values, IEnumerable<string> flashes)
    {
        _values.UnionWith(values);
        _flashes.UnionWith(flashes);
    }

    /// <summary>Nothing will be written (the session is destroyed).</summary>
    public void Discard()
    {
        _values.Clear();
        _flashes.Clear();
    }

    /// <summary>Adds the changed entries, encoded, and the row's new size to <paramref name="write"/>; starts afresh.</summary>
    public void MoveInto(SessionWrite write, OrderedDictionary<string, SessionState.Entry> values, OrderedDictionary<string, SessionState.Flash> flashes)
    {
        if (ClearsValues) _valueLengths.Clear();
        if (ClearsFlashes) _flashLengths.Clear();
        foreach (var key in _values)
        {
            if (values.TryGetValue(key, out var e))
            {
                var (tag, payload) = ValueCodec.Encode(e.Value);
                write.Upserts.Add(new StoredEntry(SessionEntryKind.Value, key, e.Seq, tag, payload, e.Immutable, false,
                    _deltas.TryGetValue(key, out var delta) ? delta : null));
                _valueLengths[key] = payload?.Length ?? 0;
            }
            else
            {
                write.Deletes.Add((SessionEntryKind.Value, key));
                _valueLengths.Remove(key);
            }
        }
        foreach (var key in _flashes)
        {
            if (flashes.TryGetValue(key, out var f))
            {
                var (tag, payload) = ValueCodec.Encode(f.Value);
                write.Upserts.Add(new StoredEntry(SessionEntryKind.Flash, key, f.Seq, tag, payload, false, f.Read));
                _flashLengths[key] = payload?.Length ?? 0;
            }
            else
            {
                write.Deletes.Add((SessionEntryKind.Flash, key));
                _flashLengths.Remove(key);
            }
        }
        write.ValueBytes = _valueLengths.Values.Sum(l => (long)l) + _flashLengths.Values.Sum(l => (long)l);
        _values.Clear();
        _flashes.Clear();
        _deltas.Clear();
        ClearsValues = ClearsFlashes = false;
    }
}
