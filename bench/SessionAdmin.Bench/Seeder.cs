using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SessionAdmin.Core.Admin;
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
        session.CommandText = "INSERT INTO sessions (id, created_ticks, last_access_ticks, expires_ticks, idle_deadline_ticks, remote_ip, user_agent, value_count, value_bytes, principal) " +
                              "VALUES ($id, $created, $access, $expires, $idle, $ip, $ua, 3, $bytes, $principal)";
        var entry = conn.CreateCommand();
        entry.CommandText = "INSERT INTO session_entries (session_id, kind, key, seq, type_tag, payload, immutable, flash_read) VALUES ($id, 0, $key, $seq, $tag, $payload, 0, 0)";
        foreach (var p in new[] { "$id", "$created", "$access", "$expires", "$idle", "$ip", "$ua", "$bytes", "$principal" }) session.Parameters.Add(new SqliteParameter(p, null));
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
                // About ten sessions per person: 100,000 principals at a million sessions.
                var user = $"user{random.Next(1, Math.Max(2, count / 10))}@example.com";
                session.Parameters["$id"].Value = id;
                session.Parameters["$created"].Value = created.Ticks;
                session.Parameters["$access"].Value = access.Ticks;
                session.Parameters["$expires"].Value = created.AddHours(2).Ticks;
                session.Parameters["$idle"].Value = access.AddMinutes(20).Ticks;
                session.Parameters["$ip"].Value = $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}";
                session.Parameters["$ua"].Value = Agents[random.Next(Agents.Length)];
                session.Parameters["$bytes"].Value = user.Length + 4 + 2;
                session.Parameters["$principal"].Value = user;
                session.ExecuteNonQuery();
                Entry(entry, id, "authenticated", 0, "bool", "true");
                Entry(entry, id, "user", 1, "str", user);
                Entry(entry, id, "cart", 2, "i32", random.Next(0, 20).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            tx.Commit();
        }
        Console.WriteLine($"seeded {count:N0} sessions ({count * 3:N0} values) into {file} in {watch.Elapsed.TotalSeconds:F1} s");

        // The seeder writes the principal column itself; the first manager with a principal key records the key
        // (and re-indexes every session when the store was indexed under another one: timed here).
        var store = EfSessionDatabase.ForSqlite($"Data Source={file}");
        var sessions = new Sessions(new SessionsConfig { PrincipalKey = "user" });
        var indexing = Stopwatch.StartNew();
        sessions.UseDatabase(store);
        Console.WriteLine($"principal index checked (re-indexed if the key changed): {indexing.Elapsed.TotalMilliseconds:F1} ms");
        var catalog = new SessionCatalog(sessions, TimeProvider.System);
        async Task Time(string what, Func<Task> query)
        {
            await query();
            var w = Stopwatch.StartNew();
            const int runs = 5;
            for (var i = 0; i < runs; i++) await query();
            Console.WriteLine($"{what}: {w.Elapsed.TotalMilliseconds / runs:F2} ms");
        }
        await Time("console first page (last access, newest first)", () => catalog.QueryAsync(new SessionQuery()));
        await Time("sort by last access, oldest first", () => catalog.QueryAsync(new SessionQuery { Descending = false }));
        await Time("the grid's default: live sessions, newest first", () => catalog.QueryAsync(new SessionQuery { Expired = false }));
        await Time("filter by key 'cart'", () => catalog.QueryAsync(new SessionQuery { Key = "cart" }));
        await Time("count of live sessions", () => catalog.CountAsync());

        // The sessions of a person (user1 has about ten): index lookups, whatever the store's size.
        const string person = "user1@example.com";
        await Time("FindByPrincipalAsync (one user's sessions)", () => sessions.FindByPrincipalAsync(person));
        await Time("user page: the user's sessions with details", () => catalog.SessionsOfAsync(person));
        await Time("users page, first render (by name)", () => catalog.UsersAsync(new PrincipalQuery()));
        await Time("users page, search 'user12'", () => catalog.UsersAsync(new PrincipalQuery { Search = "user12" }));
        await Time("users page, sorted by session count", () => catalog.UsersAsync(new PrincipalQuery { Sort = PrincipalSortField.SessionCount, Descending = true }));
        await Time("sessions grid, user filter", () => catalog.QueryAsync(new SessionQuery { Principal = person, Expired = false }));
        var signOut = Stopwatch.StartNew();
        var ended = await sessions.DestroyByPrincipalAsync(person);
        Console.WriteLine($"DestroyByPrincipalAsync: {ended} sessions in {signOut.Elapsed.TotalMilliseconds:F1} ms");

        // The export streams: the managed heap is sampled every 50,000 rows and stays flat.
        GC.Collect();
        var export = Stopwatch.StartNew();
        await using var sink = new HeapSamplingWriter();
        var rows = await catalog.WriteCsvAsync(new SessionQuery { Expired = null }, sink);
        Console.WriteLine($"export: {rows:N0} rows, {sink.Characters / 1_048_576.0:F0} MB of CSV in {export.Elapsed.TotalSeconds:F1} s; " +
                          $"managed heap {sink.MinHeapMb:F0}-{sink.MaxHeapMb:F0} MB while writing; process peak working set {Environment.WorkingSet / 1_048_576.0:F0} MB");
        await sessions.DisposeAsync();
        return 0;
    }

    // Counts what the export writes and samples the managed heap as it goes (a writer that keeps nothing).
    private sealed class HeapSamplingWriter : TextWriter
    {
        private long _lines;
        public long Characters { get; private set; }
        public double MinHeapMb { get; private set; } = double.MaxValue;
        public double MaxHeapMb { get; private set; }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => Characters++;
        public override void Write(string? value) => Characters += value?.Length ?? 0;
        public override void WriteLine(string? value)
        {
            Characters += (value?.Length ?? 0) + 1;
            if (++_lines % 50_000 != 1) return;
            var heap = GC.GetTotalMemory(false) / 1_048_576.0;
            MinHeapMb = Math.Min(MinHeapMb, heap);
            MaxHeapMb = Math.Max(MaxHeapMb, heap);
        }
        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
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
