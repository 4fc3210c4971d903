namespace SessionAdmin.Tests.Faults;

/// <summary>
/// The fault tests run one after another: each drives a storm at two app processes, and two storms at once on two
/// cores would measure each other, not the fault.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
