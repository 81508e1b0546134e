using Conduit.Data;
using Conduit.Configuration;

namespace MyPlugin;

/// <summary>
/// <c>"data": { "source": "PLUGIN_ID_VALUE", "rows": 1000, "features": 8, "seed": 1 }</c>: two classes of points drawn
/// around two centers, generated in memory. Replace the generator with your format's reader.
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
        var random = new Random(seed);
        var values = new float[rows * features];
        var classes = new long[rows];
        for (int i = 0; i < rows; i++)
        {
            classes[i] = i % 2;
            for (int j = 0; j < features; j++)
            {
                values[i * features + j] = (float)(random.NextDouble() - 0.5 + (classes[i] == 0 ? -1 : 1));
            }
        }
        var schema = new DataSchema(new TensorShape(features), [], TargetKind.Classification, ["negative", "positive"]);
        return new InMemoryDataset(schema, values, classes);
    }
}
