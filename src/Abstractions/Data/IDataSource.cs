using Conduit.Configuration;

namespace Conduit.Data;

/// <summary>A kind of data (a file format, a generator) that opens datasets from a job's <c>data</c> section.</summary>
public interface IDataSource
{
    /// <summary>The name a job uses: <c>csv</c>, <c>parquet</c>, <c>idx</c>, <c>synthetic</c>, ...</summary>
    string Name { get; }

    /// <summary>Opens a dataset described by <paramref name="settings"/>.</summary>
    /// <param name="settings">
    /// The job's <c>data</c> section, the host's own keys (<c>batch_size</c>, <c>split</c>, ...) already taken. Read the
    /// source's keys from it (file paths with <see cref="SettingsReader.FilePath"/>), then call
    /// <see cref="SettingsReader.RejectUnknown"/> and <see cref="SettingsReader.ThrowIfProblems"/> before reading any
    /// data, so a misspelt key is refused before a large file is read.
    /// </param>
    /// <exception cref="InvalidDataException">A setting is not allowed, or the data is missing or malformed; the message names the key or the place.</exception>
    IDataset Open(SettingsReader settings);
}
