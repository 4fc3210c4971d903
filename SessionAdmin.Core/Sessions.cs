using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAdmin.Core.Commits;
using SessionAdmin.Core.Events;
using SessionAdmin.Core.Expiry;
using SessionAdmin.Core.Peers;
using SessionAdmin.Core.Removal;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

/// <summary>
/// The sessions manager (Iris <c>*Sessions</c>): starts, expires and destroys sessions, and keeps them durable in
/// its <see cref="ISessionDatabase"/>. Thread-safe; one per application.
/// </summary>
/// <remarks>
/// The Iris API, delegating to its parts: <see cref="SessionCookies"/> (the cookie), <see cref="SessionLookup"/> and
/// <see cref="SessionCache"/> (finding a live session), <see cref="ResponseCommit"/> and <see cref="CommitQueue"/>
/// (durability before the response), <see cref="SessionRemover"/> (ending sessions), <see cref="SessionEvents"/>
/// (listeners, events, the live count), <see cref="ExpirySweeper"/>, <see cref="PeerListener"/> and
/// <see cref="PeerChangeHandler"/> (other nodes). docs/ARCHITECTURE.md walks one request through them.
/// </remarks>
public sealed partial class Sessions : IAsyncDisposable
{
    private static readonly TimeSpan MaxTouchGranularity = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time;
    private readonly RequestItems _items = new();
    private readonly NewSessions _newSessions;
    private readonly SessionCookies _cookies;
    private readonly SessionCache _cache;
    private readonly CommitQueue _queue;
    private readonly ResponseCommit _commit;
    private readonly SessionEvents _events;
    private readonly SessionRemover _remover;
    private readonly SessionLookup _lookup;
    private readonly PeerChangeHandler _peerChanges;
    private readonly UnknownIdReport _unknownIds;
    private readonly StoreOutage _outage;
    private ISessionDatabase _database = new MemorySessionDatabase();
    private PeerListener? _peerListener;
    private int _disposed;

    /// <summary>Creates a manager on an in-memory database (until <see cref="UseDatabase"/>), with the system clock.</summary>
    public Sessions(SessionsConfig config) : this(config, TimeProvider.System, null) { }

    /// <summary>Creates a manager with a clock, logging and metrics of your choice.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (see <see cref="SessionsConfigRules"/>).</exception>
    public Sessions(SessionsConfig config, TimeProvider timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory = null)
        : this(config, timeProvider, loggerFactory, meterFactory, sweepsOnItsOwn: true) { }

