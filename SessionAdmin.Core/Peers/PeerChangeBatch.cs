using System.Globalization;
using System.Text;

namespace SessionAdmin.Core.Peers;

/// <summary>What another node did to a session.</summary>
internal enum PeerChangeKind
{
    /// <summary>It created the session.</summary>
    Created,
    /// <summary>It changed the session's values, flashes or timestamps.</summary>
    Changed,
    /// <summary>It removed the session.</summary>
    Destroyed,
}

/// <summary>One session another node changed.</summary>
internal readonly record struct PeerChange(PeerChangeKind Kind, string SessionId, SessionDestroyReason Reason = default, string? Actor = null,
    string? Principal = null);

/// <summary>
/// The changes one node committed in one transaction, as one notification message: a header line with the node
/// and the commit time, then one line per session. Split so that no message passes PostgreSQL's 8,000-byte limit.
/// </summary>
internal sealed record PeerChangeBatch(string Node, DateTime CommittedUtc, IReadOnlyList<PeerChange> Changes)
{
    private const int MaxMessageBytes = 7_800;

    /// <summary>The batch as one or more messages.</summary>
    public IEnumerable<string> Encode()
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"{Node}\t{CommittedUtc.Ticks}");
        var message = new StringBuilder(header);
        foreach (var change in Changes)
        {
            var line = change.Kind switch
            {
                PeerChangeKind.Created => $"c\t{change.SessionId}",
                PeerChangeKind.Changed => $"u\t{change.SessionId}",
                _ => string.Create(CultureInfo.InvariantCulture, $"d\t{change.SessionId}\t{(int)change.Reason}\t{Clean(change.Actor)}\t{Clean(change.Principal)}"),
            };
            if (message.Length > header.Length && message.Length + 1 + line.Length > MaxMessageBytes)
            {
                yield return message.ToString();
                message.Clear().Append(header);
            }
            message.Append('\n').Append(line);
        }
        if (message.Length > header.Length) yield return message.ToString();
    }

    /// <summary>Reads a message made by <see cref="Encode"/>; null for anything else.</summary>
    public static PeerChangeBatch? Decode(string message)
    {
        var lines = message.Split('\n');
        var header = lines[0].Split('\t');
        if (header.Length != 2 || !long.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return null;
        var changes = new List<PeerChange>(lines.Length - 1);
        foreach (var line in lines.AsSpan(1))
        {
            var f = line.Split('\t');
            PeerChange? change = (f[0], f.Length) switch
            {
                ("c", 2) => new PeerChange(PeerChangeKind.Created, f[1]),
                ("u", 2) => new PeerChange(PeerChangeKind.Changed, f[1]),
                // Four fields from a node that predates principals, five since.
                ("d", 4 or 5) when int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var reason)
                    && Enum.IsDefined((SessionDestroyReason)reason)
                    => new PeerChange(PeerChangeKind.Destroyed, f[1], (SessionDestroyReason)reason, f[3].Length == 0 ? null : f[3],
                        f.Length == 5 && f[4].Length > 0 ? f[4] : null),
                _ => null,
            };
            if (change is null) return null;
            changes.Add(change.Value);
        }
        return new PeerChangeBatch(header[0], new DateTime(ticks, DateTimeKind.Utc), changes);
    }

    // Operator names and principals are text of others: keep the message's separators out of them.
    private static string Clean(string? text) => text is null ? "" : text.Replace('\t', ' ').Replace('\n', ' ');
}
