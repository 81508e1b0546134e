using Conduit.Data;
using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conduit.Host.Tests.Hosting;

/// <summary>The host composed into an application's own builder: one container for the application, the host and its plugins.</summary>
public sealed class ComposedHostTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AddConduit_on_an_application_builder_trains_a_job_in_the_applications_container()
    {
        JobDefinition job = JobLoader.Load(TrainingHarness.WriteDigitsJob(_temp.Path));
        var ended = new EndedRecorder();
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IMessageHandler<RunEnded>>(ended); // the application's own handler, on the host's bus
        builder.AddConduit(options =>
        {
            options.Configuration = job.Configuration;
            options.Plugins.Roots.Add(RepoPaths.Plugins);
            options.Plugins.Terminal = false;
        });
        using IHost app = builder.Build();
        await app.StartAsync();

        ConduitHost host = app.Services.GetRequiredService<ConduitHost>();
        Assert.Same(app.Services.GetRequiredService<IHostApplicationLifetime>(), host.Services.GetRequiredService<IHostApplicationLifetime>()); // one container
        Assert.Contains(app.Services.GetServices<IDataSource>(), s => s.Name == "csv");
        var runner = new JobRunner(host);
        RunOutcome outcome;
        using (PreparedRun prepared = runner.Prepare(job))
        {
            outcome = await runner.RunAsync(prepared);
        }
        await app.StopAsync();

        Assert.Equal(RunStatus.Completed, outcome.Status);
        Assert.Equal(outcome.RunId, Assert.Single(ended.Runs));
    }

    private sealed class EndedRecorder : IMessageHandler<RunEnded>
    {
        public List<string> Runs { get; } = [];

        public void Handle(RunEnded message) => Runs.Add(message.RunId);
    }
}