    // sweepsOnItsOwn: false when the host runs the sweeper (AddSessions registers it as a hosted service).
    internal Sessions(SessionsConfig config, TimeProvider timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, bool sweepsOnItsOwn)
    {
        ArgumentNullException.ThrowIfNull(config);
        SessionsConfigRules.ThrowIfInvalid(config);
        Config = config;
        _time = timeProvider;
        Logger = (ILogger?)loggerFactory?.CreateLogger<Sessions>() ?? NullLogger.Instance;
        Metrics = new SessionMetrics(meterFactory, () => ActiveSessions);
        ValueRules = new ValueRules(config.MaxValueLength, config.PrincipalKey);
        _newSessions = new NewSessions(config, timeProvider);
        _cookies = new SessionCookies(config, timeProvider, Logger);
        _cache = new SessionCache(config.CacheCapacity);
        _outage = new StoreOutage(Logger, timeProvider);
        _events = new SessionEvents(this, timeProvider, Logger, Metrics);
        _queue = new CommitQueue(() => _database, state => _remover!.Vanished(state), _cache.RemoveExact, _events.Committed,
            evicted => _remover!.Evicted(evicted), Logger, _outage, config.CommitTimeout,
            config.MaxSessionsPerPrincipal > 0 ? new PrincipalLimit(config.MaxSessionsPerPrincipal, RecentUse, () => UtcNow) : null);
        _commit = new ResponseCommit(_queue, _items, _cookies, _outage);
        _remover = new SessionRemover(_cache, _queue, _events, _outage, () => UtcNow, Logger);
        _lookup = new SessionLookup(_cache, () => _database, _remover, _outage, PrincipalKey);
        _peerChanges = new PeerChangeHandler(_cache, _remover, _events, Metrics, Logger);
        _unknownIds = new UnknownIdReport(Logger, timeProvider, Metrics, () => _cookies.Malformed);
        Sweeper = new ExpirySweeper(config.SweepInterval, timeProvider,
            ct => { _unknownIds.Report(); return SweepExpiredAsync(ct); },
            ct => RefreshActiveCountAsync(ct),
            ex => _outage.OperationFailed("sweep", ex));
        if (sweepsOnItsOwn) Sweeper.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Iris <c>sessions.New</c>.</summary>
    public static Sessions New(SessionsConfig config) => new(config);

    /// <summary>The configuration this manager runs with.</summary>
    public SessionsConfig Config { get; }

    /// <summary>Raised once per destroyed session, after its removal is durable, with the reason.</summary>
    public event EventHandler<SessionDestroyedEventArgs>? Destroyed { add => _events.Destroyed += value; remove => _events.Destroyed -= value; }

    /// <summary>Raised after a session's creation or change is durable, on a background thread.</summary>
    public event EventHandler<SessionChangedEventArgs>? Changed { add => _events.Changed += value; remove => _events.Changed -= value; }

    /// <summary>
    /// Raised when another node sharing the store created or changed a session. <see cref="Changed"/> stays for this
    /// node's own commits.
    /// </summary>
    public event EventHandler<SessionChangedEventArgs>? PeerChanged { add => _events.PeerChanged += value; remove => _events.PeerChanged -= value; }

    /// <summary>
    /// Raised when another node sharing the store destroyed a session. <see cref="Destroyed"/> and the
    /// <see cref="OnDestroy"/> listeners fire once in the cluster: on the node that removed the session.
    /// </summary>
    public event EventHandler<SessionDestroyedEventArgs>? PeerDestroyed { add => _events.PeerDestroyed += value; remove => _events.PeerDestroyed -= value; }

    /// <summary>The manager's metrics instruments.</summary>
    public SessionMetrics Metrics { get; }

    /// <summary>The store in use.</summary>
    public ISessionDatabase Database => _database;

    /// <summary>The store as the admin API queries it (EF Core); null for a store it cannot query (memory).</summary>
    internal IQueryableSessionStore? QueryableStore => _database as IQueryableSessionStore;

    /// <summary>Live sessions in the store: counted at start and now and then by the sweep, kept up to date in between.</summary>
    public long ActiveSessions => _events.ActiveSessions;

    /// <summary>How many requests presented a session ID the store did not know (forged, stale or fixation attempts).</summary>
    public long UnknownIdsPresented => _unknownIds.Presented;

    /// <summary>What a session accepts as a value.</summary>
    internal ValueRules ValueRules { get; }

    internal ILogger Logger { get; }

    /// <summary>The expiry sweep; under DI the host runs it.</summary>
    internal ExpirySweeper Sweeper { get; }

    private DateTime UtcNow => _time.GetUtcNow().UtcDateTime;

    /// <summary>Replaces the store. Call it before serving: what the previous store held is not moved.</summary>
    public void UseDatabase(ISessionDatabase db)
    {
        if (db is null) return;
        var old = Interlocked.Exchange(ref _database, db);
        foreach (var state in _cache.Clear()) state.MarkDestroyed();
        if (old is MemorySessionDatabase && !ReferenceEquals(old, db)) old.DisposeAsync().AsTask().GetAwaiter().GetResult();
        db.IndexPrincipalsAsync(PrincipalKey, CancellationToken.None).GetAwaiter().GetResult();
        if (db.Peers() is { } peers) _peerListener = new PeerListener(peers, _peerChanges.Apply, Logger);
        _ = RefreshActiveCountQuietlyAsync();
    }

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
        if (_items.Scope(ctx) is { } current && !current.State.Destroyed) return current.Session;

        var now = UtcNow;
        var id = _cookies.ReadId(ctx);
        SessionState? state = null;
        if (id is not null && !_items.DestroyedInRequest(ctx, id))
        {
            state = await _lookup.FindLiveAsync(id, now).ConfigureAwait(false);
            if (state is null) _unknownIds.Unknown(id);
        }

        var isNew = state is null;
        if (state is null)
        {
            state = SessionState.CreateNew(_newSessions.Record(ctx, now), PrincipalKey);
            _cache.AddNew(state);
            _cookies.Write(ctx, state.Id, Config.Expires, cookieOptions);
            Log.SessionCreated(Logger, state.Id);
        }
        var seen = state.Version;
        var touch = isNew ? 0 : state.Touch(now, Config.IdleTimeout, TouchGranularity);
        if (!isNew) state.CollectReadFlashes();

        var scope = new RequestScope(this, ctx, state, isNew, cookieOptions);
        if (touch != 0 && scope.RequiredVersion == touch)
        {
            // A use is bookkeeping, not the visitor's data: the response need not wait behind other commits for it.
            scope.RequiredVersion = seen;
            _commit.FlushInBackground(state, touch);
        }
        _items.SetScope(ctx, scope);
        _commit.Hook(ctx, scope);
        return scope.Session;
    }

