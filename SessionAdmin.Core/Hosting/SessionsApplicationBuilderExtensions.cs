using Microsoft.Extensions.DependencyInjection;
using SessionAdmin.Core;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the sessions middleware to the request pipeline.</summary>
public static class SessionsApplicationBuilderExtensions
{
    /// <summary>Adds the <see cref="Sessions.Handler"/> middleware: every request below it has <see cref="Sessions.Get"/>.</summary>
    public static IApplicationBuilder UseSessions(this IApplicationBuilder app, params Action<Microsoft.AspNetCore.Http.CookieOptions>[] cookieOptions) =>
        app.Use(app.ApplicationServices.GetRequiredService<Sessions>().Handler(cookieOptions));
}
