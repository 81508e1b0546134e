using Conduit.Data.Tests.Support;
using Conduit.DataSources.Parquet;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Parquet;

/// <summary>Opens Parquet files through the parquet source with settings given as key/value pairs.</summary>
internal static class ParquetSource
{
    /// <summary>Opens <paramref name="path"/> with the extra settings.</summary>
    public static IDataset Open(string path, params (string Key, string? Value)[] settings) =>
        new ParquetDataSource().Open(CsvFiles.Settings([("path", path), .. settings]));

    /// <summary>Opens <paramref name="path"/> and loads every example.</summary>
    public static Task<InMemoryDataset> LoadAsync(string path, params (string Key, string? Value)[] settings) =>
        InMemoryDataset.LoadAsync(Open(path, settings));

    /// <summary>The message of the <see cref="InvalidDataException"/> opening <paramref name="path"/> throws.</summary>
    public static string Error(string path, params (string Key, string? Value)[] settings) =>
        Assert.Throws<InvalidDataException>(() => Open(path, settings)).Message;

    /// <summary>Each streamed block's features, copied (a block's memory is reused by the next).</summary>
    public static async Task<List<float[]>> BlocksAsync(IDataset data)
    {
        var blocks = new List<float[]>();
        await foreach (DataBatch block in data.ReadAsync())
        {
            blocks.Add(((TensorBuffer<float>)block.Features).Memory.ToArray());
        }
        return blocks;
    }
}
