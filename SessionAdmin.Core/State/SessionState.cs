using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core.State;

/// <summary>
/// The one in-process object per live session, shared by every concurrent request on it: values, flashes,
/// timestamps and the changes not yet durable. Every member takes the session's lock. Its flashes: SessionState.Flashes.cs.
/// </summary>
internal sealed partial class SessionState
{
    // StoredLength: the length of the payload the store holds for it as of the last write or load (the row's size is
    // their sum, known without asking the store).
    internal readonly record struct Entry(object? Value, bool Immutable, long Seq, int StoredLength = 0);
    internal readonly record struct Flash(object? Value, bool Read, long Seq, int StoredLength = 0);

    private readonly Lock _gate = new();
    private readonly OrderedDictionary<string, Entry> _values = new(StringComparer.Ordinal);
    // Created with the first flash: most sessions never have one, and every cached session's empty table is copied by
    // each collection of the heap that finds it young.
    private OrderedDictionary<string, Flash>? _flashStore;
    private OrderedDictionary<string, Flash> Flashes => _flashStore ??= new(StringComparer.Ordinal);
    private int FlashCount => _flashStore?.Count ?? 0;
    private readonly EntryChanges _changes = new();
    private long _rowVersion;
    private bool _insertPending, _touchDirty, _expiryDirty;
    // The row's insert was taken into a write that is not durable yet.
    private bool _insertInFlight;
    private long _nextSeq, _version, _durableVersion;
    private DateTime _persistedLastAccessUtc;
    // The key whose string value names the principal (null: off), and whether the store's index must learn a change.
    private readonly string? _principalKey;
    private string? _principal;
    private bool _principalDirty;

    private SessionState(SessionRecord record, string? principalKey)
    {
        _principalKey = principalKey;
        Id = record.Id;
        CreatedUtc = record.CreatedUtc;
        LastAccessUtc = record.LastAccessUtc;
        _persistedLastAccessUtc = record.LastAccessUtc;
        ExpiresAtUtc = record.ExpiresAtUtc;
        IdleDeadlineUtc = record.IdleDeadlineUtc;
        RemoteIp = record.RemoteIp;
        UserAgent = record.UserAgent;
    }

    public string Id { get; }
    public DateTime CreatedUtc { get; }
    public DateTime LastAccessUtc { get; private set; }
    public DateTime? ExpiresAtUtc { get; private set; }
    public DateTime? IdleDeadlineUtc { get; private set; }
    public string? RemoteIp { get; }
    public string? UserAgent { get; }

    /// <summary>Destroyed: a sink from now on; nothing it holds is written again.</summary>
    public bool Destroyed { get { lock (_gate) return _destroyed; } }
    private bool _destroyed;

    /// <summary>A commit of this state failed: the store is the truth again, and this copy is dropped.</summary>
    public bool Lost { get { lock (_gate) return _lost; } }
    private bool _lost;

    /// <summary>Whether no write of this session ever reached the store: it lives in this process only.</summary>
    public bool NeverWritten { get { lock (_gate) return NeverWrittenCore; } }
    private bool NeverWrittenCore => _insertPending && !_inStore && !_insertInFlight;

    /// <summary>Whether the session row exists in the store (its insert is durable).</summary>
    public bool Persisted { get { lock (_gate) return _inStore; } }
    private bool _inStore;

    public long Version { get { lock (_gate) return _version; } }

    /// <summary>The store's row version this copy reflects (0 when the store keeps none).</summary>
    public long RowVersion { get { lock (_gate) return _rowVersion; } }

    /// <summary>The principal its values name (see <see cref="SessionsConfig.PrincipalKey"/>), or null.</summary>
    public string? Principal { get { lock (_gate) return _principal; } }

    public static SessionState CreateNew(SessionRecord record, string? principalKey)
    {
        // Version 0: nothing to make durable yet. The row is inserted with the first change (an empty session costs
        // the store nothing, so a flood of unknown cookies writes nothing).
        return new SessionState(record, principalKey) { _insertPending = true };
    }

