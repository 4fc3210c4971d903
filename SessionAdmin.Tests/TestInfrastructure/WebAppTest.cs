using Microsoft.AspNetCore.Hosting;

namespace SessionAdmin.Tests.TestInfrastructure;

/// <summary>A test class with the real Web app in process, on a SQLite file of its own.</summary>
public abstract class WebAppTest : IAsyncLifetime
{
    protected WebAppTest(Action<IWebHostBuilder, TempDatabase>? configure = null)
    {
        Db = new TempDatabase();
        App = new WebAppFactory(Db, configure is null ? null : b => configure(b, Db));
        Client = App.Client();
    }

    protected TempDatabase Db { get; }
    protected WebAppFactory App { get; }
    protected HttpClient Client { get; }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Db.Dispose();
    }
}
