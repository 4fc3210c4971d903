using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using SessionAdmin.Core.Admin;
using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;
using SessionAdmin.Web.Operators;

namespace SessionAdmin.Tests.Web.Console;

/// <summary>
/// bUnit with MudBlazor and the real catalog and feed over a SQLite file: components are tested against the same
/// services the app runs, with the signed-in operator's role chosen per test.
/// </summary>
public abstract class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    protected ConsoleTestContext(string role = OperatorRoles.Operator)
    {
        Harness = SessionsHarness.Durable(DurableStore.Sqlite, c => c.PrincipalKey = UserKey);
        Feed = new SessionFeed(Harness.Sessions, Harness.Time);
        Catalog = new SessionCatalog(Harness.Sessions, Harness.Time);

        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Harness.Sessions);
        Services.AddSingleton(Feed);
        Services.AddSingleton(Catalog);
        Services.AddSingleton<SessionAdmin.Web.Components.Console.SharedSessionPages>();
        Services.AddScoped<ConsoleOperatorAccessor>();
        var auth = AddAuthorization();
        auth.SetAuthorized("olga");
        auth.SetRoles(role);
        SetRendererInfo(new RendererInfo("Server", true));
    }

    /// <summary>The principal key of the console's sessions, as in the app.</summary>
    protected const string UserKey = "user";

    protected SessionsHarness Harness { get; }
    protected SessionFeed Feed { get; }

    /// <summary>How long a view may take to show what a test waits for.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    protected SessionCatalog Catalog { get; }

    /// <summary>
    /// Creates a visitor session holding what <paramref name="fill"/> sets (by default a page count: a session that
    /// holds nothing is never stored, so the console never sees it); returns its ID once the feed has announced it, so
    /// a view rendered next never hears of it late.
    /// </summary>
    protected async Task<string> NewSessionAsync(Action<Session>? fill = null)
    {
        Harness.Cookie = null;
        var announced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (Feed.Subscribe(e => { if (e.Kind == SessionFeedKind.Created) announced.TrySetResult(); }))
        {
            await Harness.RequestAsync(s => (fill ?? (v => v.Increment("pages", 1)))(s));
            await announced.Task.WaitAsync(Wait);
        }
        return Harness.Cookie!;
    }

    /// <summary>A login of <paramref name="user"/> from a device of its own; returns the session ID.</summary>
    protected async Task<string> LoginAsync(string user)
    {
        var id = await NewSessionAsync(s => s.Set(UserKey, user));
        Harness.Time.Advance(TimeSpan.FromSeconds(1));
        return id;
    }

    protected async Task<object?> StoredAsync(string id, string key)
    {
        Harness.Cookie = id;
        return await Harness.ReadAsync(s => s.Get(key));
    }

    /// <summary>Clicks what <paramref name="selector"/> finds (see <see cref="Interact"/>).</summary>
    protected static void Click<T>(IRenderedComponent<T> cut, string selector) where T : IComponent => Interact(() => cut.Find(selector).Click());

    /// <summary>
    /// Runs a UI interaction that finds its element itself. Live events re-render the grids in the background, which can
    /// replace an element's handler between finding and using it; then the element is found and used again.
    /// </summary>
    protected static void Interact(Action interaction)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                interaction();
                return;
            }
            catch (Bunit.Rendering.UnknownEventHandlerIdException) when (attempt < 5) { }
        }
    }

    protected static string Input(string testId) =>
        $"input[data-testid={testId}], textarea[data-testid={testId}], [data-testid={testId}] input, [data-testid={testId}] textarea";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Feed.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