    public static SessionState FromStored(StoredSession stored, string? principalKey)
    {
        var state = new SessionState(stored.Record, principalKey) { _inStore = true, _rowVersion = stored.Version };
        foreach (var e in stored.Entries.OrderBy(e => e.Seq))
        {
            var value = ValueCodec.Decode(e.TypeTag, e.Payload);
            var length = e.Payload?.Length ?? 0;
            if (e.Kind == SessionEntryKind.Value) state._values[e.Key] = new Entry(value, e.Immutable, e.Seq, length);
            else state.Flashes[e.Key] = new Flash(value, e.FlashRead, e.Seq, length);
            state._nextSeq = Math.Max(state._nextSeq, e.Seq + 1);
        }
        state._principal = state.PrincipalOfValues();
        // A row indexed under another key (or not at all) learns the right principal with its next write.
        state._principalDirty = state._principal != stored.Record.Principal;
        return state;
    }

    /// <summary>A copy under a new ID, to be inserted whole (RegenerateID).</summary>
    public SessionState CloneAs(string newId, DateTime nowUtc)
    {
        lock (_gate)
        {
            var copy = CreateNew(new SessionRecord(newId, CreatedUtc, nowUtc, ExpiresAtUtc, IdleDeadlineUtc, RemoteIp, UserAgent), _principalKey);
            foreach (var (k, v) in _values) copy._values[k] = v;
            if (_flashStore is not null) foreach (var (k, f) in _flashStore) copy.Flashes[k] = f;
            copy._changes.AllNew(_values.Keys, _flashStore?.Keys);
            copy._nextSeq = _nextSeq;
            copy._principal = _principal;
            if (copy._values.Count + copy.FlashCount > 0) copy._version = 1;
            return copy;
        }
    }

    /// <summary>Why the session is dead at <paramref name="nowUtc"/>, or null while it lives.</summary>
    public SessionDestroyReason? DeadReason(DateTime nowUtc)
    {
        lock (_gate)
        {
            if (ExpiresAtUtc is { } exp && exp <= nowUtc) return SessionDestroyReason.Expired;
            if (IdleDeadlineUtc is { } idle && idle <= nowUtc) return SessionDestroyReason.IdleTimeout;
            return null;
        }
    }

    /// <summary>Counts a use; the store learns of it once per <paramref name="granularity"/>, so reads stay free.</summary>
    /// <returns>The version that makes the touch durable, or 0 when the store need not hear of it yet.</returns>
    public long Touch(DateTime nowUtc, TimeSpan idleTimeout, TimeSpan granularity)
    {
        lock (_gate)
        {
            if (_destroyed) return 0;
            LastAccessUtc = nowUtc;
            if (idleTimeout > TimeSpan.Zero) IdleDeadlineUtc = nowUtc + idleTimeout;
            // A row not inserted yet will carry the last use when it is.
            if (_insertPending) return 0;
            if (nowUtc - _persistedLastAccessUtc < granularity || _touchDirty) return 0;
            _touchDirty = true;
            return ++_version;
        }
    }

    public void SetExpiry(DateTime? expiresAtUtc)
    {
        lock (_gate)
        {
            if (_destroyed) return;
            ExpiresAtUtc = expiresAtUtc;
            _expiryDirty = true;
            _version++;
        }
    }

    // ---- values ----

    public object? Get(string key, out bool found)
    {
        lock (_gate)
        {
            found = _values.TryGetValue(key, out var e);
            return found ? e.Value : null;
        }
    }

    /// <summary>Sets a value; false when an immutable entry refused it.</summary>
    public bool Set(string key, object? value, bool immutable)
    {
        lock (_gate)
        {
            if (_destroyed) return true;
            if (_values.TryGetValue(key, out var old))
            {
                if (old.Immutable && !immutable) return false;
                _values[key] = new Entry(value, immutable, old.Seq);
            }
            else
            {
                _values[key] = new Entry(value, immutable, _nextSeq++);
            }
            _changes.ValueChanged(key);
            PrincipalMayHaveChanged(key);
            _version++;
            return true;
        }
    }

    public bool Delete(string key)
    {
        lock (_gate)
        {
            if (_destroyed || !_values.Remove(key)) return false;
            _changes.ValueChanged(key);
            PrincipalMayHaveChanged(key);
            _version++;
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            if (_destroyed) return;
            _values.Clear();
            _changes.ValuesCleared();
            PrincipalMayHaveChanged(_principalKey);
            _version++;
        }
    }

    public int Len() { lock (_gate) return _values.Count; }

    public List<KeyValuePair<string, object?>> Values()
    {
        lock (_gate)
        {
            var list = new List<KeyValuePair<string, object?>>(_values.Count);
            foreach (var (k, e) in _values) list.Add(new(k, e.Value));
            return list;
        }
    }

