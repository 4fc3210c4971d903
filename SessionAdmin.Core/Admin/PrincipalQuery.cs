namespace SessionAdmin.Core.Admin;

/// <summary>What the console's users list can be sorted by.</summary>
public enum PrincipalSortField
{
    /// <summary>The principal's name (the index order: the fastest).</summary>
    Principal,
    /// <summary>How many sessions it holds.</summary>
    SessionCount,
    /// <summary>Its most recent activity.</summary>
    LastActivity,
    /// <summary>How many distinct IP addresses its sessions come from.</summary>
    DistinctIps,
}

/// <summary>One page of principals (the people behind the sessions): search, sort and paging, applied in the store.</summary>
public sealed record PrincipalQuery
{
    /// <summary>Zero-based page.</summary>
    public int Page { get; init; }
    /// <summary>Rows per page (1–500).</summary>
    public int PageSize { get; init; } = 25;
    /// <summary>Principals starting with this (case-sensitive).</summary>
    public string? Search { get; init; }
    /// <summary>Sort column.</summary>
    public PrincipalSortField Sort { get; init; } = PrincipalSortField.Principal;
    /// <summary>Sort direction.</summary>
    public bool Descending { get; init; }
}

/// <summary>A principal and its sessions in numbers.</summary>
public sealed record PrincipalSummary(string Principal, int SessionCount, DateTime LastActivityUtc, int DistinctIps);

/// <summary>A page of principals and how many there are in all (at most <see cref="SessionCatalog.CountCap"/>).</summary>
public sealed record PrincipalPage(IReadOnlyList<PrincipalSummary> Items, int TotalCount)
{
    /// <summary>More than <see cref="SessionCatalog.CountCap"/> principals match.</summary>
    public bool TotalIsCapped { get; init; }
}
