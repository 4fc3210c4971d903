using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SessionAdmin.Core.Commits;
using SessionAdmin.Core.Events;
using SessionAdmin.Core.Expiry;
using SessionAdmin.Core.Requests;
using SessionAdmin.Core.State;
using SessionAdmin.Core.Storage;

namespace SessionAdmin.Core;

/// <summary>
/// The sessions manager (Iris <c>*Sessions</c>): starts, expires and destroys sessions, and keeps them durable in
/// its <see cref="ISessionDatabase"/>. Thread-safe; one per application.
/// </summary>
public sealed partial class Sessions : IAsyncDisposable
{
    internal const string ContextSessionKey = "iris.session";

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
    private int _disposed;
    private readonly ExpirySweeper _sweeper;
    private readonly UnknownIdReport _unknownIdReport;
    private readonly EventDispatcher _dispatcher;
    private readonly StoreOutage _outage;

    /// <summary>What a session accepts as a value.</summary>
    internal ValueRules ValueRules { get; }
    private ISessionDatabase _database = new MemorySessionDatabase();
    private long _unknownIds, _activeSessions;

    /// <summary>Creates a manager on an in-memory database (until <see cref="UseDatabase"/>), with the system clock.</summary>
    public Sessions(SessionsConfig config) : this(config, TimeProvider.System, null) { }

    /// <summary>Creates a manager with a clock, logging and metrics of your choice.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (see <see cref="SessionsConfigRules"/>).</exception>
    public Sessions(SessionsConfig config, TimeProvider timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        SessionsConfigRules.ThrowIfInvalid(config);
        Config = config;
        _time = timeProvider;
        Logger = (ILogger?)loggerFactory?.CreateLogger<Sessions>() ?? NullLogger.Instance;
        Metrics = new SessionMetrics(meterFactory, () => Interlocked.Read(ref _activeSessions));
        _cookies = new SessionCookies(config, timeProvider, Logger);
        _cache = new SessionCache(config.CacheCapacity);
        ValueRules = new ValueRules(config.MaxValueLength, config.PrincipalKey);
        _dispatcher = new EventDispatcher(Logger);
        _outage = new StoreOutage(Logger, timeProvider);
        _queue = new CommitQueue(() => _database, OnVanished, OnStale, OnCommitted, OnEvicted, Logger, _outage,
            config.MaxSessionsPerPrincipal > 0 ? new PrincipalLimit(config.MaxSessionsPerPrincipal, RecentUse, () => UtcNow) : null);
        _unknownIdReport = new UnknownIdReport(Logger, timeProvider, () => UnknownIdsPresented, () => _cookies.Malformed);
        _sweeper = new ExpirySweeper(config.SweepInterval, timeProvider,
            ct => { _unknownIdReport.Report(); return SweepExpiredAsync(ct); },
            ct => RefreshActiveCountAsync(ct),
            ex => _outage.OperationFailed("sweep", ex));
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

    /// <summary>The store as the admin API queries it (EF Core); null for a store it cannot query (memory).</summary>
    internal EfSessionDatabase? QueryableStore => _database as EfSessionDatabase;

    /// <summary>Live sessions in the store: counted at start and now and then by the sweep, kept up to date in between.</summary>
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
        db.IndexPrincipalsAsync(PrincipalKey, CancellationToken.None).GetAwaiter().GetResult();
        if (db.Peers is { } peers) StartListeningToPeers(peers);
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
            state = SessionState.CreateNew(NewRecord(ctx, GenerateId(ctx), now), PrincipalKey);
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
            _ = FlushInBackgroundAsync(state, touch);
        }
        ctx.Items[_scopeKey] = scope;
        HookCommit(ctx, scope);
        return scope.Session;
    }

    /// <summary>The session the <see cref="Handler"/> middleware started for this request, or null.</summary>
    public static Session? Get(HttpContext ctx) => ctx.Items.TryGetValue(ContextSessionKey, out var s) ? s as Session : null;

    /// <summary>Middleware that starts the session for every request (read it with <see cref="Get"/>).</summary>
    public Func<RequestDelegate, RequestDelegate> Handler(params Action<CookieOptions>[] cookieOptions) =>
        next => new SessionMiddleware(next, this, cookieOptions).InvokeAsync;

    private RequestScope? ScopeOf(HttpContext ctx) => ctx.Items.TryGetValue(_scopeKey, out var s) ? s as RequestScope : null;

    private bool DestroyedInRequest(HttpContext ctx, string id) => ctx.Items[_destroyedKey] as string == id;

    private SessionRecord NewRecord(HttpContext ctx, string id, DateTime now)
    {
        var ua = ctx.Request.Headers.UserAgent.ToString();
        return new SessionRecord(
            id, now, now,
            Config.Expires > TimeSpan.Zero ? now + Config.Expires : null,
            Config.IdleTimeout > TimeSpan.Zero ? now + Config.IdleTimeout : null,
            ctx.Connection.RemoteIpAddress?.ToString(),
            ua.Length == 0 ? null : ua.Length > SessionRow.MaxUserAgentLength ? ua[..SessionRow.MaxUserAgentLength] : ua);
    }

    private string GenerateId(HttpContext ctx)
    {
        var id = Config.SessionIDGenerator is { } generate ? generate(ctx) : SessionIds.NewId(_time.GetUtcNow());
        return SessionIds.IsValid(id)
            ? id
            : throw new InvalidOperationException("The SessionIDGenerator returned an empty, too long or cookie-unsafe ID.");
    }

    private async Task<SessionState?> FindLiveAsync(string id, DateTime now)
    {
        var state = _cache.Get(id);
        if (state is not null && _database.Peers is { } peers) state = await CurrentCopyAsync(state, peers).ConfigureAwait(false);
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
                throw ReadFailed(ex);
            }
            _outage.Succeeded();
            if (stored is null) return null;
            state = _cache.AddLoaded(SessionState.FromStored(stored, PrincipalKey), epoch);
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

    // A failed read fails its request (503); the operator hears of it once per outage.
    private SessionStoreException ReadFailed(Exception ex)
    {
        _outage.OperationFailed("read", ex);
        return new SessionStoreException("The session store could not be read.", ex);
    }

    /// <summary>Stops the sweep, flushes pending commits and disposes the database.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _sweeper.DisposeAsync().ConfigureAwait(false);
        if (_peerListener is not null) await _peerListener.DisposeAsync().ConfigureAwait(false);
        await _queue.DisposeAsync().ConfigureAwait(false);
        await _dispatcher.DisposeAsync().ConfigureAwait(false);
        _outage.Dispose();
        await _database.DisposeAsync().ConfigureAwait(false);
        Metrics.Dispose();
    }
}