    // Under the lock: recomputes the principal after a change of `key`, so the store's index follows in the same write.
    private void PrincipalMayHaveChanged(string? key)
    {
        if (_principalKey is null || key != _principalKey) return;
        var principal = PrincipalOfValues();
        if (principal == _principal) return;
        _principal = principal;
        _principalDirty = true;
    }

    private string? PrincipalOfValues() =>
        _principalKey is not null && _values.TryGetValue(_principalKey, out var e) ? PrincipalOf(e.Value) : null;

    /// <summary>
    /// Only a non-empty string names a principal; one the store cannot index (too long, or not plain text: Set refuses
    /// those, but a value stored before the key was the principal key may be one) names none, as the re-index decides.
    /// </summary>
    public static string? PrincipalOf(object? value) =>
        value is string { Length: > 0 and <= Session.MaxPrincipalLength } s && ValueCodec.IsStorableText(s) ? s : null;

    /// <summary>Adds <paramref name="delta"/> under the lock, so concurrent calls never lose a count (Decision 8).</summary>
    public int Add(string key, int delta)
    {
        lock (_gate)
        {
            int current = 0;
            if (_values.TryGetValue(key, out var old) && !ValueConversion.TryInt32(old.Value, out current))
                throw new SessionEntryNotFoundException(key, typeof(int), old.Value);
            var next = checked(current + delta);
            if (_destroyed) return next;
            var exists = _values.ContainsKey(key);
            if (old.Immutable && exists) return next;
            _changes.ValueAdded(key, delta, countsAnInt32: !exists || old.Value is int);
            _values[key] = new Entry(next, false, exists ? old.Seq : _nextSeq++);
            PrincipalMayHaveChanged(key);
            _version++;
            return next;
        }
    }

    // ---- durability ----

    public bool IsDurable(long version) { lock (_gate) return _destroyed || _durableVersion >= version; }

    /// <summary>Takes the changes not yet written, as one write, and the version they bring the store to.</summary>
    /// <param name="limit">The session limit per principal, enforced with a write that gives the session a principal.</param>
    /// <param name="version">The version the write brings the store to.</param>
    public SessionWrite? TakeWrite(PrincipalLimit? limit, out long version)
    {
        lock (_gate)
        {
            version = _version;
            if (_destroyed || _lost || (_durableVersion >= _version && !_principalDirty)) return null;
            var principalChanged = _principalDirty || (_insertPending && _principal is not null);
            var write = new SessionWrite(Id)
            {
                Insert = _insertPending
                    ? new SessionRecord(Id, CreatedUtc, LastAccessUtc, ExpiresAtUtc, IdleDeadlineUtc, RemoteIp, UserAgent, _principal)
                    : null,
                PrincipalChanged = principalChanged,
                Principal = _principal,
                Limit = principalChanged && _principal is not null ? limit : null,
                Touch = _touchDirty,
                LastAccessUtc = LastAccessUtc,
                IdleDeadlineUtc = IdleDeadlineUtc,
                ExpiryChanged = _expiryDirty,
                ExpiresAtUtc = ExpiresAtUtc,
                ClearValues = _changes.ClearsValues,
                ClearFlashes = _changes.ClearsFlashes,
                ValueCount = _values.Count,
            };
            _changes.MoveInto(write, _values, _flashStore);
            if (_touchDirty) _persistedLastAccessUtc = LastAccessUtc;
            _insertPending = _touchDirty = _expiryDirty = _principalDirty = false;
            _insertInFlight = write.Insert is not null;
            return write;
        }
    }

    /// <summary>Records a durable write; false when the row's version shows another node wrote in between.</summary>
    public bool MarkDurable(long version, long rowVersion)
    {
        lock (_gate)
        {
            if (version > _durableVersion) _durableVersion = version;
            if (_insertInFlight) { _inStore = true; _insertInFlight = false; }
            if (rowVersion == 0) return true;
            var current = _rowVersion == 0 ? rowVersion == 1 : rowVersion == _rowVersion + 1;
            _rowVersion = rowVersion;
            return current;
        }
    }

    public void MarkLost() { lock (_gate) _lost = true; }

    /// <summary>Makes the state a sink: reads find nothing, writes are dropped.</summary>
    /// <returns>True when this call destroyed a session the store never held (nobody else will announce its end).</returns>
    public bool MarkDestroyed()
    {
        lock (_gate)
        {
            var onlyHere = !_destroyed && NeverWrittenCore;
            _destroyed = true;
            _values.Clear();
            _flashStore = null;
            _changes.Discard();
            return onlyHere;
        }
    }
}
