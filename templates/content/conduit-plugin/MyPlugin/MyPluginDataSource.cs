using System.Runtime.CompilerServices;
using Conduit.Data;
using Conduit.Configuration;

namespace MyPlugin;

/// <summary>
/// <c>"data": { "source": "PLUGIN_ID_VALUE", "rows": 1000, "features": 8, "seed": 1 }</c>: two classes of points drawn
/// around two centers. Replace the generator with your format's reader; the host batches, shuffles and splits.
/// </summary>
public sealed class MyPluginDataSource : IDataSource
{
    /// <inheritdoc/>
    public string Name => "PLUGIN_ID_VALUE";

    /// <inheritdoc/>
    public IDataset Open(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Each setting once, with its default and range; then refuse what nobody read (a misspelt key), before any work.
        int rows = settings.Int("rows", 1000, 1);
        int features = settings.Int("features", 8, 1);
        int seed = settings.Int("seed", 1);
        settings.RejectUnknown();
        settings.ThrowIfProblems();
        return new Points(rows, features, seed);
    }

    /// <summary>The examples in storage order, in blocks of up to 256 rows: the same examples on every pass.</summary>
    private sealed class Points(int rows, int features, int seed) : IDataset
    {
        private const int BlockRows = 256;

        public DataSchema Schema { get; } = new(new TensorShape(features), [], TargetKind.Classification, ["negative", "positive"]);

        public long? Count => rows;

        public async IAsyncEnumerable<DataBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var random = new Random(seed);
            for (int start = 0; start < rows; start += BlockRows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int n = Math.Min(BlockRows, rows - start);
                // New arrays per block keep the sample simple; a block may also reuse its buffers (the host copies).
                var values = new float[n * features];
                var classes = new long[n];
                for (int i = 0; i < n; i++)
                {
                    classes[i] = (start + i) % 2;
                    for (int j = 0; j < features; j++)
                    {
                        values[(i * features) + j] = (float)(random.NextDouble() - 0.5 + (classes[i] == 0 ? -1 : 1));
                    }
                }
                yield return new DataBatch(
                    new TensorBuffer<float>(values, new TensorShape(n, features)),
                    new TensorBuffer<long>(classes, new TensorShape(n)));
            }
            await Task.CompletedTask.ConfigureAwait(false); // generated synchronously; a reader would await its file
        }
    }
}
