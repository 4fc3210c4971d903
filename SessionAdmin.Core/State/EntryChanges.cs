using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.State;

/// <summary>
/// A session's entry changes not yet written: which values and flashes changed (a write encodes only those), which
/// counters travel as deltas (a shared store adds them, so two nodes never lose a count), and whether all of a kind was
/// cleared. A write records each entry's stored length in the entry itself. Not thread-safe: its
/// <see cref="SessionState"/> calls it under the session's lock. Its sets exist only while they hold something: one is
/// kept per cached session, and what every cached session carries is what each collection of the heap copies.
/// </summary>
internal sealed class EntryChanges
{
    // Keys changed since the last write (null: none).
    private HashSet<string>? _values, _flashes;
    // Keys changed only by Increment/Decrement since the last write, with the sum to add.
    private Dictionary<string, long>? _deltas;

    private static HashSet<string> Keys() => new(StringComparer.Ordinal);

    /// <summary>Every value goes before the upserts.</summary>
    public bool ClearsValues { get; private set; }

    /// <summary>Every flash goes before the upserts.</summary>
    public bool ClearsFlashes { get; private set; }

    /// <summary>A value was set or deleted: the write carries its whole new state.</summary>
    public void ValueChanged(string key)
    {
        (_values ??= Keys()).Add(key);
        _deltas?.Remove(key);
    }

    /// <summary>
    /// A value was incremented by <paramref name="delta"/>. A count of an Int32 (or of nothing) travels as a delta,
    /// unless a Set of the key is pending: then the value itself is written.
    /// </summary>
    public void ValueAdded(string key, int delta, bool countsAnInt32)
    {
        _values ??= Keys();
        if (countsAnInt32 && (_deltas?.ContainsKey(key) == true || !_values.Contains(key)))
        {
            _deltas ??= new(StringComparer.Ordinal);
            _deltas[key] = _deltas.GetValueOrDefault(key) + delta;
        }
        else _deltas?.Remove(key);
        _values.Add(key);
    }

    public void ValuesCleared()
    {
        _values = null;
        _deltas = null;
        ClearsValues = true;
    }

    public void FlashChanged(string key) => (_flashes ??= Keys()).Add(key);

    public void FlashesCleared()
    {
        _flashes = null;
        ClearsFlashes = true;
    }

    /// <summary>Every entry is new (a copy under a new ID is inserted whole); a set is made only for keys it gets.</summary>
    public void AllNew(IEnumerable<string> values, IEnumerable<string>? flashes)
    {
        foreach (var key in values) (_values ??= Keys()).Add(key);
        foreach (var key in flashes ?? []) (_flashes ??= Keys()).Add(key);
    }

    /// <summary>Nothing will be written (the session is destroyed).</summary>
    public void Discard() => _values = _flashes = null;

    /// <summary>
    /// Adds the changed entries, encoded, and the row's new size to <paramref name="write"/>, records their stored
    /// lengths in <paramref name="values"/> and <paramref name="flashes"/>; starts afresh.
    /// </summary>
    public void MoveInto(SessionWrite write, OrderedDictionary<string, SessionState.Entry> values, OrderedDictionary<string, SessionState.Flash>? flashes)
    {
        foreach (var key in _values ?? [])
        {
            if (values.TryGetValue(key, out var e))
            {
                var (tag, payload) = ValueCodec.Encode(e.Value);
                write.Upserts.Add(new StoredEntry(SessionEntryKind.Value, key, e.Seq, tag, payload, e.Immutable, false,
                    _deltas is not null && _deltas.TryGetValue(key, out var delta) ? delta : null));
                values[key] = e with { StoredLength = payload?.Length ?? 0 };
            }
            else
            {
                write.Deletes.Add((SessionEntryKind.Value, key));
            }
        }
        foreach (var key in _flashes ?? [])
        {
            if (flashes is not null && flashes.TryGetValue(key, out var f))
            {
                var (tag, payload) = ValueCodec.Encode(f.Value);
                write.Upserts.Add(new StoredEntry(SessionEntryKind.Flash, key, f.Seq, tag, payload, false, f.Read));
                flashes[key] = f with { StoredLength = payload?.Length ?? 0 };
            }
            else
            {
                write.Deletes.Add((SessionEntryKind.Flash, key));
            }
        }
        long bytes = 0;
        foreach (var (_, e) in values) bytes += e.StoredLength;
        if (flashes is not null) foreach (var (_, f) in flashes) bytes += f.StoredLength;
        write.ValueBytes = bytes;
        _values = _flashes = null;
        _deltas = null;
        ClearsValues = ClearsFlashes = false;
    }
}
