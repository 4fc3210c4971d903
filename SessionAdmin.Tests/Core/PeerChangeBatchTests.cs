using System.Text;
using SessionAdmin.Core.Peers;
using SessionAdmin.Core;

namespace SessionAdmin.Tests.Core;

/// <summary>The message one node sends the others after a commit.</summary>
public sealed class PeerChangeBatchTests
{
    private static readonly DateTime At = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_batch_comes_back_as_it_was_sent()
    {
        var batch = new PeerChangeBatch("node-a", At,
        [
            new PeerChange(PeerChangeKind.Created, "id-1"),
            new PeerChange(PeerChangeKind.Changed, "id-2"),
            new PeerChange(PeerChangeKind.Destroyed, "id-3", SessionDestroyReason.DestroyedByID, "olga"),
            new PeerChange(PeerChangeKind.Destroyed, "id-4", SessionDestroyReason.IdleTimeout),
        ]);

        var back = PeerChangeBatch.Decode(Assert.Single(batch.Encode()));

        Assert.NotNull(back);
        Assert.Equal((batch.Node, batch.CommittedUtc), (back.Node, back.CommittedUtc));
        Assert.Equal(batch.Changes, back.Changes);
    }

    [Fact]
    public void A_large_batch_is_split_into_messages_PostgreSQL_accepts()
    {
        var changes = Enumerable.Range(0, 2_000).Select(i => new PeerChange(PeerChangeKind.Destroyed, $"{i:D32}", SessionDestroyReason.DestroyedAll)).ToList();

        var messages = new PeerChangeBatch("node-a", At, changes).Encode().ToList();

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.InRange(Encoding.UTF8.GetByteCount(m), 1, 7_999));
        Assert.Equal(changes, messages.SelectMany(m => PeerChangeBatch.Decode(m)!.Changes));
    }

    [Fact]
    public void Separators_in_an_operator_name_do_not_break_the_message()
    {
        var batch = new PeerChangeBatch("n", At, [new PeerChange(PeerChangeKind.Destroyed, "id", SessionDestroyReason.DestroyedByID, "a\tb\nc")]);

        var back = PeerChangeBatch.Decode(Assert.Single(batch.Encode()))!;

        Assert.Equal("a b c", Assert.Single(back.Changes).Actor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("node")]
    [InlineData("node\tnot-a-number")]
    [InlineData("node\t1\nx\tid")]
    [InlineData("node\t1\nd\tid\t999\t")]
    [InlineData("node\t1\nc")]
    public void A_message_of_another_shape_is_ignored(string message) => Assert.Null(PeerChangeBatch.Decode(message));
}
