using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Faults;

/// <summary>The fault job run once without a fault, shared by a class's tests: what every interrupted run must end as.</summary>
public sealed class StraightRun : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    internal FaultJob Job { get; private set; } = null!;

    internal SortedDictionary<(long, string), double> Csv { get; private set; } = [];

    internal SortedDictionary<(long, string), double> Stored { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Job = new FaultJob(_temp.Path);
        Assert.Equal("completed", FaultJob.Status(await Job.RunAsync()));
        Csv = Job.Csv();
        Stored = Job.Stored();
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }
}
