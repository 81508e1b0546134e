using Conduit.Host.Data;

namespace Conduit.Data.Tests.Streaming;

public sealed class NormalizerFitterTests
{
    [Theory]
    [InlineData(NormalizationKind.Standardize)]
    [InlineData(NormalizationKind.MinMax)]
    public void Fitting_example_by_example_in_chunks_matches_fitting_everything_at_once(NormalizationKind kind)
    {
        const int Features = 3;
        const int Rows = 10_000; // more than two chunks
        var random = new Random(4);
        float[] data = [.. Enumerable.Range(0, Rows * Features).Select(i => (float)(1000 + random.NextDouble() * (i % Features + 1)))];

        var whole = new NormalizerFitter(kind, Features);
        whole.AddExamples(data);
        var streamed = new NormalizerFitter(kind, Features);
        for (int i = 0; i < Rows; i++)
        {
            streamed.AddExample(data.AsSpan(i * Features, Features));
        }

        NormalizerState a = whole.Build().State;
        NormalizerState b = streamed.Build().State;
        Assert.Equal(Rows, streamed.Count);
        for (int j = 0; j < Features; j++)
        {
            Assert.Equal(a.Center[j], b.Center[j], 1e-4f);
            Assert.Equal(a.Scale[j], b.Scale[j], 1e-4f);
        }
    }
}
