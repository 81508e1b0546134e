using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>The Keras/Lightning summary table: layers in forward order, output shapes, parameter counts, size.</summary>
public sealed class SummaryTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    [Fact]
    public void An_mlp_64_128_10_has_9610_parameters()
    {
        InMemoryDataset data = SyntheticData.Classification(4, 64, 10);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp" }"""));

        ModelSummary summary = session.Summary;

        Assert.Equal(
            [
                new LayerSummary("fc1", "Linear", "[-1, 128]", 8320, true),
                new LayerSummary("act1", "ReLU", "[-1, 128]", 0, true),
                new LayerSummary("fc2", "Linear", "[-1, 10]", 1290, true),
            ],
            summary.Layers);
        Assert.Equal(9610, summary.TotalParameters);
        Assert.Equal(9610, summary.TrainableParameters);
        Assert.Equal(0, summary.NonTrainableParameters);
        Assert.Equal(9610 * 4, summary.SizeBytes);
    }

    [Fact]
    public void Batch_norm_and_dropout_layers_are_named_in_forward_order_and_buffers_count_in_the_size()
    {
        InMemoryDataset data = SyntheticData.Classification(4, 10, 3);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [20, 8], "activation": "tanh", "dropout": 0.2, "batch_norm": true }"""));

        ModelSummary summary = session.Summary;

        Assert.Equal(
            ["fc1 Linear", "bn1 BatchNorm1d", "act1 Tanh", "drop1 Dropout", "fc2 Linear", "bn2 BatchNorm1d", "act2 Tanh", "drop2 Dropout", "fc3 Linear"],
            summary.Layers.Select(l => $"{l.Name} {l.Type}"));
        long parameters = (10 * 20) + 20 + (2 * 20) + (20 * 8) + 8 + (2 * 8) + (8 * 3) + 3;
        Assert.Equal(parameters, summary.TotalParameters);
        Assert.Equal(40, summary.Layers[1].Parameters);
        // Buffers: running mean and variance (float) and the batch counter (int64) of each batch norm.
        long buffers = (2 * 20 * 4) + 8 + (2 * 8 * 4) + 8;
        Assert.Equal((parameters * 4) + buffers, summary.SizeBytes);
    }

    [Fact]
    public void A_cnn_on_8x8_images_pools_twice_then_flattens()
    {
        InMemoryDataset data = SyntheticData.Quadrants(4);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "cnn" }"""));

        Assert.Equal(
            [
                "conv1 Conv2d [-1, 6, 8, 8] 60", "act1 ReLU [-1, 6, 8, 8] 0", "pool1 MaxPool2d [-1, 6, 4, 4] 0",
                "conv2 Conv2d [-1, 16, 4, 4] 880", "act2 ReLU [-1, 16, 4, 4] 0", "pool2 MaxPool2d [-1, 16, 2, 2] 0",
                "flatten Flatten [-1, 64] 0",
                "fc1 Linear [-1, 120] 7800", "act3 ReLU [-1, 120] 0", "fc2 Linear [-1, 84] 10164", "act4 ReLU [-1, 84] 0",
                "fc3 Linear [-1, 4] 340",
            ],
            session.Summary.Layers.Select(l => $"{l.Name} {l.Type} {l.OutputShape} {l.Parameters}"));
        Assert.Equal(60 + 880 + 7800 + 10164 + 340, session.Summary.TotalParameters);
    }

    [Fact]
    public void A_linear_model_is_one_layer()
    {
        InMemoryDataset data = SyntheticData.Regression(4, 7, 2);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "linear", "outputs": 2 }"""));

        Assert.Equal([new LayerSummary("fc1", "Linear", "[-1, 2]", 16, true)], session.Summary.Layers);
    }
}
