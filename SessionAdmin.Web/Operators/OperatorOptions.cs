namespace SessionAdmin.Web.Operators;

/// <summary>The "Admin" configuration section: who may use the console.</summary>
public sealed class OperatorOptions
{
    /// <summary>Configured operators. When empty, the first run creates <c>admin</c> (see <see cref="BootstrapPassword"/>).</summary>
    public List<OperatorAccount> Operators { get; set; } = [];

    /// <summary>The first password of the bootstrap <c>admin</c>; when unset a random one is generated and logged once.</summary>
    public string? BootstrapPassword { get; set; }

    /// <summary>Where the bootstrap operator is kept. Defaults to <c>App_Data/operators.json</c> under the app.</summary>
    public string? OperatorsFile { get; set; }
}

/// <summary>One operator: a name, a password hash (ASP.NET Core Identity's format) and a role.</summary>
public sealed class OperatorAccount
{
    /// <summary>The sign-in name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The hash made by <c>dotnet run --project SessionAdmin.Web -- hash-password</c>.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary><see cref="OperatorRoles.Viewer"/> (read only) or <see cref="OperatorRoles.Operator"/> (may edit and destroy).</summary>
    public string Role { get; set; } = OperatorRoles.Viewer;
}

/// <summary>The console's roles and policies.</summary>
public static class OperatorRoles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";

    /// <summary>Policy: any signed-in operator (both roles).</summary>
    public const string ConsolePolicy = "Console";

    public const string AuthenticationScheme = "SessionAdmin.Operator";

    /// <summary>The console's sign-in page.</summary>
    public const string SignInPath = "/admin/login";
}
