using Conduit.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.DataSources.Synthetic;

/// <summary>
/// The <c>synthetic</c> data source: seeded classification, regression or image-like examples of any number,
/// generated on the fly (<c>generator</c>, <c>rows</c>, <c>features</c>, <c>classes</c>, <c>shape</c>, <c>noise</c>,
/// <c>informative</c>, <c>seed</c>). Example i depends only on the seed and i, so any size streams in constant memory.
/// </summary>
public sealed class SyntheticDataSource : IDataSource
{
    /// <inheritdoc/>
    public string Name => "synthetic";

    /// <inheritdoc/>
    public IDataset Open(IConfiguration settings) => new SyntheticDataset(SyntheticSettings.Read(settings));
}
