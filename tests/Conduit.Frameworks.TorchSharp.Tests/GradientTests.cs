using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>Gradient accumulation and clipping, observed on the weights one SGD step moves.</summary>
public sealed class GradientTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private const string Model = """{ "type": "mlp", "hidden": [16] }""";
    private static readonly InMemoryDataset Data = SyntheticData.Classification(16, 6, 3);

    [Fact]
    public void Accumulating_two_batches_of_8_steps_like_one_batch_of_16()
    {
        DataBatch whole = Sessions.Batches(Data, 16, shuffle: false)[0];
        List<DataBatch> halves = Sessions.Batches(Data, 8, shuffle: false);
        TrainingSessionOptions options = Sessions.Options(Data, Model, """{ "type": "sgd", "lr": 0.5 }""");
        using ITrainingSession once = Framework.CreateTrainingSession(options);
        using ITrainingSession accumulated = Framework.CreateTrainingSession(options with { AccumulateGradBatches = 2 });

        double loss = once.TrainStep(whole, step: true).Loss;
        double first = accumulated.TrainStep(halves[0], step: false).Loss;
        float[] unchanged = Weights(accumulated);
        double second = accumulated.TrainStep(halves[1], step: true).Loss;

        Assert.Equal(Weights(once).Length, unchanged.Length);
        Assert.NotEqual(Weights(once), unchanged); // no step after the first half
        Assert.Equal(loss, (first + second) / 2, 1e-6); // each batch's own, undivided loss
        float[] a = Weights(once), b = Weights(accumulated);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-6);
        }
    }

    [Theory]
    [InlineData("norm")]
    [InlineData("value")]
    public void Clipping_bounds_what_one_step_can_move(string algorithm)
    {
        // With SGD and lr 1 (no momentum, no decay), a step moves the weights by exactly the clipped gradient.
        const double clip = 0.01;
        DataBatch batch = Sessions.Batches(Data, 16)[0];
        TrainingSessionOptions options = Sessions.Options(Data, Model, """{ "type": "sgd", "lr": 1.0 }""");
        using ITrainingSession free = Framework.CreateTrainingSession(options);
        using ITrainingSession clipped = Framework.CreateTrainingSession(options with { GradientClipValue = clip, GradientClipAlgorithm = algorithm });
        float[] w0 = Weights(free);

        free.TrainStep(batch, step: true);
        clipped.TrainStep(batch, step: true);

        double[] freeStep = Delta(w0, Weights(free)), clippedStep = Delta(w0, Weights(clipped));
        if (algorithm == "norm")
        {
            Assert.True(Norm(freeStep) > 10 * clip, $"the unclipped step {Norm(freeStep)} is too small for the test to mean anything");
            Assert.Equal(clip, Norm(clippedStep), 1e-5);
            // Norm clipping scales the whole gradient: the direction is kept.
            double scale = Norm(clippedStep) / Norm(freeStep);
            Assert.All(Enumerable.Range(0, w0.Length), i => Assert.Equal(freeStep[i] * scale, clippedStep[i], 1e-6));
        }
        else
        {
            Assert.Contains(freeStep, d => Math.Abs(d) > 2 * clip);
            Assert.All(clippedStep, d => Assert.True(Math.Abs(d) <= clip + 1e-7, $"{d}"));
            Assert.Contains(clippedStep, d => Math.Abs(d) > clip - 1e-7);
        }
    }

    private static double[] Delta(float[] before, float[] after) => [.. before.Select((w, i) => (double)after[i] - w)];

    private static double Norm(double[] values) => Math.Sqrt(values.Sum(v => v * v));
}
