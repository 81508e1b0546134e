using Conduit.Configuration;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;
using Microsoft.Extensions.Configuration;

namespace Conduit.Data.Tests.Support;

/// <summary>Reads CSV files through the csv source with settings given as key/value pairs.</summary>
public static class CsvFiles
{
    /// <summary>The sample files copied next to the tests.</summary>
    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    /// <summary>A data section from pairs (<c>"features:0"</c> for list items).</summary>
    public static SettingsReader Settings(params (string Key, string? Value)[] pairs) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)))
            .Build(), "data");

    /// <summary>Reads <paramref name="path"/> with the extra settings into memory, with what the scan skipped.</summary>
    public static CsvReadResult Read(string path, params (string Key, string? Value)[] settings)
    {
        var dataset = (CsvDataset)new CsvDataSource().Open(Settings([("path", path), .. settings]));
        InMemoryDataset rows = InMemoryDataset.LoadAsync(dataset).GetAwaiter().GetResult();
        return new CsvReadResult(rows, dataset.Scan.Rows.BadRows, dataset.Scan.Rows.Reasons);
    }

    /// <summary>Reads <paramref name="path"/> labelled by <paramref name="label"/>, as a dataset.</summary>
    public static InMemoryDataset Load(string path, string label = "label", params (string Key, string? Value)[] settings) =>
        Read(path, [("label", label), .. settings]).Dataset;

    /// <summary>The message of the <see cref="InvalidDataException"/> reading <paramref name="path"/> throws.</summary>
    public static string Error(string path, params (string Key, string? Value)[] settings) =>
        Assert.Throws<InvalidDataException>(() => Read(path, settings)).Message;
}
