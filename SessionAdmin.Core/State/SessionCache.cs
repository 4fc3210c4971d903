namespace SessionAdmin.Core.State;

/// <summary>
/// The bounded set of loaded sessions (least recently used goes first; the store is the truth). It also
/// remembers recently destroyed IDs, so a load that raced a destroy cannot bring the session back.
/// </summary>
internal sealed class SessionCache
{
    private const int TombstoneCapacity = 65_536;
    private readonly Lock _gate = new();
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<SessionState>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<SessionState> _lru = new();
    private readonly HashSet<string> _tombstones = new(StringComparer.Ordinal);
    private readonly Queue<string> _tombstoneOrder = new();
    private long _epoch;

    public SessionCache(int capacity) => _capacity = capacity;

    /// <summary>Changes whenever everything was destroyed; a load started in an older epoch is void.</summary>
    public long Epoch { get { lock (_gate) return _epoch; } }

    public SessionState? Get(string id)
    {
        lock (_gate)
        {
            if (!_map.TryGetValue(id, out var node)) return null;
            _lru.Remove(node);
            _lru.AddFirst(node);
            return node.Value;
        }
    }

    /// <summary>The cached state, without counting it as used (for bookkeeping lookups).</summary>
    public SessionState? Peek(string id)
    {
        lock (_gate) return _map.TryGetValue(id, out var node) ? node.Value : null;
    }

    /// <summary>Adds a state loaded from the store; null when a destroy happened since the load began.</summary>
    public SessionState? AddLoaded(SessionState state, long epochAtLoad)
    {
        lock (_gate)
        {
            if (epochAtLoad != _epoch || _tombstones.Contains(state.Id)) return null;
            if (_map.TryGetValue(state.Id, out var existing)) return existing.Value;
            AddCore(state);
            return state;
        }
    }

    /// <summary>Adds a session created in this process.</summary>
    public void AddNew(SessionState state)
    {
        lock (_gate)
        {
            if (_map.Remove(state.Id, out var old)) _lru.Remove(old);
            AddCore(state);
        }
    }

    /// <summary>Forgets a session; with <paramref name="tombstone"/> a racing load of it is refused too.</summary>
    public SessionState? Remove(string id, bool tombstone)
    {
        lock (_gate)
        {
            if (tombstone && _tombstones.Add(id))
            {
                _tombstoneOrder.Enqueue(id);
                if (_tombstoneOrder.Count > TombstoneCapacity) _tombstones.Remove(_tombstoneOrder.Dequeue());
            }
            if (!_map.Remove(id, out var node)) return null;
            _lru.Remove(node);
            return node.Value;
        }
    }

    /// <summary>Removes only this very state (not a newer one under the same ID).</summary>
    public void RemoveExact(SessionState state)
    {
        lock (_gate)
        {
            if (_map.TryGetValue(state.Id, out var node) && ReferenceEquals(node.Value, state))
            {
                _map.Remove(state.Id);
                _lru.Remove(node);
            }
        }
    }

    /// <summary>Removes and returns the states that match (called under the cache's lock: keep it cheap).</summary>
    public List<SessionState> RemoveWhere(Func<SessionState, bool> match)
    {
        lock (_gate)
        {
            var removed = new List<SessionState>();
            for (var node = _lru.First; node is not null;)
            {
                var next = node.Next;
                if (match(node.Value))
                {
                    _lru.Remove(node);
                    _map.Remove(node.Value.Id);
                    removed.Add(node.Value);
                }
                node = next;
            }
            return removed;
        }
    }

    /// <summary>Empties the cache and starts a new epoch; returns what it held.</summary>
    public List<SessionState> Clear()
    {
        lock (_gate)
        {
            _epoch++;
            var all = _lru.ToList();
            _map.Clear();
            _lru.Clear();
            return all;
        }
    }

    private void AddCore(SessionState state)
    {
        _map[state.Id] = _lru.AddFirst(state);
        // Evicting drops only the in-memory copy; anything not yet durable is still owned by its request.
        while (_map.Count > _capacity && _lru.Last is { } last)
        {
            _lru.RemoveLast();
            _map.Remove(last.Value.Id);
        }
    }
}
