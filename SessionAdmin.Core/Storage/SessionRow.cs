namespace SessionAdmin.Core.Storage;

/// <summary>The <c>sessions</c> table: one row per live session. Times are UTC ticks, so every provider sorts them.</summary>
internal sealed class SessionRow
{
    /// <summary>The session ID.</summary>
    public string Id { get; set; } = "";
    /// <summary>Creation time (UTC ticks).</summary>
    public long CreatedTicks { get; set; }
    /// <summary>Last request that started the session (UTC ticks; recorded at most once a minute).</summary>
    public long LastAccessTicks { get; set; }
    /// <summary>Absolute expiry (UTC ticks), or null for none.</summary>
    public long? ExpiresTicks { get; set; }
    /// <summary>Idle deadline (UTC ticks), or null when idle timeout is off.</summary>
    public long? IdleDeadlineTicks { get; set; }
    /// <summary>Remote IP of the creating request.</summary>
    public string? RemoteIp { get; set; }
    /// <summary>How much of a user agent is kept: enough to name the browser and device; a longer header is cut.</summary>
    public const int MaxUserAgentLength = 512;

    /// <summary>User agent of the creating request (at most <see cref="MaxUserAgentLength"/> characters).</summary>
    public string? UserAgent { get; set; }
    /// <summary>How many values (flashes excluded) the session holds.</summary>
    public int ValueCount { get; set; }
    /// <summary>The size of its stored values and flashes, in characters.</summary>
    public long ValueBytes { get; set; }
    /// <summary>
    /// Counts the writes to the session (1 at creation). A node that sees a version it did not write knows its
    /// cached copy is stale: another node shares the store.
    /// </summary>
    public long Version { get; set; } = 1;
    /// <summary>The principal its value under <see cref="SessionsConfig.PrincipalKey"/> names, or null (indexed).</summary>
    public string? Principal { get; set; }
    /// <summary>Its values and flashes.</summary>
    public List<SessionEntryRow> Entries { get; set; } = [];
}

/// <summary>The <c>ended_sessions</c> table: why a session ended, kept a day for <see cref="Sessions.EndedReason"/>.</summary>
internal sealed class EndedSessionRow
{
    /// <summary>The ended session's ID (dead, so harmless to keep).</summary>
    public string Id { get; set; } = "";
    /// <summary>Why it ended.</summary>
    public SessionDestroyReason Reason { get; set; }
    /// <summary>When (UTC ticks).</summary>
    public long AtTicks { get; set; }
}

/// <summary>The <c>store_settings</c> table: what the store was last prepared for (the principal key it is indexed under).</summary>
internal sealed class StoreSettingRow
{
    /// <summary>The setting.</summary>
    public string Name { get; set; } = "";
    /// <summary>Its value.</summary>
    public string? Value { get; set; }
}

/// <summary>The <c>session_entries</c> table: one row per value or flash, so requests write per key.</summary>
internal sealed class SessionEntryRow
{
    /// <summary>The owning session.</summary>
    public string SessionId { get; set; } = "";
    /// <summary>Value or flash.</summary>
    public SessionEntryKind Kind { get; set; }
    /// <summary>The key.</summary>
    public string Key { get; set; } = "";
    /// <summary>Insertion order within the session.</summary>
    public long Seq { get; set; }
    /// <summary>The CLR type tag (see the value codec).</summary>
    public string TypeTag { get; set; } = "";
    /// <summary>The value as invariant text or JSON; null for a null value.</summary>
    public string? Payload { get; set; }
    /// <summary>Set by SetImmutable: Set cannot replace it.</summary>
    public bool Immutable { get; set; }
    /// <summary>For a flash: read, so the next request removes it.</summary>
    public bool FlashRead { get; set; }
}
