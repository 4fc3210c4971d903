using SessionAdmin.Core;

namespace SessionAdmin.Tests.Core;

/// <summary>A setting out of range is refused with one sentence naming its key and what is accepted; never corrected quietly.</summary>
public sealed class SessionsConfigRulesTests
{
    public static TheoryData<string, Action<SessionsConfig>> WrongSettings => new()
    {
        { "Sessions:Cookie", c => c.Cookie = "my session" },
        { "Sessions:IdleTimeout", c => c.IdleTimeout = TimeSpan.FromMinutes(-1) },
        { "Sessions:SweepInterval", c => c.SweepInterval = TimeSpan.Zero },
        { "Sessions:CommitTimeout", c => c.CommitTimeout = TimeSpan.FromSeconds(-5) },
        { "Sessions:CacheCapacity", c => c.CacheCapacity = 0 },
        { "Sessions:MaxValueLength", c => c.MaxValueLength = -1 },
        { "Sessions:MaxSessionsPerPrincipal", c => { c.PrincipalKey = "user"; c.MaxSessionsPerPrincipal = -2; } },
        { "Sessions:PrincipalKey", c => c.PrincipalKey = new string('k', 300) },
    };

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public void A_wrong_setting_stops_the_manager_with_its_key_named(string key, Action<SessionsConfig> wrong)
    {
        var config = new SessionsConfig();
        wrong(config);

        var error = Assert.Throws<ArgumentException>(() => new Sessions(config));

        Assert.StartsWith(key, error.Message);
    }

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public void A_wrong_setting_fails_the_options_validation_with_its_key_named(string key, Action<SessionsConfig> wrong)
    {
        var config = new SessionsConfig();
        wrong(config);

        var result = new SessionsConfigRules().Validate(null, config);

        Assert.True(result.Failed);
        Assert.StartsWith(key, Assert.Single(result.Failures!));
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(SessionsConfigRules.Problems(new SessionsConfig()));

    [Fact]
    public void Every_problem_is_reported_at_once() =>
        Assert.Equal(2, SessionsConfigRules.Problems(new SessionsConfig { SweepInterval = TimeSpan.Zero, CacheCapacity = 0 }).Count);
}
