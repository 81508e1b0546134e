using Conduit.Data.Tests.Support;
using Conduit.DataSources.Idx;
using Conduit.Host.Data;
using Microsoft.Extensions.Logging;

namespace Conduit.Data.Tests.Idx;

/// <summary>Opens IDX files through the idx source with settings given as key/value pairs.</summary>
internal static class IdxSource
{
    /// <summary>Opens a dataset; <paramref name="logger"/> receives what the source logs.</summary>
    public static IDataset Open(ILogger<IdxDataSource>? logger, params (string Key, string? Value)[] settings) =>
        new IdxDataSource(logger).Open(CsvFiles.Settings(settings));

    /// <summary>Opens a dataset.</summary>
    public static IDataset Open(params (string Key, string? Value)[] settings) => Open(null, settings);

    /// <summary>Opens and reads a dataset whole.</summary>
    public static InMemoryDataset Load(params (string Key, string? Value)[] settings) =>
        InMemoryDataset.LoadAsync(Open(settings)).GetAwaiter().GetResult();

    /// <summary>The message of the <see cref="InvalidDataException"/> opening throws.</summary>
    public static string Error(params (string Key, string? Value)[] settings) =>
        Assert.Throws<InvalidDataException>(() => Open(settings)).Message;

    /// <summary>The message of the <see cref="InvalidDataException"/> reading an opened dataset throws.</summary>
    public static string ReadError(params (string Key, string? Value)[] settings)
    {
        IDataset data = Open(settings);
        return Assert.Throws<InvalidDataException>(() => InMemoryDataset.LoadAsync(data).GetAwaiter().GetResult()).Message;
    }
}
