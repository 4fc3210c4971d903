using SessionAdmin.Core;
using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Core.Principals;

/// <summary>Managers with a principal key, and logins that each start a session of their own (a device of their own).</summary>
internal static class PrincipalHarness
{
    public const string Key = "user";

    /// <summary>A harness on <paramref name="store"/> (null: the in-memory store) with <see cref="Key"/> as the principal key.</summary>
    public static SessionsHarness Create(DurableStore? store, Action<SessionsConfig>? configure = null)
    {
        void Configure(SessionsConfig c)
        {
            c.PrincipalKey = Key;
            configure?.Invoke(c);
        }
        return store is { } durable ? SessionsHarness.Durable(durable, Configure) : SessionsHarness.Memory(Configure);
    }

    /// <summary>A login from a new device: a fresh session naming <paramref name="user"/>; the jar keeps its cookie. Returns the ID.</summary>
    public static async Task<string> LoginAsync(SessionsHarness h, string user, Sessions? node = null, string? ip = null)
    {
        h.Cookie = null;
        var id = "";
        await h.RequestAsync((ctx, sessions) =>
        {
            if (ip is not null) ctx.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(ip);
            var session = sessions.Start(ctx);
            session.Set(Key, user);
            id = session.ID;
        }, node: node);
        return id;
    }
}
