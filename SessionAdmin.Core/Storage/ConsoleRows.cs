namespace SessionAdmin.Core.Storage;

/// <summary>The <c>destroy_events</c> table: a bounded history of destroyed sessions, for the console's feed.</summary>
internal sealed class DestroyEventRow
{
    /// <summary>Insertion order.</summary>
    public long Id { get; set; }
    /// <summary>When (UTC ticks).</summary>
    public long AtTicks { get; set; }
    /// <summary>The destroyed session's ID (dead, so harmless to keep).</summary>
    public string SessionId { get; set; } = "";
    /// <summary>Why.</summary>
    public SessionDestroyReason Reason { get; set; }
    /// <summary>The operator, when one did it.</summary>
    public string? Actor { get; set; }
    /// <summary>The session's principal, when it had one.</summary>
    public string? Principal { get; set; }
}

/// <summary>The <c>audit_entries</c> table: every operator edit and destroy.</summary>
internal sealed class AuditEntryRow
{
    /// <summary>Insertion order.</summary>
    public long Id { get; set; }
    /// <summary>When (UTC ticks).</summary>
    public long AtTicks { get; set; }
    /// <summary>The operator.</summary>
    public string Actor { get; set; } = "";
    /// <summary>What was done (set, add, delete, destroy, destroy-all).</summary>
    public string Action { get; set; } = "";
    /// <summary>A short hash of the session ID (never the ID itself).</summary>
    public string? SessionHash { get; set; }
    /// <summary>The key and value type concerned, or a count.</summary>
    public string? Detail { get; set; }

    /// <summary>How much of a detail is kept (longer ones are cut).</summary>
    public const int MaxDetailLength = 512;
}
