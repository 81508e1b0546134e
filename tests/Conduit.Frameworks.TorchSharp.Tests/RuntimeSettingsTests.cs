using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>The process-wide settings a session applies, and a batch libtorch could not explain.</summary>
public sealed class RuntimeSettingsTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private static readonly InMemoryDataset Data = SyntheticData.Classification(16, 4, 2);

    [Fact]
    public void Deterministic_switches_libtorch_to_deterministic_algorithms_and_back()
    {
        TrainingSessionOptions options = Sessions.Options(Data, """{ "type": "linear" }""");

        using (Framework.CreateTrainingSession(options with { Deterministic = true }))
        {
            Assert.True(Deterministic());
        }
        using (Framework.CreateTrainingSession(options))
        {
            Assert.False(Deterministic());
        }
    }

    [Fact]
    public void A_batch_of_one_cannot_train_batch_norm_and_says_what_to_change()
    {
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(Data, """{ "type": "mlp", "hidden": [4], "batch_norm": true }"""));
        DataBatch one = Sessions.Batches(Data, 1)[0];

        var error = Assert.Throws<ArgumentException>(() => session.TrainStep(one, step: true));

        Assert.StartsWith("A training batch of 1 example cannot be normalised by the model's batch_norm layers; drop the last partial batch (data.drop_last: true)", error.Message);
        Assert.Equal(1, session.EvaluateStep(one).Count); // evaluation uses the running statistics: one example is fine
    }

    private bool Deterministic() => (bool)Plugin.Diagnostic("TorchSharpSessionProbe", "DeterministicAlgorithms")!;
}
