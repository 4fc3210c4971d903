using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionAdmin.Core.State;

namespace SessionAdmin.Core.Requests;

/// <summary>What one request holds of one manager's session: the state it works on and what it must wait for.</summary>
internal sealed class RequestScope
{
    public RequestScope(Sessions manager, HttpContext? context, SessionState state, bool isNew, Action<CookieOptions>[] cookieOptions)
    {
        Manager = manager;
        Context = context;
        State = state;
        CookieOptions = cookieOptions;
        RequiredVersion = state.Version;
        Session = new Session(this, isNew);
    }

    public Sessions Manager { get; }

    /// <summary>What the session accepts as a value (the manager's rules).</summary>
    public ValueRules ValueRules => Manager.ValueRules;

    /// <summary>Where the session's own lines go.</summary>
    public ILogger Logger => Manager.Logger;
    public HttpContext? Context { get; }

    /// <summary>The session's state; RegenerateID swaps it for the copy under the new ID.</summary>
    public SessionState State { get; set; }

    public Action<CookieOptions>[] CookieOptions { get; }
    public Session Session { get; }

    /// <summary>The state's version this request has seen or written; its response waits until that is durable.</summary>
    public long RequiredVersion { get; set; }

    /// <summary>
    /// Records that the request changed (or read a change of) its session: its response waits until the state as it is
    /// now is durable. Outside a request (or after its response started) the change is committed before returning.
    /// </summary>
    public void Wrote()
    {
        var version = State.Version;
        if (version > RequiredVersion) RequiredVersion = version;
        if (Context is null || Context.Response.HasStarted) Manager.CommitNow(this);
    }
}
