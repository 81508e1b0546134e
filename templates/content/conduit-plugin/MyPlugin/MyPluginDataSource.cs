using Conduit.Data;
using Microsoft.Extensions.Configuration;

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
    public IDataset Open(IConfiguration settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        int rows = Read(settings, "rows", 1000);
        int features = Read(settings, "features", 8);
        var random = new Random(Read(settings, "seed", 1));
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

    private static int Read(IConfiguration settings, string key, int fallback) =>
        settings[key] is not { } text ? fallback
        : int.TryParse(text, out int value) && value > 0 ? value
        : throw new InvalidDataException($"data.{key}: '{text}' is not allowed; expected a positive integer");
}
