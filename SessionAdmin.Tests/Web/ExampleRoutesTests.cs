using SessionAdmin.Tests.TestInfrastructure;

namespace SessionAdmin.Tests.Web;

/// <summary>Iris's overview and flash-message examples (<c>_examples/sessions/overview</c>, <c>flash-messages</c>), over HTTP.</summary>
public sealed class ExampleRoutesTests() : WebAppTest
{
    private string? _cookie;

    private async Task<string> GetAsync(string path)
    {
        using var response = await Client.Get(path, _cookie);
        response.EnsureSuccessStatusCode();
        if (response.SessionCookie() is { } c) _cookie = c.Length == 0 ? null : c;
        return await response.BodyAsync();
    }

    [Fact]
    public async Task The_overview_transcript_of_the_securecookie_test()
    {
        Assert.Equal("All ok session set to: iris [isNew=true]", await GetAsync("/examples/overview/set"));
        Assert.Equal("The username on the /set was: iris", await GetAsync("/examples/overview/get"));
        await GetAsync("/examples/overview/delete");
        Assert.Equal("The username on the /set was: ", await GetAsync("/examples/overview/get"));
        Assert.Equal("All ok session set to: iris [isNew=false]", await GetAsync("/examples/overview/set"));
        await GetAsync("/examples/overview/clear");
        Assert.Equal("The username on the /set was: ", await GetAsync("/examples/overview/get"));
    }

    [Fact]
    public async Task Typed_values_set_over_http_keep_their_type()
    {
        Assert.Equal("Key: visits, Type: Int32, Value: 42", await GetAsync("/examples/overview/set/int/visits/42"));
        Assert.Equal("The [visits:Int32] on the /set was: 42", await GetAsync("/examples/overview/get/visits"));
        Assert.Equal("Key: ratio, Type: Double, Value: 0.5", await GetAsync("/examples/overview/set/float64/ratio/0.5"));
    }

    [Fact]
    public async Task The_overview_index_lists_values_html_encoded()
    {
        Assert.Contains("no session values stored yet", await GetAsync("/examples/overview/"));
        await GetAsync("/examples/overview/set/color/%3Cb%3E");
        Assert.Contains("<li> color = &lt;b&gt; </li>", await GetAsync("/examples/overview/"));
    }

    [Fact]
    public async Task Structs_and_immutables_round_trip()
    {
        await GetAsync("/examples/overview/set-struct");
        Assert.Equal("Session value of the 'struct' is: {\"Name\":\"John Doe\"}", await GetAsync("/examples/overview/get-struct"));
        await GetAsync("/examples/overview/set-immutable");
        Assert.Equal("[]businessModel[0].Name remains: Edward", await GetAsync("/examples/overview/get-immutable"));
    }

    [Fact]
    public async Task Update_shifts_the_expiry_of_the_current_session()
    {
        await GetAsync("/examples/overview/set");
        Assert.Equal("", await GetAsync("/examples/overview/update"));
    }

    [Fact]
    public async Task Destroy_then_a_new_visit_starts_fresh()
    {
        Assert.Contains("isNew=true", await GetAsync("/examples/overview/set"));
        await GetAsync("/examples/overview/destroy");
        Assert.Null(_cookie);
        Assert.Contains("isNew=true", await GetAsync("/examples/overview/set"));
    }

    [Fact]
    public async Task A_flash_message_is_available_for_the_next_request_only()
    {
        Assert.Equal("Message set, is available for the next request", await GetAsync("/examples/flash/set"));
        Assert.Equal("Ok you are coming from /set ,the value of the name is iris, and again from the same context: iris", await GetAsync("/examples/flash/test"));
        Assert.Equal("Empty name!!", await GetAsync("/examples/flash/get"));
    }

}
