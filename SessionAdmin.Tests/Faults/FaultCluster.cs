using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Faults;

/// <summary>
/// Two app nodes on a PostgreSQL cluster of their own, which a fault test may stop, restart or cut; a node may be
/// stopped and started again on its port, as in a rolling deploy.
/// </summary>
public sealed class FaultCluster : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sessionadmin-faults-").FullName;
    private readonly AppProcess?[] _nodes = new AppProcess?[2];
    private readonly Uri[] _addresses = new Uri[2];

    private FaultCluster(PrivatePostgres postgres) => Postgres = postgres;

    public PrivatePostgres Postgres { get; }
    public AppProcess A => _nodes[0] ?? throw new InvalidOperationException("node A is stopped");
    public AppProcess B => _nodes[1] ?? throw new InvalidOperationException("node B is stopped");

    /// <summary>Both nodes' addresses, running or not (a balancer's list).</summary>
    public IReadOnlyList<Uri> Addresses => _addresses;

    public static async Task<FaultCluster> StartAsync()
    {
        var cluster = new FaultCluster(await PrivatePostgres.StartAsync());
        // One node first: it migrates the new database; the second finds it migrated.
        await cluster.StartNodeAsync(0);
        await cluster.StartNodeAsync(1);
        return cluster;
    }

    /// <summary>Starts node <paramref name="index"/> (again) on its address.</summary>
    public async Task<AppProcess> StartNodeAsync(int index)
    {
        var name = index == 0 ? "a" : "b";
        var home = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
        var node = await AppProcess.StartAsync(Postgres.ConnectionString, Path.Combine(_folder, $"{name}.operators.json"),
            port: _addresses[index]?.Port, settings: new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["Sessions__Store"] = "Postgres",
                ["Admin__BootstrapPassword"] = "fault-test-password",
            });
        _nodes[index] = node;
        _addresses[index] = node.BaseAddress;
        return node;
    }

    /// <summary>Forgets a node that exited (after a SIGTERM), so it can be started again.</summary>
    public void Stopped(int index) => _nodes[index] = null;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) if (node is not null) await node.DisposeAsync();
        await Postgres.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
