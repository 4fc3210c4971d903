namespace SessionAdmin.Core.Storage;

/// <summary>
/// The store's table and column names, written once: the EF model (<see cref="SessionDbContext"/>, so migrations) and
/// the hot path's SQL (<c>Storage/Sql/</c>) both read them. snake_case, so they need no quoting on either provider.
/// </summary>
internal static class Schema
{
    /// <summary>One row per stored session.</summary>
    public static class Sessions
    {
        public const string Table = "sessions";
        public const string Id = "id", CreatedTicks = "created_ticks", LastAccessTicks = "last_access_ticks", ExpiresTicks = "expires_ticks",
            IdleDeadlineTicks = "idle_deadline_ticks", RemoteIp = "remote_ip", UserAgent = "user_agent", ValueCount = "value_count",
            ValueBytes = "value_bytes", Version = "version", Principal = "principal";
    }

    /// <summary>One row per value or flash.</summary>
    public static class Entries
    {
        public const string Table = "session_entries";
        public const string SessionId = "session_id", Kind = "kind", Key = "key", Seq = "seq", TypeTag = "type_tag", Payload = "payload",
            Immutable = "immutable", FlashRead = "flash_read";
    }

    /// <summary>Why a recently ended session ended.</summary>
    public static class Ended
    {
        public const string Table = "ended_sessions";
        public const string Id = "id", Reason = "reason", AtTicks = "at_ticks";
    }

    /// <summary>The console's history of destroys.</summary>
    public static class DestroyEvents
    {
        public const string Table = "destroy_events";
        public const string Id = "id", AtTicks = "at_ticks", SessionId = "session_id", Reason = "reason", Actor = "actor", Principal = "principal";
    }

    /// <summary>What the store was last prepared for.</summary>
    public static class Settings
    {
        public const string Table = "store_settings";
        public const string Name = "name", Value = "value";
    }
}
