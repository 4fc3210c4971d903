namespace SessionAdmin.Core.State;

// Flashes (Decision 6): values for the next request only. A read marks a flash; a later request's start removes it.
internal sealed partial class SessionState
{
    public void SetFlash(string key, object? value)
    {
        lock (_gate)
        {
            if (_destroyed) return;
            var seq = Flashes.TryGetValue(key, out var old) ? old.Seq : _nextSeq++;
            Flashes[key] = new Flash(value, false, seq);
            _changes.FlashChanged(key);
            _version++;
        }
    }

    /// <summary>Reads a flash; with <paramref name="mark"/> it is removed when a later request starts the session.</summary>
    public object? ReadFlash(string key, bool mark)
    {
        lock (_gate)
        {
            if (_flashStore is null || !_flashStore.TryGetValue(key, out var f)) return null;
            if (mark && !f.Read)
            {
                _flashStore[key] = f with { Read = true };
                _changes.FlashChanged(key);
                _version++;
            }
            return f.Value;
        }
    }

    public Dictionary<string, object?> ReadFlashes()
    {
        lock (_gate)
        {
            var all = new Dictionary<string, object?>(FlashCount, StringComparer.Ordinal);
            if (_flashStore is null) return all;
            bool marked = false;
            foreach (var key in _flashStore.Keys.ToList())
            {
                var f = _flashStore[key];
                all[key] = f.Value;
                if (f.Read) continue;
                _flashStore[key] = f with { Read = true };
                _changes.FlashChanged(key);
                marked = true;
            }
            if (marked) _version++;
            return all;
        }
    }

    public bool HasFlash() { lock (_gate) return FlashCount > 0; }

    public void DeleteFlash(string key)
    {
        lock (_gate)
        {
            if (_destroyed || _flashStore is null || !_flashStore.Remove(key)) return;
            _changes.FlashChanged(key);
            _version++;
        }
    }

    public void ClearFlashes()
    {
        lock (_gate)
        {
            if (_destroyed || FlashCount == 0) return;
            _flashStore = null;
            _changes.FlashesCleared();
            _version++;
        }
    }

    /// <summary>Drops the flashes read by earlier requests (Decision 6).</summary>
    public void CollectReadFlashes()
    {
        lock (_gate)
        {
            if (_flashStore is not { Count: > 0 } flashes) return;
            bool removed = false;
            foreach (var key in flashes.Where(kv => kv.Value.Read).Select(kv => kv.Key).ToList())
            {
                flashes.Remove(key);
                _changes.FlashChanged(key);
                removed = true;
            }
            if (removed) _version++;
        }
    }
}