    /// <summary>The session the <see cref="Handler"/> middleware started for this request, or null.</summary>
    public static Session? Get(HttpContext ctx) => ctx.Items.TryGetValue(RequestItems.SessionKey, out var s) ? s as Session : null;

    /// <summary>Middleware that starts the session for every request (read it with <see cref="Get"/>).</summary>
    public Func<RequestDelegate, RequestDelegate> Handler(params Action<CookieOptions>[] cookieOptions) =>
        next => new SessionMiddleware(next, this, cookieOptions).InvokeAsync;

    /// <summary>
    /// Destroys the request's session: server-side removal, a deletion cookie, and <see cref="Get"/> returns null.
    /// A later <see cref="Start"/> in the same request gives a new session with one cookie (Decision 3).
    /// </summary>
    public void Destroy(HttpContext ctx)
    {
        var scope = _items.Scope(ctx);
        var id = scope?.State.Id ?? _cookies.ReadId(ctx);
        if (id is null) return;
        _items.Destroyed(ctx, id);
        _cookies.WriteDeletion(ctx, scope?.CookieOptions ?? []);
        DestroyCore(id, SessionDestroyReason.Destroyed);
    }

    /// <summary>Destroys a session by ID, wherever it is; nothing happens for an ID that is not a live session.</summary>
    public void DestroyByID(string sid) => DestroyCore(sid, SessionDestroyReason.DestroyedByID);

    /// <summary>Destroys a session by ID; true when it was live. <paramref name="actor"/> names the operator, if any.</summary>
    public Task<bool> DestroyByIDAsync(string sid, string? actor = null) => _remover.DestroyAsync(sid, SessionDestroyReason.DestroyedByID, actor);

    /// <summary>Destroys every stored session, raising the destroy event for each.</summary>
    public void DestroyAll() => DestroyAllAsync().GetAwaiter().GetResult();

    /// <summary>Destroys every stored session; returns how many there were.</summary>
    public Task<int> DestroyAllAsync(CancellationToken cancellationToken = default) => DestroyAllAsync(null, null, cancellationToken);

    /// <summary>Adds a listener called with the ID of every destroyed session (Iris signature).</summary>
    public void OnDestroy(Action<string> listener)
    {
        if (listener is not null) _events.OnDestroy(listener);
    }

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
        var scope = _items.Scope(ctx);
        var state = scope?.State;
        if (state is null && _cookies.ReadId(ctx) is { } id && !_items.DestroyedInRequest(ctx, id))
            state = _lookup.FindLiveAsync(id, UtcNow).GetAwaiter().GetResult();
        if (state is null || state.Destroyed) throw new SessionNotFoundException();

