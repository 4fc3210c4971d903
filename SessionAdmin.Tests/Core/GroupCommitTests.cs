using SessionAdmin.Core.Storage;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core;

/// <summary>
/// One group commit holding many new sessions (a login storm's batch) beside other kinds of write: every session is
/// stored with all its values, whichever way the store writes them (PostgreSQL inserts new sessions in bulk).
/// </summary>
public abstract class GroupCommitTests(DurableStore store) : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
    private TempDatabase? _sqlite;
    private TempPostgresDatabase? _postgres;
    private EfSessionDatabase _db = default!;

    public async ValueTask InitializeAsync()
    {
        if (store == DurableStore.Sqlite)
        {
            _sqlite = new TempDatabase();
            _db = EfSessionDatabase.ForSqlite(_sqlite.ConnectionString);
        }
        else
        {
            _postgres = await PostgresTestServer.CreateDatabaseAsync();
            _db = EfSessionDatabase.ForPostgres(_postgres.ConnectionString);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        _sqlite?.Dispose();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    private static SessionWrite NewSession(string id, string? principal, params StoredEntry[] entries)
    {
        var write = new SessionWrite(id)
        {
            Insert = new SessionRecord(id, Now, Now, Now.AddHours(2), Now.AddMinutes(20), "203.0.113.7", id.EndsWith('0') ? null : "curl/8"),
            Principal = principal,
            ValueCount = entries.Length,
            ValueBytes = entries.Sum(e => e.Payload?.Length ?? 0),
        };
        write.Upserts.AddRange(entries);
        return write;
    }

    private static StoredEntry Value(string key, string tag, string? payload, long seq, bool immutable = false, long? delta = null) =>
        new(SessionEntryKind.Value, key, seq, tag, payload, immutable, false, delta);

    private Task<IReadOnlyList<SessionWriteResult>> CommitAsync(params SessionWrite[] writes) =>
        _db.CommitAsync(writes, TestContext.Current.CancellationToken);

    private async Task<StoredSession> LoadAsync(string id) =>
        await _db.LoadAsync(id, TestContext.Current.CancellationToken) ?? throw new Xunit.Sdk.XunitException($"{id} was not stored");

    [Fact]
    public async Task Every_new_session_of_one_commit_is_stored_with_its_values()
    {
        var writes = Enumerable.Range(0, 40).Select(i => NewSession($"s{i:00}", i % 3 == 0 ? $"user{i}" : null,
            Value("authenticated", "bool", "true", 1),
            Value("name", "str", $"ünï {i} 🍰", 2, immutable: i % 2 == 0),
            Value("nothing", "null", null, 3))).ToArray();

        var results = await CommitAsync(writes);

        Assert.All(results, r => Assert.Equal((SessionWriteOutcome.Applied, 1L), (r.Outcome, r.RowVersion)));
        for (var i = 0; i < writes.Length; i++)
        {
            var stored = await LoadAsync($"s{i:00}");
            Assert.Equal(writes[i].Insert, stored.Record with { Principal = null });
            Assert.Equal(i % 3 == 0 ? $"user{i}" : null, stored.Record.Principal);
            Assert.Equal(writes[i].Upserts.Select(e => (e.Kind, e.Key, e.Seq, e.TypeTag, e.Payload, e.Immutable)),
                stored.Entries.OrderBy(e => e.Seq).Select(e => (e.Kind, e.Key, e.Seq, e.TypeTag, e.Payload, e.Immutable)));
        }
    }

    [Fact]
    public async Task New_sessions_commit_together_with_changes_to_existing_ones_and_new_ones_that_increment()
    {
        await CommitAsync(NewSession("old", null, Value("visits", "i32", "1", 1)));
        var change = new SessionWrite("old") { ValueCount = 1 };
        change.Upserts.Add(Value("visits", "i32", "1", 1, delta: 1));
        var counting = NewSession("counting", null, Value("visits", "i32", "5", 1, delta: 5));

        var results = await CommitAsync(NewSession("a", null, Value("k", "str", "a", 1)), change, counting, NewSession("b", null));

        Assert.All(results, r => Assert.Equal(SessionWriteOutcome.Applied, r.Outcome));
        Assert.Equal("2", (await LoadAsync("old")).Entries.Single().Payload);
        Assert.Equal("5", (await LoadAsync("counting")).Entries.Single().Payload);
        Assert.Equal("a", (await LoadAsync("a")).Entries.Single().Payload);
        Assert.Empty((await LoadAsync("b")).Entries);
    }
}

public sealed class SqliteGroupCommitTests() : GroupCommitTests(DurableStore.Sqlite);

public sealed class PostgresGroupCommitTests() : GroupCommitTests(DurableStore.Postgres);
