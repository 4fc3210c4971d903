using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SessionAdmin.Core;

namespace SessionAdmin.Bench;

/// <summary>Fills a store with realistic sessions quickly (plain prepared inserts in large transactions).</summary>
internal static class Seeder
{
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var file = args.Length > 2 ? args[2] : "seeded.db";
        // "seed 0 <file>" only times the console's queries on an existing store.
        var watch = Stopwatch.StartNew();
        await using (var db = EfSessionDatabase.ForSqlite($"Data Source={file}")) { }

        await using var conn = new SqliteConnection($"Data Source={file}");
        conn.Open();
        using (var pragma = conn.CreateCommand()) { pragma.CommandText = "PRAGMA synchronous=OFF;"; pragma.ExecuteNonQuery(); }
        var session = conn.CreateCommand();
        session.CommandText = "INSERT INTO sessions (id, created_ticks, last_access_ticks, expires_ticks, idle_deadline_ticks, remote_ip, user_agent, value_count, value_bytes) " +
                              "VALUES ($id, $created, $access, $expires, $idle, $ip, $ua, 3, $bytes)";
        var entry = conn.CreateCommand();
        entry.CommandText = "INSERT INTO session_entries (session_id, kind, key, seq, type_tag, payload, immutable, flash_read) VALUES ($id, 0, $key, $seq, $tag, $payload, 0, 0)";
        foreach (var p in new[] { "$id", "$created", "$access", "$expires", "$idle", "$ip", "$ua", "$bytes" }) session.Parameters.Add(new SqliteParameter(p, null));
        foreach (var p in new[] { "$id", "$key", "$seq", "$tag", "$payload" }) entry.Parameters.Add(new SqliteParameter(p, null));

        var random = new Random(42);
        var now = DateTime.UtcNow;
        const int perTransaction = 50_000;
        for (var done = 0; done < count;)
        {
            using var tx = conn.BeginTransaction();
            session.Transaction = entry.Transaction = tx;
            for (var i = 0; i < perTransaction && done < count; i++, done++)
            {
                var id = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
                var created = now.AddSeconds(-random.Next(0, 7200));
                var access = created.AddSeconds(random.Next(0, 600));
                var user = $"user{random.Next(1, 200_000)}@example.com";
                session.Parameters["$id"].Value = id;
                session.Parameters["$created"].Value = created.Ticks;
                session.Parameters["$access"].Value = access.Ticks;
                session.Parameters["$expires"].Value = created.AddHours(2).Ticks;
                session.Parameters["$idle"].Value = access.AddMinutes(20).Ticks;
                session.Parameters["$ip"].Value = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}";
                session.Parameters["$ua"].Value = Agents[random.Next(Agents.Length)];
                session.Parameters["$bytes"].Value = user.Length + 4 + 2;
                session.ExecuteNonQuery();
                Entry(entry, id, "authenticated", 0, "bool", "true");
                Entry(entry, id, "user", 1, "str", user);
                Entry(entry, id, "cart", 2, "i32", random.Next(0, 20).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            tx.Commit();
        }
        Console.WriteLine($"seeded {count:N0} sessions ({count * 3:N0} values) into {file} in {watch.Elapsed.TotalSeconds:F1} s");

        await using var store = EfSessionDatabase.ForSqlite($"Data Source={file}");
        var sessions = new Sessions(new SessionsConfig());
        sessions.UseDatabase(store);
        var catalog = new SessionCatalog(sessions, TimeProvider.System);
        async Task Time(string what, Func<Task> query)
        {
            await query();
            var w = Stopwatch.StartNew();
            const int runs = 5;
            for (var i = 0; i < runs; i++) await query();
            Console.WriteLine($"{what}: {w.Elapsed.TotalMilliseconds / runs:F1} ms");
        }
        await Time("console first page (last access, newest first)", () => catalog.QueryAsync(new SessionQuery()));
        await Time("sort by last access, oldest first", () => catalog.QueryAsync(new SessionQuery { Descending = false }));
        await Time("the grid's default: live sessions, newest first", () => catalog.QueryAsync(new SessionQuery { Expired = false }));
        await Time("filter by key 'cart'", () => catalog.QueryAsync(new SessionQuery { Key = "cart" }));
        await Time("count of live sessions", () => catalog.CountAsync());
        await sessions.DisposeAsync();
        return 0;
    }

    private static void Entry(SqliteCommand entry, string id, string key, int seq, string tag, string payload)
    {
        entry.Parameters["$id"].Value = id;
        entry.Parameters["$key"].Value = key;
        entry.Parameters["$seq"].Value = seq;
        entry.Parameters["$tag"].Value = tag;
        entry.Parameters["$payload"].Value = payload;
        entry.ExecuteNonQuery();
    }
}
