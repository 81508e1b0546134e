using Conduit.Data;
using Conduit.Configuration;

namespace Conduit.DataSources.Synthetic;

/// <summary>
/// The <c>synthetic</c> data source: seeded examples of any number, generated on the fly for tests and benchmarks.
/// </summary>
/// <remarks>
/// Keys of the job's <c>data</c> section: <c>generator</c> (required: <c>classification</c>, <c>regression</c> or
/// <c>image</c>), <c>rows</c> (required, at least 1), <c>features</c> (20; tables only), <c>informative</c> (the
/// features that carry signal; all), <c>classes</c> (2, or 10 for images), <c>shape</c> (<c>[C, H, W]</c>,
/// <c>[1, 28, 28]</c>; images only), <c>noise</c> (1.0 around classification centroids, 0.1 on regression targets,
/// 0.3 on image pixels) and <c>seed</c> (0). Example i depends only on the seed and i, so any number of examples
/// streams in the memory of one block, in any order, and the same seed gives the same bits on every platform.
/// </remarks>
public sealed class SyntheticDataSource : IDataSource
{
    /// <inheritdoc/>
    public string Name => "synthetic";

    /// <inheritdoc/>
    public IDataset Open(SettingsReader settings) => new SyntheticDataset(SyntheticSettings.Read(settings));
}
