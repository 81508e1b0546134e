using System.Runtime.CompilerServices;
using Conduit.Configuration;
using Conduit.Data;

namespace Fixture.Faults;

/// <summary>
/// <c>"source": "faults"</c>: <c>rows</c> examples of <c>features</c> features in two separable classes, in blocks of 16.
/// Pass <c>fail_pass</c> (1-based; 0, the default, never) fails after <c>fail_after_rows</c> rows: with <c>fail_with: io</c>
/// it throws an IOException, as a disk would; with <c>label</c> the row has a class index outside the schema's, which
/// the framework's training step refuses.
/// </summary>
public sealed class FaultyDataSource : IDataSource
{
    public string Name => "faults";

    public IDataset Open(SettingsReader settings)
    {
        int rows = settings.Int("rows", 256, 1);
        int features = settings.Int("features", 4, 1);
        int failPass = settings.Int("fail_pass", 0, 0);
        int failAfter = settings.Int("fail_after_rows", 0, 0);
        bool label = settings.Choice("fail_with", "io", "io", "label") == "label";
        settings.RejectUnknown();
        settings.ThrowIfProblems();
        return new Dataset(rows, features, failPass, failAfter, label);
    }

    private sealed class Dataset(int rows, int features, int failPass, int failAfter, bool label) : IDataset
    {
        private const int Block = 16;
        private int _passes;

        public DataSchema Schema { get; } = new(new TensorShape(features), [.. Enumerable.Range(0, features).Select(i => $"x{i}")], TargetKind.Classification, ["a", "b"]);

        public long? Count => rows;

        public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            int pass = Interlocked.Increment(ref _passes);
            for (int start = 0; start < rows; start += Block)
            {
                if (pass == failPass && !label && start >= failAfter)
                {
                    throw new IOException($"faults: read error after {start} rows in pass {pass}");
                }
                int n = Math.Min(Block, rows - start);
                var x = new float[n * features];
                var y = new long[n];
                for (int i = 0; i < n; i++)
                {
                    int row = start + i;
                    y[i] = pass == failPass && label && row == failAfter ? 7 : row % 2;
                    for (int j = 0; j < features; j++)
                    {
                        x[(i * features) + j] = (y[i] == 0 ? -1f : 1f) + (((row * 31) + (j * 17)) % 13 / 26f);
                    }
                }
                yield return new DataBatch(new TensorBuffer<float>(x, new TensorShape(n, features)), new TensorBuffer<long>(y, new TensorShape(n)));
                await Task.Yield();
            }
        }
    }
}
