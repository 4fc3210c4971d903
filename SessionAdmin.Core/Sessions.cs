using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SessionAdmin.Core;

/// <summary>
/// The sessions manager (Iris <c>*Sessions</c>): starts, expires and destroys sessions, and keeps them durable in
/// its <see cref="ISessionDatabase"/>. Thread-safe; one per application.
/// </summary>
public sealed class Sessions : IAsyncDisposable
{
    private const string ContextSessionKey = "iris.session";
    // Sweeps and destroy-all run in batches this size, so request commits get the writer in between.
    private const int BatchSize = 250;
    private static readonly TimeSpan MaxTouchGranularity = TimeSpan.FromMinutes(1);

    private readonly object _scopeKey = new();
    private readonly object _destroyedKey = new();
    private readonly object _commitHookKey = new();
    private readonly TimeProvider _time;
    private readonly SessionCookies _cookies;
    private readonly SessionCache _cache;
    private readonly CommitQueue _queue;
    private readonly Lock _listenersGate = new();
    private readonly List<Action<string>> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sweepLoop;
    private readonly EventDispatcher _dispatcher;
    private ISessionDatabase _database = new MemorySessionDatabase();
    private long _unknownIds, _activeSessions;

    /// <summary>Creates a manager on an in-memory database (until <see cref="UseDatabase"/>), with the system clock.</summary>
    public Sessions(SessionsConfig config) : this(config, TimeProvider.System, null) { }

    /// <summary>Creates a manager with a clock, logging and metrics of your choice.</summary>
    public Sessions(SessionsConfig config, TimeProvider timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _time = timeProvider;
        Logger = (ILogger?)loggerFactory?.CreateLogger<Sessions>() ?? NullLogger.Instance;
        Metrics = new SessionMetrics(meterFactory, () => Interlocked.Read(ref _activeSessions));
        _cookies = new SessionCookies(config, timeProvider, Logger);
        _cache = new SessionCache(config.CacheCapacity);
        _dispatcher = new EventDispatcher(Logger);
        _queue = new CommitQueue(() => _database, OnVanished, OnCommitted, Logger);
        _sweepLoop = SweepLoopAsync(_stopping.Token);
    }

    /// <summary>Iris <c>sessions.New</c>.</summary>
    public static Sessions New(SessionsConfig config) => new(config);

    /// <summary>The configuration this manager runs with.</summary>
    public SessionsConfig Config { get; }

    /// <summary>Raised once per destroyed session, after its removal is durable, with the reason.</summary>
    public event EventHandler<SessionDestroyedEventArgs>? Destroyed;

    /// <summary>Raised after a session's creation or change is durable, on a background thread.</summary>
    public event EventHandler<SessionChangedEventArgs>? Changed;

    /// <summary>The manager's metrics instruments.</summary>
    public SessionMetrics Metrics { get; }

    /// <summary>The store in use.</summary>
    public ISessionDatabase Database => _database;

    /// <summary>Live sessions in the store, as last counted (by the sweep, or <see cref="RefreshActiveCountAsync"/>).</summary>
    public long ActiveSessions => Interlocked.Read(ref _activeSessions);

    /// <summary>How many requests presented a session ID the store did not know (forged, stale or fixation attempts).</summary>
    public long UnknownIdsPresented => Interlocked.Read(ref _unknownIds);

    internal ILogger Logger { get; }
    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    /// <summary>Replaces the store. Call it before serving: what the previous store held is not moved.</summary>
    public void UseDatabase(ISessionDatabase db)
    {
        if (db is null) return;
        var old = Interlocked.Exchange(ref _database, db);
        foreach (var state in _cache.Clear()) state.MarkDestroyed();
        if (old is MemorySessionDatabase && !ReferenceEquals(old, db)) old.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _ = RefreshActiveCountQuietlyAsync();
    }

    // ---------------------------------------------------------------- start

    /// <summary>
    /// The request's session: the live one its cookie names, or a new one (with a fresh ID and a cookie) when the
    /// cookie is absent, malformed, or names no live session (Decision 1). Called again in the same request, it
    /// returns the same session.
    /// </summary>
    public Session Start(HttpContext ctx, params Action<CookieOptions>[] cookieOptions)
    {
        var pending = StartAsync(ctx, cookieOptions);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The asynchronous form of <see cref="Start"/>.</summary>
    public async ValueTask<Session> StartAsync(HttpContext ctx, params Action<CookieOptions>[] cookieOptions)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ScopeOf(ctx) is { } current && !current.State.Destroyed) return current.Session;

