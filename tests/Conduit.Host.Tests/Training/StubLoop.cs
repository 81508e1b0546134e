using Conduit.Data;
using Conduit.Host.Checkpoints;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Conduit.Host.Messaging;
using Conduit.Host.Training;
using Conduit.Messages;
using Conduit.Messaging;
using Conduit.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Host.Tests.Training;

/// <summary>Drives the real <see cref="Trainer"/> with a <see cref="StubSession"/> over in-memory data, recording the bus.</summary>
internal static class StubLoop
{
    public static readonly DataSchema Schema = new(new TensorShape(1), ["x"], TargetKind.Classification, ["a"]);

    public sealed record Observed(RunOutcome Outcome, StubSession Session, List<BatchEnded> Batches, List<ValidationEnded> Validations, List<EpochEnded> Epochs, List<MetricsLogged> Metrics);

    /// <summary>The first validation example's feature: validation batches are told apart from training ones.</summary>
    public const int FirstValidationExample = 1000;

    /// <summary><paramref name="count"/> examples whose one feature is their number (from <paramref name="first"/>), so a batch tells where it starts.</summary>
    public static InMemoryDataset Examples(int count, int first = 0) =>
        new(Schema, [.. Enumerable.Range(first, count).Select(i => (float)i)], new long[count]);

    /// <summary>Fits <paramref name="trainExamples"/> examples (and <paramref name="validationExamples"/>, none when 0) in batches of <paramref name="batchSize"/>.</summary>
    public static async Task<Observed> FitAsync(TrainerSettings settings, int trainExamples = 40, int validationExamples = 8, int batchSize = 4,
        Func<ITrainerContext, IReadOnlyList<ITrainerCallback>>? callbacks = null, string? checkpoints = null, CheckpointMetadata? resume = null)
    {
        await using ServiceProvider services = new ServiceCollection().AddConduitBus().BuildServiceProvider();
        var observed = new Observed(null!, new StubSession(), [], [], [], []);
        using var a = services.GetRequiredService<ISubscriber<BatchEnded>>().Subscribe(observed.Batches.Add);
        using var b = services.GetRequiredService<ISubscriber<ValidationEnded>>().Subscribe(observed.Validations.Add);
        using var c = services.GetRequiredService<ISubscriber<EpochEnded>>().Subscribe(observed.Epochs.Add);
        using var d = services.GetRequiredService<ISubscriber<MetricsLogged>>().Subscribe(observed.Metrics.Add);
        var job = new JobDefinition(Path.Combine(Path.GetTempPath(), "stub.job.json"), "stub", new ConfigurationBuilder().Build(), settings);
        var context = new Conduit.Host.Training.Runs.TrainerContext();
        var run = new TrainerRun("stub-run", job, "stub", Schema, batchSize, callbacks?.Invoke(context) ?? []) { CheckpointDirectory = checkpoints, Context = context };
        var trainer = new Trainer(run, observed.Session, services);
        RunOutcome outcome = await trainer.FitAsync(Examples(trainExamples), validationExamples > 0 ? Examples(validationExamples, FirstValidationExample) : null, resume: resume);
        return observed with { Outcome = outcome };
    }
}
