// The peer for the HTTP benchmarks: ASP.NET Core's own session middleware, serving the same three routes as
// SessionAdmin.Web, over the in-memory distributed cache ("memory"), a durable SQLite cache ("sqlite <file>"), or Redis
// ("redis <host:port>", what a team runs several nodes on; default client configuration).
using NeoSmart.Caching.Sqlite;

var mode = args.FirstOrDefault() ?? "memory";
var builder = WebApplication.CreateBuilder(args.Skip(mode is "sqlite" or "redis" ? 2 : 1).ToArray());
builder.Logging.SetMinimumLevel(LogLevel.Warning);
if (mode == "sqlite") builder.Services.AddSqliteCache(o => o.CachePath = args[1], new SQLitePCL.SQLite3Provider_e_sqlite3());
else if (mode == "redis") builder.Services.AddStackExchangeRedisCache(o => o.Configuration = args[1]);
else builder.Services.AddDistributedMemoryCache();
builder.Services.AddSession(o =>
{
    o.Cookie.Name = "mysessionid";
    o.IdleTimeout = TimeSpan.FromMinutes(20);
});

var app = builder.Build();
app.MapGet("/bare", () => "ok");
app.UseSession();
app.MapMethods("/login", ["GET", "HEAD"], async (HttpContext ctx) =>
{
    await ctx.Session.LoadAsync();
    ctx.Session.SetString("authenticated", "true");
    return Results.Text("You are now logged in.");
});
app.MapGet("/secret", async (HttpContext ctx) =>
{
    await ctx.Session.LoadAsync();
    return ctx.Session.GetString("authenticated") == "true"
        ? Results.Text("The cake is a lie!")
        : Results.Text("Forbidden", statusCode: 403);
});
app.Run();
