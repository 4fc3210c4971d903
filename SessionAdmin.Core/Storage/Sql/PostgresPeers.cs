using Npgsql;
using SessionAdmin.Core.Peers;

namespace SessionAdmin.Core.Storage.Sql;

/// <summary>
/// The other nodes on one PostgreSQL database: the row version that tells whether a cached copy is current (read on
/// the pool), and the notification channel their commits arrive on (LISTEN on an unpooled connection).
/// </summary>
internal sealed class PostgresPeers(NpgsqlDataSource dataSource, NpgsqlDataSource listenerSource) : ISessionPeers, IDisposable
{
    /// <summary>The notification channel the nodes of one database talk on.</summary>
    public const string Channel = "sessionadmin_changes";

    // How often the listening thread looks up from its wait to see whether the manager is stopping.
    private static readonly TimeSpan ListenPollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>This node's name in the change messages: its own changes are not reported back to it.</summary>
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    private readonly BatchedVersionReads _versions = new(ids => CutConnections.Read(dataSource.OpenConnection, dataSource.Clear, conn =>
    {
        using var cmd = SqlCommands.Create(conn, null,
            $"SELECT {Schema.Sessions.Id}, {Schema.Sessions.Version} FROM {Schema.Sessions.Table} WHERE {Schema.Sessions.Id} = ANY(@ids)",
            ("@ids", ids.ToArray()));
        var versions = new Dictionary<string, long>(ids.Count, StringComparer.Ordinal);
        using var r = cmd.ExecuteReader();
        while (r.Read()) versions[r.GetString(0)] = r.GetInt64(1);
        return versions;
    }));

    // Batched: under load one query answers every request waiting (see BatchedVersionReads).
    public Task<long?> VersionAsync(string id, CancellationToken cancellationToken) => _versions.VersionAsync(id);

    // On a thread of its own, so notifications arrive even while the thread pool is busy.
    public Task ListenAsync(Action<PeerChangeBatch> onChanges, Action onListening, CancellationToken cancellationToken) => Task.Factory.StartNew(() =>
    {
        using var conn = listenerSource.OpenConnection();
        conn.Notification += (_, e) =>
        {
            if (e.Channel == Channel && PeerChangeBatch.Decode(e.Payload) is { } batch && batch.Node != NodeId) onChanges(batch);
        };
        using (var listen = new NpgsqlCommand($"LISTEN {Channel}", conn)) listen.ExecuteNonQuery();
        onListening();
        while (!cancellationToken.IsCancellationRequested) conn.Wait(ListenPollInterval);
        cancellationToken.ThrowIfCancellationRequested();
    }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose() => _versions.Dispose();
}
