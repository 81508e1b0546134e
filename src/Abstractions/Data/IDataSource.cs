using Microsoft.Extensions.Configuration;

namespace Conduit.Data;

/// <summary>A kind of data (a file format, a generator) that opens datasets from a job's <c>data</c> section.</summary>
public interface IDataSource
{
    /// <summary>The name a job uses: <c>csv</c>, <c>parquet</c>, <c>idx</c>, <c>synthetic</c>, ...</summary>
    string Name { get; }

    /// <summary>Opens a dataset described by <paramref name="settings"/>.</summary>
    /// <param name="settings">The job's data section (path, columns, ...).</param>
    /// <exception cref="InvalidDataException">The data is missing or malformed; the message names the place.</exception>
    IDataset Open(IConfiguration settings);
}
