using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>SGD (with momentum and Nesterov), Adam and AdamW: their update rules, checked on the weights.</summary>
public sealed class OptimizerTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private const string Model = """{ "type": "mlp", "hidden": [8] }""";
    private static readonly InMemoryDataset Data = SyntheticData.Classification(48, 6, 3);

    [Theory]
    [InlineData("""{ "type": "adam", "lr": 0.01 }""", "lr-Adam")]
    [InlineData("""{ "type": "adamw", "lr": 0.01, "weight_decay": 0.01 }""", "lr-AdamW")]
    [InlineData("""{ "type": "sgd", "lr": 0.1 }""", "lr-SGD")]
    [InlineData("""{ "type": "sgd", "lr": 0.1, "momentum": 0.9 }""", "lr-SGD")]
    [InlineData("""{ "type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true, "weight_decay": 0.0001 }""", "lr-SGD")]
    public void Each_optimizer_trains_and_names_its_learning_rate(string optimizer, string name)
    {
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(Data, Model, optimizer));
        double before = Sessions.Evaluate(session, Data).Loss;

        Sessions.Train(session, Data, epochs: 5, batchSize: 8);

        Assert.True(Sessions.Evaluate(session, Data).Loss < before * 0.8);
        Assert.Equal([name], session.LearningRates.Keys);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void Weight_decay_shrinks_the_weights_by_lr_times_decay_on_top_of_the_same_update(string type)
    {
        // SGD: w -= lr (g + wd w); AdamW: w -= lr wd w, then the Adam update. Either way, against the same step without
        // decay (same seed, same batch, so the same gradient and Adam update), the difference is exactly -lr wd w0.
        const double lr = 0.1, decay = 0.5;
        DataBatch batch = Sessions.Batches(Data, 16)[0];
        using ITrainingSession plain = Framework.CreateTrainingSession(Sessions.Options(Data, Model, $$"""{ "type": "{{type}}", "lr": {{lr}} }"""));
        using ITrainingSession decayed = Framework.CreateTrainingSession(Sessions.Options(Data, Model, $$"""{ "type": "{{type}}", "lr": {{lr}}, "weight_decay": {{decay}} }"""));
        float[] w0 = Weights(plain);
        Assert.Equal(w0, Weights(decayed));

        plain.TrainStep(batch, step: true);
        decayed.TrainStep(batch, step: true);

        float[] a = Weights(plain), b = Weights(decayed);
        for (int i = 0; i < w0.Length; i++)
        {
            Assert.Equal(-lr * decay * w0[i], b[i] - a[i], 1e-6);
        }
    }

    [Fact]
    public void Adam_weight_decay_is_an_L2_term_in_the_gradient_not_a_decoupled_shrink()
    {
        DataBatch batch = Sessions.Batches(Data, 16)[0];
        using ITrainingSession plain = Framework.CreateTrainingSession(Sessions.Options(Data, Model, """{ "type": "adam", "lr": 0.1 }"""));
        using ITrainingSession decayed = Framework.CreateTrainingSession(Sessions.Options(Data, Model, """{ "type": "adam", "lr": 0.1, "weight_decay": 0.5 }"""));
        float[] w0 = Weights(plain);

        plain.TrainStep(batch, step: true);
        decayed.TrainStep(batch, step: true);

        float[] a = Weights(plain), b = Weights(decayed);
        Assert.Contains(Enumerable.Range(0, w0.Length), i => Math.Abs(b[i] - a[i] - (-0.05 * w0[i])) > 1e-4);
    }

    [Fact]
    public void Sgd_momentum_and_nesterov_follow_their_update_rules()
    {
        // Step 1 from w0 with gradient g1: plain and momentum move by -lr g1, Nesterov by -lr (1 + m) g1.
        // Step 2 from the same w1: momentum adds m (w1 - w0) to the plain update.
        const double m = 0.9;
        List<DataBatch> batches = Sessions.Batches(Data, 16);
        using ITrainingSession plain = Framework.CreateTrainingSession(Sessions.Options(Data, Model, """{ "type": "sgd", "lr": 0.1 }"""));
        using ITrainingSession momentum = Framework.CreateTrainingSession(Sessions.Options(Data, Model, """{ "type": "sgd", "lr": 0.1, "momentum": 0.9 }"""));
        using ITrainingSession nesterov = Framework.CreateTrainingSession(Sessions.Options(Data, Model, """{ "type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true }"""));
        float[] w0 = Weights(plain);

        foreach (ITrainingSession session in new[] { plain, momentum, nesterov })
        {
            session.TrainStep(batches[0], step: true);
        }
        float[] w1 = Weights(plain);
        Assert.Equal(w1, Weights(momentum));
        float[] n1 = Weights(nesterov);
        for (int i = 0; i < w0.Length; i++)
        {
            Assert.Equal((1 + m) * (w1[i] - w0[i]), n1[i] - w0[i], 1e-6);
        }

        plain.TrainStep(batches[1], step: true);
        momentum.TrainStep(batches[1], step: true);
        float[] p2 = Weights(plain), m2 = Weights(momentum);
        for (int i = 0; i < w0.Length; i++)
        {
            Assert.Equal(m * (w1[i] - w0[i]), m2[i] - p2[i], 1e-6);
        }
    }
}
