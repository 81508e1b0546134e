namespace Conduit.Host.Tests.Support;

/// <summary>
/// Tests that train in this process: libtorch's random generator, thread count and determinism flag are
/// process-wide, so these never run alongside each other (or anything else).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "libtorch (process-wide state)";
}