        var now = UtcNow;
        var id = _cookies.ReadId(ctx);
        SessionState? state = null;
        if (id is not null && !DestroyedInRequest(ctx, id))
        {
            state = await FindLiveAsync(id, now).ConfigureAwait(false);
            if (state is null)
            {
                Interlocked.Increment(ref _unknownIds);
                Metrics.UnknownId();
                Log.UnknownSessionId(Logger, SessionIds.Hash(id));
            }
        }

        var isNew = state is null;
        if (state is null)
        {
            state = SessionState.CreateNew(NewRecord(ctx, GenerateId(ctx), now));
            _cache.AddNew(state);
            _cookies.Write(ctx, state.Id, Config.Expires, cookieOptions);
            Log.SessionCreated(Logger, SessionIds.Hash(state.Id));
        }
        var seen = state.Version;
        var touch = isNew ? 0 : state.Touch(now, Config.IdleTimeout, TouchGranularity);
        if (!isNew) state.CollectReadFlashes();

        var scope = new RequestScope(this, ctx, state, isNew, cookieOptions);
        if (touch != 0 && scope.RequiredVersion == touch)
        {
            // A use is bookkeeping, not the visitor's data: the response need not wait behind other commits for it.
            scope.RequiredVersion = seen;
            _ = FlushInBackgroundAsync(state, touch);
        }
        ctx.Items[_scopeKey] = scope;
        HookCommit(ctx, scope);
        return scope.Session;
    }

    /// <summary>The session the <see cref="Handler"/> middleware started for this request, or null.</summary>
    public static Session? Get(HttpContext ctx) => ctx.Items.TryGetValue(ContextSessionKey, out var s) ? s as Session : null;

    /// <summary>Middleware that starts the session for every request (read it with <see cref="Get"/>).</summary>
    public Func<RequestDelegate, RequestDelegate> Handler(params Action<CookieOptions>[] cookieOptions) => next => async ctx =>
    {
        try
        {
            ctx.Items[ContextSessionKey] = await StartAsync(ctx, cookieOptions).ConfigureAwait(false);
            await next(ctx).ConfigureAwait(false);
        }
        catch (SessionStoreException ex) when (!ctx.Response.HasStarted)
        {
            Log.RequestCommitFailed(Logger, ex);
            FailRequest(ctx);
        }
    };

    // ---------------------------------------------------------------- destroy

    /// <summary>
    /// Destroys the request's session: server-side removal, a deletion cookie, and <see cref="Get"/> returns null.
    /// A later <see cref="Start"/> in the same request gives a new session with one cookie (Decision 3).
    /// </summary>
    public void Destroy(HttpContext ctx)
    {
        var scope = ScopeOf(ctx);
        var id = scope?.State.Id ?? _cookies.ReadId(ctx);
        if (id is null) return;
        ctx.Items.Remove(ContextSessionKey);
        ctx.Items.Remove(_scopeKey);
        ctx.Items[_destroyedKey] = id;
        _cookies.WriteDeletion(ctx, scope?.CookieOptions ?? []);
        DestroyCore(id, SessionDestroyReason.Destroyed);
    }

    /// <summary>Destroys a session by ID, wherever it is; nothing happens for an ID that is not a live session.</summary>
    public void DestroyByID(string sid) => DestroyCore(sid, SessionDestroyReason.DestroyedByID);

    /// <summary>Destroys a session by ID; true when it was live. <paramref name="actor"/> names the operator, if any.</summary>
    public Task<bool> DestroyByIDAsync(string sid, string? actor = null) => DestroyCoreAsync(sid, SessionDestroyReason.DestroyedByID, actor);

    /// <summary>Destroys every stored session, raising the destroy event for each.</summary>
    public void DestroyAll() => DestroyAllAsync().GetAwaiter().GetResult();

    /// <summary>Destroys every stored session; returns how many there were.</summary>
    public Task<int> DestroyAllAsync(CancellationToken cancellationToken = default) => DestroyAllAsync(null, null, cancellationToken);

    /// <summary>Destroys every stored session, reporting the running count; <paramref name="actor"/> names the operator.</summary>
    public async Task<int> DestroyAllAsync(string? actor, IProgress<int>? progress, CancellationToken cancellationToken = default)
    {
        foreach (var state in _cache.Clear()) state.MarkDestroyed();
        var total = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<string> ids = [];
            await _queue.RunAsync(async (db, ct) => ids = await db.DeleteAllAsync(BatchSize, ct).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var id in ids) RaiseDestroyed(id, SessionDestroyReason.DestroyedAll, actor);
            total += ids.Count;
            progress?.Report(total);
            if (ids.Count < BatchSize) return total;
        }
    }

    /// <summary>Adds a listener called with the ID of every destroyed session (Iris signature).</summary>
    public void OnDestroy(Action<string> listener)
    {
        if (listener is null) return;
        lock (_listenersGate) _listeners.Add(listener);
    }

    internal void DestroyCore(string id, SessionDestroyReason reason) => DestroyCoreAsync(id, reason).GetAwaiter().GetResult();

    private async Task<bool> DestroyCoreAsync(string id, SessionDestroyReason reason, string? actor = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        _cache.Remove(id, tombstone: true)?.MarkDestroyed();
        var outcomes = await _queue.WriteAsync([], new SessionWrite(id) { Delete = true }).ConfigureAwait(false);
        if (outcomes[0] != SessionWriteOutcome.Deleted) return false;
        RaiseDestroyed(id, reason, actor);
        return true;
    }

    // ---------------------------------------------------------------- expiry and IDs

    /// <summary>Moves the absolute expiry to now + <see cref="SessionsConfig.Expires"/> and re-sends the cookie.</summary>
    /// <exception cref="SessionNotFoundException">The request has no live session.</exception>
    public void ShiftExpiration(HttpContext ctx, params Action<CookieOptions>[] cookieOptions) =>
        UpdateExpiration(ctx, Config.Expires, cookieOptions);

    /// <summary>
    /// Moves the absolute expiry to now + <paramref name="expires"/> (when positive) and re-sends the cookie with that
    /// lifetime (zero: long-lived, negative: a browser-session cookie).
    /// </summary>
    /// <exception cref="SessionNotFoundException">The request has no live session.</exception>
    public void UpdateExpiration(HttpContext ctx, TimeSpan expires, params Action<CookieOptions>[] cookieOptions)
    {
        var scope = ScopeOf(ctx);
        var state = scope?.State;
        if (state is null && _cookies.ReadId(ctx) is { } id && !DestroyedInRequest(ctx, id))
            state = FindLiveAsync(id, UtcNow).GetAwaiter().GetResult();
        if (state is null || state.Destroyed) throw new SessionNotFoundException();

        if (expires > TimeSpan.Zero)
        {
            state.SetExpiry(UtcNow + expires);
            if (scope is not null) scope.Wrote(state.Version);
            else CommitNow(state, state.Version);
        }
        _cookies.Write(ctx, state.Id, expires, [.. scope?.CookieOptions ?? [], .. cookieOptions]);
    }

    /// <summary>
    /// Gives the request's session a new ID: values and flashes kept, the old ID dead (its destroy event fires with
    /// <see cref="SessionDestroyReason.Regenerated"/>), the cookie re-sent. Free for a session created in this request.
    /// </summary>
    public void RegenerateID(HttpContext ctx)
    {
        if (ScopeOf(ctx) is null) Start(ctx);
        var scope = ScopeOf(ctx)!;
        var old = scope.State;
        var fresh = old.CloneAs(GenerateId(ctx), UtcNow);
        var persisted = old.Persisted;
        _cache.Remove(old.Id, tombstone: true);
        old.MarkDestroyed();
        _cache.AddNew(fresh);
        scope.State = fresh;
        if (persisted)
        {
            // The copy and the old ID's removal go in one transaction: never both alive, never neither.
            var outcomes = _queue.WriteAsync([fresh], new SessionWrite(old.Id) { Delete = true }).GetAwaiter().GetResult();
            if (outcomes[0] == SessionWriteOutcome.Deleted) RaiseDestroyed(old.Id, SessionDestroyReason.Regenerated);
        }
        scope.RequiredVersion = fresh.Version;
        _cookies.Write(ctx, fresh.Id, ExpiresFor(fresh), scope.CookieOptions);
        Log.Regenerated(Logger, SessionIds.Hash(old.Id), SessionIds.Hash(fresh.Id));
    }

    /// <summary>Removes expired and idle sessions now (the background sweep does this periodically); returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            IReadOnlyList<ExpiredSession> swept = [];
            var now = UtcNow;
            await _queue.RunAsync(async (db, ct) => swept = await db.SweepAsync(now, BatchSize, ct).ConfigureAwait(false)).ConfigureAwait(false);
            foreach (var s in swept)
            {
                _cache.Remove(s.Id, tombstone: true)?.MarkDestroyed();
                RaiseDestroyed(s.Id, s.Reason);
            }
            total += swept.Count;
            if (swept.Count < BatchSize || cancellationToken.IsCancellationRequested) break;
        }
        if (total > 0) Log.Swept(Logger, total);
        return total;
    }

    // ---------------------------------------------------------------- internals

    /// <summary>The value as the session holds it; refused when its stored text would exceed <see cref="SessionsConfig.MaxValueLength"/>.</summary>
    internal object? CheckedValue(string key, object? value)
    {
        object? normalized;
        try
        {
            normalized = ValueCodec.Normalize(value);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"The value of '{key}' cannot be stored: {ex.Message}", ex);
        }
        var length = normalized switch
        {
            string s => s.Length,
            System.Text.Json.JsonElement json => json.GetRawText().Length,
            _ => 0,
        };
        if (length > Config.MaxValueLength)
            throw new ArgumentException($"The value of '{key}' has {length} characters; at most {Config.MaxValueLength} are accepted.");
        return normalized;
    }

    private TimeSpan TouchGranularity =>
        Config.IdleTimeout > TimeSpan.Zero && Config.IdleTimeout / 10 < MaxTouchGranularity ? Config.IdleTimeout / 10 : MaxTouchGranularity;

    private RequestScope? ScopeOf(HttpContext ctx) => ctx.Items.TryGetValue(_scopeKey, out var s) ? s as RequestScope : null;

    private bool DestroyedInRequest(HttpContext ctx, string id) => ctx.Items[_destroyedKey] as string == id;

    private TimeSpan ExpiresFor(SessionState state) =>
        state.ExpiresAtUtc is { } at ? at - UtcNow : Config.Expires;

    private SessionRecord NewRecord(HttpContext ctx, string id, DateTime now)
    {
        var ua = ctx.Request.Headers.UserAgent.ToString();
        return new SessionRecord(
            id, now, now,
            Config.Expires > TimeSpan.Zero ? now + Config.Expires : null,
            Config.IdleTimeout > TimeSpan.Zero ? now + Config.IdleTimeout : null,
            ctx.Connection.RemoteIpAddress?.ToString(),
            ua.Length == 0 ? null : ua.Length > 512 ? ua[..512] : ua);
    }

    private string GenerateId(HttpContext ctx)
    {
        var id = Config.SessionIDGenerator is { } generate ? generate(ctx) : SessionIds.NewId();
        return SessionIds.IsValid(id)
            ? id
            : throw new InvalidOperationException("The SessionIDGenerator returned an empty, too long or cookie-unsafe ID.");
    }

    private async Task<SessionState?> FindLiveAsync(string id, DateTime now)
    {
        var state = _cache.Get(id);
        if (state is null)
        {
            var epoch = _cache.Epoch;
            StoredSession? stored;
            try
            {
                stored = await _database.LoadAsync(id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw new SessionStoreException("The session store could not be read.", ex);
            }
            if (stored is null) return null;
            state = _cache.AddLoaded(SessionState.FromStored(stored), epoch);
            if (state is null) return null;
        }
        if (state.Destroyed || state.Lost) return null;
        if (state.DeadReason(now) is { } reason)
        {
            _ = ExpireInBackgroundAsync(id, reason);
            return null;
        }
        return state;
    }

    private async Task FlushInBackgroundAsync(SessionState state, long version)
    {
        try { await _queue.FlushAsync(state, version).ConfigureAwait(false); }
        catch (SessionStoreException ex) { Log.RequestCommitFailed(Logger, ex); }
    }

    private async Task ExpireInBackgroundAsync(string id, SessionDestroyReason reason)
    {
        try { await DestroyCoreAsync(id, reason).ConfigureAwait(false); }
        catch (Exception ex) { Log.DestroyFailed(Logger, SessionIds.Hash(id), ex); }
    }

    // Registers, once per request, the commit that runs before the response starts (Decision 10).
    private void HookCommit(HttpContext ctx, RequestScope scope)
    {
        if (ctx.Response.HasStarted)
        {
            CommitNow(scope);
            return;
        }
        if (ctx.Items.ContainsKey(_commitHookKey)) return;
        ctx.Items[_commitHookKey] = true;
        ctx.Response.OnStarting(static s =>
        {
            var (manager, context) = ((Sessions, HttpContext))s;
            return manager.CommitRequestAsync(context);
        }, (this, ctx));
    }

    private async Task CommitRequestAsync(HttpContext ctx)
    {
        if (ScopeOf(ctx) is not { } scope) return;
        try
        {
            await _queue.FlushAsync(scope.State, scope.RequiredVersion).WaitAsync(Config.CommitTimeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SessionStoreException or TimeoutException)
        {
            Log.RequestCommitFailed(Logger, ex);
            FailRequest(ctx);
        }
    }

    private void FailRequest(HttpContext ctx)
    {
        ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        ctx.Response.Headers.RetryAfter = "1";
        _cookies.Remove(ctx);
    }

    internal void CommitNow(RequestScope scope) => CommitNow(scope.State, scope.RequiredVersion);

    private void CommitNow(SessionState state, long version) =>
        _queue.FlushAsync(state, version).WaitAsync(Config.CommitTimeout).GetAwaiter().GetResult();

    private void OnCommitted(List<(string Id, bool Created)> committed, TimeSpan duration)
    {
        Metrics.Committed(duration);
        foreach (var (_, created) in committed)
        {
            if (created) { Metrics.Created(); Interlocked.Increment(ref _activeSessions); }
        }
        if (Changed is null || committed.Count == 0) return;
        var at = _time.GetUtcNow();
        _dispatcher.Post(() =>
        {
            foreach (var (id, created) in committed) Changed?.Invoke(this, new SessionChangedEventArgs(id, created, at));
        });
    }

    /// <summary>Counts the live sessions in the store now (also done after every sweep).</summary>
    public async Task<long> RefreshActiveCountAsync(CancellationToken cancellationToken = default)
    {
        var count = await _database.CountAsync(UtcNow, cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _activeSessions, count);
        return count;
    }

    private async Task RefreshActiveCountQuietlyAsync()
    {
        try { await RefreshActiveCountAsync().ConfigureAwait(false); }
        catch (Exception ex) { Log.SweepFailed(Logger, ex); }
    }

    /// <summary>Applies <paramref name="edit"/> to a live session and commits it; false when there is no such session.</summary>
    internal async Task<bool> EditAsync(string id, Func<SessionState, long> edit)
    {
        var state = await FindLiveAsync(id, UtcNow).ConfigureAwait(false);
        if (state is null) return false;
        var version = edit(state);
        await _queue.FlushAsync(state, version).WaitAsync(Config.CommitTimeout).ConfigureAwait(false);
        return !state.Destroyed;
    }

    // A flushed session the store no longer holds (destroyed by another node or a failed commit): forget it.
    private void OnVanished(SessionState state)
    {
        _cache.RemoveExact(state);
        if (!state.Lost) state.MarkDestroyed();
    }

    private void RaiseDestroyed(string id, SessionDestroyReason reason, string? actor = null)
    {
        if (Interlocked.Decrement(ref _activeSessions) < 0) Interlocked.Exchange(ref _activeSessions, 0);
        Log.SessionDestroyed(Logger, SessionIds.Hash(id), reason);
        Metrics.Destroyed(reason);
        Action<string>[] listeners;
        lock (_listenersGate) listeners = [.. _listeners];
        foreach (var listener in listeners)
        {
            try { listener(id); }
            catch (Exception ex) { Log.ListenerFailed(Logger, SessionIds.Hash(id), ex); }
        }
        if (Destroyed is not { } handlers) return;
        var args = new SessionDestroyedEventArgs(id, reason, _time.GetUtcNow(), actor);
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<SessionDestroyedEventArgs>>())
        {
            try { handler(this, args); }
            catch (Exception ex) { Log.ListenerFailed(Logger, SessionIds.Hash(id), ex); }
        }
    }

    private async Task SweepLoopAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var interval = Config.SweepInterval > TimeSpan.Zero ? Config.SweepInterval : TimeSpan.FromSeconds(30);
        using var timer = new PeriodicTimer(interval, _time);
        var sweeps = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                try
                {
                    await SweepExpiredAsync(stopping).ConfigureAwait(false);
                    // The running count drifts only through other nodes or lost events: recount every tenth sweep.
                    if (++sweeps % 10 == 0) await RefreshActiveCountAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested) { Log.SweepFailed(Logger, ex); }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    /// <summary>Stops the sweep, flushes pending commits and disposes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweepLoop.ConfigureAwait(false);
        await _queue.DisposeAsync().ConfigureAwait(false);
        await _dispatcher.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
        Metrics.Dispose();
        _stopping.Dispose();
    }
}