        if (expires > TimeSpan.Zero)
        {
            state.SetExpiry(UtcNow + expires);
            if (scope is not null) scope.Wrote();
            else _commit.CommitNow(state, state.Version);
        }
        _cookies.Write(ctx, state.Id, expires, [.. scope?.CookieOptions ?? [], .. cookieOptions]);
    }

    /// <summary>
    /// Gives the request's session a new ID: values and flashes kept, the old ID dead (its destroy event fires with
    /// <see cref="SessionDestroyReason.Regenerated"/>), the cookie re-sent. Free for a session created in this request.
    /// </summary>
    public void RegenerateID(HttpContext ctx)
    {
        if (_items.Scope(ctx) is null) Start(ctx);
        var scope = _items.Scope(ctx)!;
        var old = scope.State;
        var fresh = old.CloneAs(_newSessions.NewId(ctx), UtcNow);
        _remover.Replace(old, fresh, seenByOthers: !scope.Session.IsNew);
        scope.State = fresh;
        scope.RequiredVersion = fresh.Version;
        _cookies.Write(ctx, fresh.Id, fresh.ExpiresAtUtc is { } at ? at - UtcNow : Config.Expires, scope.CookieOptions);
        Log.Regenerated(Logger, old.Id, fresh.Id);
    }

    /// <summary>Removes expired and idle sessions now (the background sweep does this periodically); returns how many.</summary>
    public Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default) => _remover.SweepAsync(cancellationToken);

    /// <summary>Counts the live sessions in the store now (the sweep also recounts, every tenth run).</summary>
    public async Task<long> RefreshActiveCountAsync(CancellationToken cancellationToken = default)
    {
        var count = await _database.CountAsync(UtcNow, cancellationToken).ConfigureAwait(false);
        _events.Recounted(count);
        return count;
    }

    /// <summary>Stops the sweep and the peer listener, flushes pending commits and disposes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await Sweeper.StopAsync(CancellationToken.None).ConfigureAwait(false);
        Sweeper.Dispose();
        if (_peerListener is not null) await _peerListener.DisposeAsync().ConfigureAwait(false);
        await _queue.DisposeAsync().ConfigureAwait(false);
        await _events.DisposeAsync().ConfigureAwait(false);
        _outage.Dispose();
        await _database.DisposeAsync().ConfigureAwait(false);
        Metrics.Dispose();
    }

    /// <summary>Destroys the given sessions by ID in one transaction (an operator's bulk destroy); returns how many were live.</summary>
    internal Task<int> DestroyManyAsync(IReadOnlyCollection<string> ids, string? actor) => _remover.DestroyManyAsync(ids, actor);

    /// <summary>Destroys every session, reporting the running count; <paramref name="actor"/> names the operator.</summary>
    internal Task<int> DestroyAllAsync(string? actor, IProgress<int>? progress, CancellationToken cancellationToken) =>
        _remover.DestroyAllAsync(actor, progress, cancellationToken);

    internal void DestroyCore(string id, SessionDestroyReason reason) => _remover.DestroyAsync(id, reason).GetAwaiter().GetResult();

    /// <summary>Applies <paramref name="edit"/> to a live session and commits it; false when there is no such session.</summary>
    internal async Task<bool> EditAsync(string id, Action<SessionState> edit)
    {
        var state = await _lookup.FindLiveAsync(id, UtcNow).ConfigureAwait(false);
        if (state is null) return false;
        edit(state);
        await _commit.CommitAsync(state, state.Version).ConfigureAwait(false);
        return !state.Destroyed;
    }

    /// <summary>Commits what the scope's request changed, now (outside a request, or after its response started).</summary>
    internal void CommitNow(RequestScope scope) => _commit.CommitNow(scope.State, scope.RequiredVersion);

    /// <summary>Answers the request 503: the store failed it.</summary>
    internal void FailRequest(HttpContext ctx, Exception ex) => _commit.FailRequest(ctx, ex);

    private TimeSpan TouchGranularity =>
        Config.IdleTimeout > TimeSpan.Zero && Config.IdleTimeout / 10 < MaxTouchGranularity ? Config.IdleTimeout / 10 : MaxTouchGranularity;

    private async Task RefreshActiveCountQuietlyAsync()
    {
        try { await RefreshActiveCountAsync().ConfigureAwait(false); }
        catch (Exception ex) { _outage.OperationFailed("count", ex); }
    }
}
