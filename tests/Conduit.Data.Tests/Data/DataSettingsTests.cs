using Conduit.Configuration;
using Conduit.Host.Data;
using Conduit.Host.Jobs;
using Microsoft.Extensions.Configuration;

namespace Conduit.Data.Tests.Data;

public sealed class DataSettingsTests
{
    [Fact]
    public void Only_the_source_is_required_and_the_rest_has_defaults()
    {
        (DataSettings settings, IReadOnlyList<string> problems) = Read(("source", "csv"), ("path", "digits.csv"), ("label", "label"));

        Assert.Empty(problems);
        Assert.Equal("csv", settings.Source);
        Assert.Equal(32, settings.BatchSize);
        Assert.True(settings.Shuffle);
        Assert.False(settings.DropLast);
        Assert.Equal(new SplitSettings(0.1, 0.2, 42, true), settings.Split);
        Assert.Equal(NormalizationKind.None, settings.Normalize);
        Assert.Null(settings.ValidationPath);
        Assert.Null(settings.TestPath);
    }

    [Fact]
    public void Every_key_is_read()
    {
        (DataSettings settings, IReadOnlyList<string> problems) = Read(
            ("source", "csv"), ("batch_size", "64"), ("shuffle", "false"), ("drop_last", "true"), ("normalize", "MinMax"),
            ("split:validation", "0"), ("split:test", "0.25"), ("split:seed", "7"), ("split:stratify", "false"));

        Assert.Empty(problems);
        Assert.Equal(64, settings.BatchSize);
        Assert.False(settings.Shuffle);
        Assert.True(settings.DropLast);
        Assert.Equal(NormalizationKind.MinMax, settings.Normalize);
        Assert.Equal(new SplitSettings(0, 0.25, 7, false), settings.Split);
    }

    [Fact]
    public void The_split_seed_defaults_to_the_one_given()
    {
        Assert.Equal(1234, Read(1234, ("source", "csv")).Settings.Split.Seed);
    }

    [Fact]
    public void A_separate_file_replaces_its_fraction()
    {
        (DataSettings settings, IReadOnlyList<string> problems) = Read(("source", "csv"), ("validation_path", "val.csv"), ("test_path", "test.csv"));

        Assert.Empty(problems);
        Assert.Equal("val.csv", settings.ValidationPath);
        Assert.Equal("test.csv", settings.TestPath);
        Assert.Equal(0, settings.Split.Validation);
        Assert.Equal(0, settings.Split.Test);
    }

    [Fact]
    public void Bad_values_name_the_key_the_value_and_what_is_allowed()
    {
        (_, IReadOnlyList<string> problems) = Read(
            ("batch_size", "0"), ("shuffle", "sometimes"), ("normalize", "zscore"),
            ("split:validation", "-0.1"), ("split:test", "1"), ("split:seed", "x"), ("split:valdation", "0.1"));

        Assert.Equal(
        [
            "data.source: is missing; expected the name of a data source plugin, such as csv",
            "data.split.validation: '-0.1' is not allowed; expected a fraction of the data from 0 up to (not including) 1, such as 0.2",
            "data.split.test: '1' is not allowed; expected a fraction of the data from 0 up to (not including) 1, such as 0.2",
            "data.normalize: 'zscore' is not allowed; expected one of none, standardize, minmax",
            "data.batch_size: '0' is not allowed; expected an integer of at least 1",
            "data.shuffle: 'sometimes' is not allowed; expected true or false",
            "data.split.seed: 'x' is not allowed; expected an integer of at least 0",
            "data.split.valdation: unknown key; did you mean 'validation'? expected one of validation, test, seed, stratify",
        ], problems);
    }

    [Fact]
    public void Fractions_that_leave_nothing_to_train_on_are_refused()
    {
        (_, IReadOnlyList<string> problems) = Read(("source", "csv"), ("split:validation", "0.5"), ("split:test", "0.5"));

        Assert.Equal(["data.split: validation 0.5 and test 0.5 add up to 1, which leaves nothing to train on; expected fractions whose sum is below 1"], problems);
    }

    [Fact]
    public void A_fraction_and_the_file_that_replaces_it_are_refused_together()
    {
        (_, IReadOnlyList<string> problems) = Read(("source", "csv"), ("test_path", "test.csv"), ("split:test", "0.3"));

        Assert.Equal(["data.split.test: '0.3' cannot be used together with data.test_path, which replaces this part of the split; expected one of them, or 0"], problems);
    }

    [Fact]
    public void A_split_that_is_not_a_section_is_refused()
    {
        (_, IReadOnlyList<string> problems) = Read(("source", "csv"), ("split", "0.2"));

        Assert.Equal(["data.split: '0.2' is not allowed; expected a section such as { \"validation\": 0.1, \"test\": 0.2, \"seed\": 42, \"stratify\": true }"], problems);
    }

    private static (DataSettings Settings, IReadOnlyList<string> Problems) Read(params (string Key, string Value)[] pairs) => Read(42, pairs);

    private static (DataSettings Settings, IReadOnlyList<string> Problems) Read(int seed, params (string Key, string Value)[] pairs)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>("data:" + p.Key, p.Value)))
            .Build();
        var root = new SettingsReader(configuration);
        DataSettings settings = DataSettings.Read(root.Section("data"), seed);
        root.Section("data").Section("split").RejectUnknown(); // the split section is the host's alone
        return (settings, root.Problems);
    }
}
