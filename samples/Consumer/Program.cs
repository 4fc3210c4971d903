using SessionAdmin.Core;

var builder = WebApplication.CreateBuilder(args);

// The README's "Using the library" snippet, as written there.
builder.Services.AddSessions(builder.Configuration.GetSection("Sessions"))
                .UseSqlite("Data Source=sessions.db");
var app = builder.Build();
app.UseSessions();                       // then Sessions.Get(ctx), or sessions.Start(ctx) in any handler

app.MapGet("/visits", (HttpContext ctx) => $"{Sessions.Get(ctx)!.Increment("visits", 1)} visit(s)");

app.Run();
