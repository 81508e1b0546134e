using Conduit.Configuration;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Synthetic;
using Conduit.Host.Data;

namespace Conduit.Data.Tests.Synthetic;

/// <summary>The synthetic source's settings: the host's keys taken first, bad values named, every problem at once; reading canceled.</summary>
public sealed class SyntheticSettingsTests
{
    [Fact]
    public async Task The_host_takes_its_own_data_keys_first_and_the_source_refuses_what_neither_reads()
    {
        (string, string?)[] own = [("generator", "classification"), ("rows", "40"), ("features", "3")];
        (string, string?)[] host =
        [
            ("source", "synthetic"), ("batch_size", "32"), ("shuffle", "true"), ("drop_last", "false"),
            ("split:seed", "4"), ("normalize", "standardize"), ("validation_path", "v.csv"), ("test_path", "t.csv"), ("streaming", "true"),
            ("shuffle_buffer", "1000"), ("prefetch", "2"), ("in_memory_limit_mb", "512"),
        ];
        SettingsReader settings = CsvFiles.Settings([.. own, .. host]);
        Conduit.Host.Data.DataSettings.Read(settings);

        InMemoryDataset plain = await SyntheticSourceTests.LoadAsync(own);
        InMemoryDataset withHostKeys = await InMemoryDataset.LoadAsync(new SyntheticDataSource().Open(settings));

        Assert.Equal(plain.Features.ToArray(), withHostKeys.Features.ToArray());
        Assert.StartsWith("data.row: unknown key; did you mean 'rows'?",
            Assert.Throws<InvalidDataException>(() => new SyntheticDataSource().Open(CsvFiles.Settings([.. own, ("row", "3")]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_stops_when_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        IDataset data = SyntheticSourceTests.Open(("generator", "classification"), ("rows", "100000000"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (DataBatch _ in data.ReadAsync(cancel.Token))
            {
                cancel.Cancel();
            }
        });
    }

    [Theory]
    [InlineData(new[] { "rows", "5" }, "data.generator: is missing; expected one of classification, regression, image")]
    [InlineData(new[] { "generator", "blobs", "rows", "5" }, "data.generator: 'blobs' is not allowed; expected one of classification, regression, image")]
    [InlineData(new[] { "generator", "regression" }, "data.rows: is missing; expected the number of examples to generate, such as 10000")]
    [InlineData(new[] { "generator", "regression", "rows", "0" }, "data.rows: '0' is not allowed; expected a whole number of examples of at least 1")]
    [InlineData(new[] { "generator", "regression", "rows", "-5" }, "data.rows: '-5' is not allowed; expected a whole number of examples of at least 1")]
    [InlineData(new[] { "generator", "regression", "rows", "many" }, "data.rows: 'many' is not allowed; expected a whole number of examples of at least 1")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "classes", "1" }, "data.classes: '1' is not allowed; expected an integer from 2 to 100000")]
    [InlineData(new[] { "generator", "image", "rows", "5", "classes", "1" }, "data.classes: '1' is not allowed; expected an integer from 2 to 100000")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "features", "0" }, "data.features: '0' is not allowed; expected an integer from 1 to 16777216")]
    [InlineData(new[] { "generator", "image", "rows", "5", "shape", "1,28" }, "data.shape: [1, 28] is not allowed; expected three dimensions [C, H, W] of at least 1, such as [1, 28, 28]")]
    [InlineData(new[] { "generator", "image", "rows", "5", "shape", "1,0,4" }, "data.shape.1: '0' is not allowed; expected an integer of at least 1")]
    [InlineData(new[] { "generator", "image", "rows", "5", "shape", "3,4096,4096" }, "data.shape: [3, 4096, 4096] is not allowed; expected at most 16777216 values per example (C × H × W)")]
    [InlineData(new[] { "generator", "image", "rows", "5", "shape", "1,1024,1024", "classes", "1000" }, "data.classes: '1000' is not allowed with 1048576 values per example; expected at most 128 (the class means would hold classes × values floats, at most 134217728)")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "features", "3", "informative", "4" }, "data.informative: '4' is not allowed; expected at most data.features (3)")]
    [InlineData(new[] { "generator", "regression", "rows", "5", "informative", "0" }, "data.informative: '0' is not allowed; expected an integer of at least 1")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "noise", "-1" }, "data.noise: '-1' is not allowed; expected a number of at least 0 (the spread of the noise)")]
    [InlineData(new[] { "generator", "classification", "rows", "5", "seed", "x" }, "data.seed: 'x' is not allowed; expected an integer")]
    public void Bad_settings_name_the_key_the_value_and_what_is_allowed(string[] pairs, string expected)
    {
        var settings = pairs.Chunk(2).Select(p => (p[0], (string?)p[1])).ToArray();

        Assert.Equal(expected, Assert.Throws<InvalidDataException>(() => SyntheticSourceTests.Open(settings)).Message);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        string message = Assert.Throws<InvalidDataException>(() => SyntheticSourceTests.Open(("generator", "regression"), ("rows", "0"), ("noise", "-2"))).Message;

        Assert.Contains("data.rows: '0'", message);
        Assert.Contains("data.noise: '-2'", message);
    }
}
