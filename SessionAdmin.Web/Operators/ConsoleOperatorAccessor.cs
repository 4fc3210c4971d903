using Microsoft.AspNetCore.Components.Authorization;
using SessionAdmin.Core.Admin;

namespace SessionAdmin.Web.Operators;

/// <summary>The signed-in operator as the catalog knows them, read from the circuit's authentication state.</summary>
public sealed class ConsoleOperatorAccessor(AuthenticationStateProvider authentication)
{
    public async Task<ConsoleOperator> CurrentAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return new ConsoleOperator(user.Identity?.Name ?? "anonymous", user.IsInRole(OperatorRoles.Operator));
    }
}
