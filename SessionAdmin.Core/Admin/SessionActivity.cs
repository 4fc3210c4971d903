namespace SessionAdmin.Core.Admin;

/// <summary>Sessions created and destroyed per minute over the last hour (the overview's cards and chart).</summary>
public sealed class SessionActivity(TimeProvider time)
{
    private const int Minutes = 60;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, (int Created, int Destroyed)> _buckets = [];

    /// <summary>One minute of activity.</summary>
    public readonly record struct Minute(DateTime StartUtc, int Created, int Destroyed);

    internal void CountCreated(DateTime atUtc) => Add(atUtc, 1, 0);
    internal void CountDestroyed(DateTime atUtc) => Add(atUtc, 0, 1);

    internal void Seed(IEnumerable<long> createdTicks, IEnumerable<long> destroyedTicks)
    {
        lock (_gate)
        {
            _buckets.Clear();
            foreach (var t in createdTicks) AddCore(t / TimeSpan.TicksPerMinute, 1, 0);
            foreach (var t in destroyedTicks) AddCore(t / TimeSpan.TicksPerMinute, 0, 1);
        }
    }

    /// <summary>The last 60 minutes, oldest first (empty minutes included).</summary>
    public IReadOnlyList<Minute> LastHour()
    {
        var now = time.GetUtcNow().UtcDateTime.Ticks / TimeSpan.TicksPerMinute;
        lock (_gate)
        {
            return Enumerable.Range(0, Minutes).Select(i =>
            {
                var minute = now - Minutes + 1 + i;
                var (c, d) = _buckets.GetValueOrDefault(minute);
                return new Minute(new DateTime(minute * TimeSpan.TicksPerMinute, DateTimeKind.Utc), c, d);
            }).ToList();
        }
    }

    private void Add(DateTime atUtc, int created, int destroyed)
    {
        lock (_gate)
        {
            AddCore(atUtc.Ticks / TimeSpan.TicksPerMinute, created, destroyed);
            var oldest = time.GetUtcNow().UtcDateTime.Ticks / TimeSpan.TicksPerMinute - Minutes;
            foreach (var key in _buckets.Keys.Where(k => k < oldest).ToList()) _buckets.Remove(key);
        }
    }

    private void AddCore(long minute, int created, int destroyed)
    {
        var (c, d) = _buckets.GetValueOrDefault(minute);
        _buckets[minute] = (c + created, d + destroyed);
    }
}
