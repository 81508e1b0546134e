using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>Each model type and each loss trains on small synthetic data; predictions have the promised shape and meaning.</summary>
public sealed class ModelTrainingTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    [Theory]
    [InlineData("""{ "type": "mlp" }""")]
    [InlineData("""{ "type": "mlp", "hidden": [32, 16], "activation": "gelu", "dropout": 0.1, "batch_norm": true }""")]
    [InlineData("""{ "type": "linear" }""")]
    public void A_classifier_learns_a_separable_problem(string model)
    {
        InMemoryDataset data = SyntheticData.Classification(256, 8, 3);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, model, """{ "lr": 0.01 }"""));
        double before = Sessions.Evaluate(session, data).Loss;

        Sessions.Train(session, data, epochs: 6, batchSize: 32);

        (double after, StepResult total) = Sessions.Evaluate(session, data);
        Assert.True(after < before * 0.5, $"loss {before} -> {after}");
        Assert.True(total.Correct > 0.85 * total.Count, $"{total.Correct} of {total.Count} correct");
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("gelu")]
    [InlineData("sigmoid")]
    [InlineData("leaky_relu")]
    [InlineData("elu")]
    public void Every_activation_trains(string activation)
    {
        InMemoryDataset data = SyntheticData.Classification(128, 8, 2);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, $$"""{ "type": "mlp", "hidden": [16], "activation": "{{activation}}" }""", """{ "lr": 0.02 }"""));
        double before = Sessions.Evaluate(session, data).Loss;

        Sessions.Train(session, data, epochs: 4, batchSize: 16);

        Assert.True(Sessions.Evaluate(session, data).Loss < before * 0.8);
    }

    [Theory]
    [InlineData(false, """{ "type": "cnn" }""")]
    [InlineData(true, """{ "type": "cnn", "input_shape": [1, 8, 8], "channels": [4, 8], "hidden": [32], "batch_norm": true, "dropout": 0.1 }""")]
    public void A_cnn_learns_where_the_blob_is(bool flat, string model)
    {
        InMemoryDataset data = SyntheticData.Quadrants(256, flat);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, model, """{ "lr": 0.005 }"""));
        double before = Sessions.Evaluate(session, data).Loss;

        Sessions.Train(session, data, epochs: 4, batchSize: 32);

        (double after, StepResult total) = Sessions.Evaluate(session, data);
        Assert.True(after < before * 0.5, $"loss {before} -> {after}");
        Assert.True(total.Correct > 0.9 * total.Count, $"{total.Correct} of {total.Count} correct");
    }

    [Fact]
    public void Binary_cross_entropy_trains_one_logit_and_predicts_both_class_probabilities()
    {
        InMemoryDataset data = SyntheticData.Classification(200, 6, 2);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [16], "loss": "bce" }""", """{ "lr": 0.02 }"""));
        double before = Sessions.Evaluate(session, data).Loss;

        Sessions.Train(session, data, epochs: 5, batchSize: 20);

        (double after, StepResult total) = Sessions.Evaluate(session, data);
        Assert.True(after < before * 0.5, $"loss {before} -> {after}");
        Assert.True(total.Correct > 0.9 * total.Count, $"{total.Correct} of {total.Count} correct");
        Assert.Equal(16 + 1, session.Summary.Layers[^1].Parameters); // one output logit
        TensorBuffer<float> probabilities = session.Predict(Sessions.Batches(data, 50, shuffle: false)[0].Features);
        Assert.Equal(new TensorShape(50, 2), probabilities.Shape);
        AssertRowsSumToOne(probabilities);
    }

    [Fact]
    public void Classifier_predictions_are_probabilities_whose_rows_sum_to_one()
    {
        InMemoryDataset data = SyntheticData.Classification(64, 8, 5);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [16], "dropout": 0.5 }"""));
        Sessions.Train(session, data, epochs: 1, batchSize: 16);

        DataBatch batch = Sessions.Batches(data, 64, shuffle: false)[0];
        TensorBuffer<float> probabilities = session.Predict(batch.Features);

        Assert.Equal(new TensorShape(64, 5), probabilities.Shape);
        Assert.All(probabilities.Memory.ToArray(), p => Assert.InRange(p, 0f, 1f));
        AssertRowsSumToOne(probabilities);
        // Evaluation mode: dropout is off, so predicting twice gives the same numbers.
        Assert.Equal(probabilities.Memory.ToArray(), session.Predict(batch.Features).Memory.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Regression_with_mse_learns_and_reports_errors_per_example(int outputs)
    {
        InMemoryDataset data = SyntheticData.Regression(256, 5, outputs);
        string model = outputs == 1 ? """{ "type": "mlp", "hidden": [32] }""" : $$"""{ "type": "mlp", "hidden": [32], "outputs": {{outputs}} }""";
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, model, """{ "lr": 0.01 }"""));
        double before = Sessions.Evaluate(session, data).Loss;

        Sessions.Train(session, data, epochs: 8, batchSize: 32);

        (double after, StepResult total) = Sessions.Evaluate(session, data);
        Assert.True(after < before * 0.2, $"loss {before} -> {after}");
        // MSE over all outputs is the mean over examples of each example's mean squared error.
        Assert.Equal(after, total.SquaredError / total.Count, 4);
        Assert.True(total.AbsoluteError / total.Count <= Math.Sqrt(after) + 1e-6);
        TensorBuffer<float> values = session.Predict(Sessions.Batches(data, 10, shuffle: false)[0].Features);
        Assert.Equal(new TensorShape(10, outputs), values.Shape);
    }

    [Fact]
    public void Evaluation_leaves_training_mode_for_the_next_step()
    {
        InMemoryDataset data = SyntheticData.Classification(32, 4, 2);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [64], "dropout": 0.5 }"""));
        DataBatch batch = Sessions.Batches(data, 32, shuffle: false)[0];

        double evaluated = session.EvaluateStep(batch).Loss;
        Assert.Equal(evaluated, session.EvaluateStep(batch).Loss);
        double trained = session.TrainStep(batch, step: false).Loss;
        double again = session.TrainStep(batch, step: false).Loss;

        // Dropout is on again while training: two passes over the same batch and weights differ.
        Assert.NotEqual(trained, again);
    }

    [Fact]
    public void Where_a_batch_sits_in_memory_does_not_change_a_single_bit()
    {
        // libtorch's matrix products round differently by the input's address alignment; the session copies each
        // batch into libtorch's aligned memory, so the same numbers give the same loss wherever the host keeps them.
        InMemoryDataset data = SyntheticData.Classification(16, 6, 3);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [8] }"""));
        DataBatch batch = Sessions.Batches(data, 16, shuffle: false)[0];
        float[] features = ((TensorBuffer<float>)batch.Features).Memory.ToArray();

        var losses = new HashSet<double>();
        for (int offset = 0; offset < 16; offset++)
        {
            var shifted = new float[features.Length + 16];
            features.CopyTo(shifted, offset);
            var moved = new DataBatch(new TensorBuffer<float>(shifted.AsMemory(offset, features.Length), batch.Features.Shape), batch.Targets);
            losses.Add(session.EvaluateStep(moved).Loss);
        }

        Assert.Single(losses);
    }

    private static void AssertRowsSumToOne(TensorBuffer<float> probabilities)
    {
        int width = probabilities.Shape[1];
        float[] values = probabilities.Memory.ToArray();
        for (int row = 0; row < probabilities.Shape[0]; row++)
        {
            Assert.Equal(1.0, values.AsSpan(row * width, width).ToArray().Sum(), 5);
        }
    }
}
