using System.Globalization;
using System.Text;
using Conduit.Configuration;
using Conduit.Data.Tests.Support;
using Conduit.DataSources.Csv;
using Conduit.Host.Data;
using Conduit.Host.Jobs;

namespace Conduit.Data.Tests.Data;

public sealed class TrainingDataTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_streamed_split_is_disjoint_covers_every_row_and_counts_its_parts()
    {
        TrainingData data = Load(Rows(2000), ("streaming", "true"), ("split:validation", "0.1"), ("split:test", "0.2"), ("prefetch", "0"));

        int[] train = await Ids(data.Train);
        int[] validation = await Ids(data.Validation!);
        int[] test = await Ids(data.Test!);

        Assert.True(data.Streamed);
        Assert.Equal(Enumerable.Range(0, 2000), train.Concat(validation).Concat(test).Order());
        Assert.Equal(train.Length, data.Train.Count);
        Assert.Equal(validation.Length, data.Validation!.Count);
        Assert.Equal(test.Length, data.Test!.Count);
        Assert.InRange(test.Length, 340, 460);
        Assert.InRange(validation.Length, 150, 250);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_streamed_parts_and_another_seed_others()
    {
        string path = Rows(500);
        int[] a = await Ids(Load(path, ("streaming", "true"), ("split:test", "0.3"), ("split:seed", "1")).Test!);
        int[] b = await Ids(Load(path, ("streaming", "true"), ("split:test", "0.3"), ("split:seed", "1")).Test!);
        int[] c = await Ids(Load(path, ("streaming", "true"), ("split:test", "0.3"), ("split:seed", "2")).Test!);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task A_streamed_normalizer_is_fitted_on_the_training_part_only()
    {
        TrainingData data = Load(Rows(3000), ("streaming", "true"), ("split:test", "0.5"), ("normalize", "standardize"), ("prefetch", "0"));
        int[] trainIds = await Ids(Load(Rows(3000), ("streaming", "true"), ("split:test", "0.5")).Train);

        double mean = trainIds.Average();
        double deviation = Math.Sqrt(trainIds.Average(i => (i - mean) * (i - mean)));
        NormalizerState state = data.Normalizer.State;

        Assert.Equal(mean, state.Center[0], 2);
        Assert.Equal(deviation, state.Scale[0], 2);
        InMemoryDataset train = await InMemoryDataset.LoadAsync(data.Train);
        Assert.Equal(0, train.Features.ToArray().Where((_, i) => i % 2 == 0).Average(), 3);
    }

    [Fact]
    public void Small_data_is_loaded_and_split_exactly_large_data_streams()
    {
        string path = Rows(1000);

        TrainingData small = Load(path, ("split:test", "0.2"));
        TrainingData limited = Load(path, ("split:test", "0.2"), ("in_memory_limit_mb", "0"));

        Assert.False(small.Streamed);
        Assert.Equal(200, small.Test!.Count); // ceil(n × fraction), stratified
        Assert.True(limited.Streamed);
        Assert.IsType<PrefetchingDataset>(limited.Train);
    }

    [Fact]
    public async Task With_nothing_split_off_the_training_part_is_the_data_in_its_own_order()
    {
        TrainingData data = Load(Rows(500));

        Assert.IsType<InMemoryDataset>(data.Train); // batches of 2 features: gathered faster than handed over
        Assert.Equal(Enumerable.Range(0, 500), await Ids(data.Train));
        Assert.Null(data.Validation);
        Assert.Null(data.Test);
    }

    [Fact]
    public async Task Batches_in_memory_of_64_KB_or_more_are_read_ahead_with_the_same_rows_in_the_same_order()
    {
        string path = Rows(500);
        TrainingData small = Load(path, ("split:test", "0.2"), ("batch_size", "8191"));
        TrainingData large = Load(path, ("split:test", "0.2"), ("batch_size", "8192")); // 8192 rows × 2 floats = 64 KB

        Assert.IsType<InMemoryDataset>(small.Train);
        Assert.IsType<PrefetchingDataset>(large.Train);
        Assert.IsType<PrefetchingDataset>(large.Test);
        Assert.Equal(await Ids(small.Train), await Ids(large.Train));
        Assert.Equal(await Ids(small.Test!), await Ids(large.Test!));
    }

    [Fact]
    public async Task A_separate_streamed_test_file_is_renumbered_to_the_training_classes()
    {
        string train = Rows(300);
        string test = _temp.Write("test.csv", "id,neg,label\n1,-1,c2\n2,-2,c2\n");

        TrainingData data = Load(train, ("streaming", "true"), ("test_path", test), ("prefetch", "0"));
        InMemoryDataset loaded = await InMemoryDataset.LoadAsync(data.Test!);

        Assert.Equal(["c0", "c1", "c2"], data.Schema.ClassNames);
        Assert.Equal([2L, 2L], loaded.Classes.ToArray());
    }

    [Fact]
    public void A_bad_row_found_while_opening_names_the_key_and_the_place()
    {
        string path = _temp.Write("bad.csv", "id,neg,label\n1,-1,c0\n2,oops,c1\n");

        var e = Assert.Throws<JobValidationException>(() => Load(path, ("streaming", "true")));

        Assert.Contains("data.path: bad.csv:3:col 2 (neg): 'oops' is not a number", e.Message, StringComparison.Ordinal);
    }

    // Rows whose first feature is their number, so parts can be traced back.
    private string Rows(int count)
    {
        var text = new StringBuilder("id,neg,label\n");
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i},{-i},c{i % 3}\n");
        }
        return _temp.Write($"rows{count}.csv", text.ToString());
    }

    private TrainingData Load(string path, params (string Key, string Value)[] settings)
    {
        var json = new StringBuilder("{\"name\":\"t\",\"data\":{\"source\":\"csv\",\"label\":\"label\",\"path\":" + System.Text.Json.JsonSerializer.Serialize(path));
        json.Append(",\"split\":{\"validation\":0,\"test\":0}},\"model\":{\"type\":\"linear\"}}");
        string job = _temp.Write($"job{Guid.NewGuid():N}.json", json.ToString());
        JobDefinition definition = JobLoader.Load(job, settings.Select(s => $"data.{s.Key.Replace(':', '.')}={s.Value}"));
        SettingsReader reader = new SettingsReader(definition.Configuration, "", Path.GetDirectoryName(definition.Source)).Section("data");
        DataSettings data = DataSettings.Read(reader);
        return TrainingData.Load(definition, data, new CsvDataSource(), reader);
    }

    private static async Task<int[]> Ids(IBatchedDataset dataset)
    {
        var ids = new List<int>();
        await foreach (DataBatch batch in dataset.ReadBatchesAsync(new BatchOptions(64)))
        {
            ReadOnlySpan<float> features = ((TensorBuffer<float>)batch.Features).Memory.Span;
            for (int i = 0; i < batch.Count; i++)
            {
                ids.Add((int)features[2 * i]);
            }
        }
        return [.. ids];
    }
}
