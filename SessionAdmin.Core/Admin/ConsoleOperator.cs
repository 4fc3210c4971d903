namespace SessionAdmin.Core.Admin;

/// <summary>Who asks the catalog for something: viewers may read, operators may also edit and destroy.</summary>
public sealed record ConsoleOperator(string Name, bool CanEdit)
{
    internal void DemandEdit()
    {
        if (!CanEdit) throw new UnauthorizedAccessException($"{Name} may view sessions but not change them.");
    }
}
