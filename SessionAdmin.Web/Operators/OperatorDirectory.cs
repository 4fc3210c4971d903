using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace SessionAdmin.Web.Operators;

/// <summary>
/// The operators who may sign in: those configured under <c>Admin:Operators</c>, or else a bootstrap <c>admin</c>
/// created on the first run (never a default password in code) and kept in the operators file.
/// </summary>
public sealed partial class OperatorDirectory
{
    private static readonly PasswordHasher<OperatorAccount> Hasher = new();
    private readonly IReadOnlyList<OperatorAccount> _accounts;
    private readonly string _dummyHash;

    public OperatorDirectory(IOptions<OperatorOptions> options, IWebHostEnvironment environment, ILogger<OperatorDirectory> logger)
    {
        var o = options.Value;
        _accounts = o.Operators.Count > 0 ? o.Operators : [Bootstrap(o, environment, logger)];
        _dummyHash = Hash("not a real password");
    }

    /// <summary>The account, when the name and password match; otherwise null (in about the same time either way).</summary>
    public OperatorAccount? Verify(string? name, string? password)
    {
        var account = _accounts.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
        var result = Hasher.VerifyHashedPassword(account ?? new OperatorAccount(), account?.PasswordHash ?? _dummyHash, password ?? "");
        return account is not null && result != PasswordVerificationResult.Failed ? account : null;
    }

    /// <summary>The principal the operator's sign-in cookie carries.</summary>
    public static ClaimsPrincipal Principal(OperatorAccount account) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, account.Name), new Claim(ClaimTypes.Role, account.Role)],
        OperatorRoles.AuthenticationScheme));

    /// <summary>A hash for <c>Admin:Operators:N:PasswordHash</c>.</summary>
    public static string Hash(string password) => Hasher.HashPassword(new OperatorAccount(), password);

    private static OperatorAccount Bootstrap(OperatorOptions o, IWebHostEnvironment environment, ILogger logger)
    {
        var file = o.OperatorsFile ?? Path.Combine(environment.ContentRootPath, "App_Data", "operators.json");
        if (File.Exists(file))
            return JsonSerializer.Deserialize<OperatorAccount>(File.ReadAllText(file)) ?? throw new InvalidDataException($"{file} holds no operator.");

        var password = o.BootstrapPassword;
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(18));
        var account = new OperatorAccount { Name = "admin", PasswordHash = Hash(password!), Role = OperatorRoles.Operator };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllText(file, JsonSerializer.Serialize(account));
        // The one time a password appears in a log: the operator needs it to sign in the first time.
        if (generated) LogGenerated(logger, account.Name, password!, file);
        else LogBootstrapped(logger, account.Name, file);
        return account;
    }

    [LoggerMessage(100, LogLevel.Warning, "No operators configured: created operator {Operator} with password {Password} (shown once; kept hashed in {File})")]
    private static partial void LogGenerated(ILogger logger, string @operator, string password, string file);

    [LoggerMessage(101, LogLevel.Information, "No operators configured: created operator {Operator} with the bootstrap password (kept hashed in {File})")]
    private static partial void LogBootstrapped(ILogger logger, string @operator, string file);
}
