using System.Globalization;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>
/// A model that cannot fit the job's memory limit is refused before libtorch allocates it, with an estimate whose
/// parameter count is the built model's own.
/// </summary>
public sealed class MemoryEstimateTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    [Theory]
    [InlineData("""{ "type": "mlp" }""", false)]
    [InlineData("""{ "type": "mlp", "hidden": [20, 8], "dropout": 0.2, "batch_norm": true }""", false)]
    [InlineData("""{ "type": "linear" }""", false)]
    [InlineData("""{ "type": "cnn", "channels": [4, 8], "batch_norm": true }""", true)]
    public void The_estimate_counts_the_parameters_the_built_model_has(string model, bool images)
    {
        InMemoryDataset data = images ? SyntheticData.Quadrants(4) : SyntheticData.Classification(4, 64, 10);
        long parameters;
        using (ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, model)))
        {
            parameters = session.Summary.TotalParameters;
        }

        var refused = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(Sessions.Options(data, model) with { BatchSize = 32, MaxMemoryBytes = 1 }));

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"({parameters:N0} parameters:"), refused.Message, StringComparison.Ordinal);
        Assert.Contains("a batch of 32); the limit is 1 MB (--max-job-memory-mb)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_25_gigabyte_layer_is_refused_with_its_estimate_before_anything_is_allocated()
    {
        InMemoryDataset data = SyntheticData.Classification(4, 64, 10);
        long before = GC.GetTotalMemory(forceFullCollection: false);

        var refused = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(
            Sessions.Options(data, """{ "type": "mlp", "hidden": [80000, 80000] }""") with { BatchSize = 64, MaxMemoryBytes = 8L << 30 }));

        // 6.4 billion weights, four floats each (the weight, its gradient, Adam's two moments): about 98 GB.
        Assert.StartsWith("model: the model needs about 97,", refused.Message, StringComparison.Ordinal);
        Assert.Contains("6,406,080,010 parameters", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the limit is 8,192 MB", refused.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetTotalMemory(forceFullCollection: false) - before, long.MinValue, 64L << 20);
    }

    [Fact]
    public void Without_a_limit_nothing_is_refused()
    {
        InMemoryDataset data = SyntheticData.Classification(4, 64, 10);
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(data, """{ "type": "mlp", "hidden": [256] }""") with { MaxMemoryBytes = 0 });
        Assert.True(session.Summary.TotalParameters > 0);
    }
}
