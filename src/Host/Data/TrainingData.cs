using Conduit.Configuration;
using Conduit.Data;
using Conduit.Host.Jobs;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Data;

/// <summary>
/// A job's data made ready to train on: opened through its source, loaded into memory or streamed, split,
/// normalized with statistics of the training part only, and (when streamed) read ahead on a background thread.
/// </summary>
/// <param name="Train">The training data.</param>
/// <param name="Validation">The validation data, if any.</param>
/// <param name="Test">The test data, if any.</param>
/// <param name="Normalizer">The normalizer fitted on the training data (saved with the model).</param>
/// <param name="Streamed">Whether the data is streamed rather than held in memory.</param>
public sealed record TrainingData(IBatchedDataset Train, IBatchedDataset? Validation, IBatchedDataset? Test, FeatureNormalizer Normalizer, bool Streamed)
{
    /// <summary>The training data's schema.</summary>
    public DataSchema Schema => Train.Schema;

    /// <summary>Opens, splits and normalizes the data a job names.</summary>
    /// <exception cref="JobValidationException">The data is missing or malformed, or cannot be split; the message names the key and place.</exception>
    /// <param name="job">The job.</param>
    /// <param name="data">The host's data settings.</param>
    /// <param name="source">The data source the job names.</param>
    /// <param name="settings">A reader of the job's <c>data</c> section, the host's keys already read.</param>
    public static TrainingData Load(JobDefinition job, DataSettings data, IDataSource source, SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            // A part's own keys (validation_labels) are the source's keys under a prefix: set aside while the source
            // checks its keys, then checked against what it read.
            string[] partKeys = [.. job.Data.GetChildren().Select(c => c.Key)
                .Where(k => (k.StartsWith("validation_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("test_", StringComparison.OrdinalIgnoreCase))
                    && !k.EndsWith("_path", StringComparison.OrdinalIgnoreCase))];
            foreach (string key in partKeys)
            {
                settings.Raw(key);
            }
            IDataset main = Open(job, source, settings, "data.path", () => source.Open(settings));
            foreach (string key in partKeys.Where(k => !settings.KeysRead.Contains(k[(k.IndexOf('_', StringComparison.Ordinal) + 1)..], StringComparer.OrdinalIgnoreCase)))
            {
                settings.Problem(key, $"unknown key; a part's keys are the {source.Name} source's keys after validation_ or test_");
            }
            if (settings.Problems.Count > 0)
            {
                throw new JobValidationException(job.Source, settings.Problems);
            }
            IDataset? validationFile = data.ValidationPath is { } v ? OpenPart(job, source, settings, v, "data.validation_path", "validation_") : null;
            IDataset? testFile = data.TestPath is { } t ? OpenPart(job, source, settings, t, "data.test_path", "test_") : null;
            TrainingData prepared = Streams(main, data)
                ? SplitStream(main, validationFile, testFile, data)
                : SplitInMemory(Load(main, "data.path"), owned: main is not InMemoryDataset, validationFile, testFile, data);
            IBatchedDataset? ReadAhead(IBatchedDataset? part) => part is not null && data.Prefetch > 0 && WorthReadingAhead(part, data) ? new PrefetchingDataset(part, data.Prefetch) : part;
            return prepared with { Train = ReadAhead(prepared.Train)!, Validation = ReadAhead(prepared.Validation), Test = ReadAhead(prepared.Test) };
        }
        catch (InvalidDataException e)
        {
            throw new JobValidationException(job.Source, [e.Message]);
        }
    }

    // Streamed batches are always read ahead. A batch in memory is gathered row by row from the data: worth another
    // thread once that costs more than handing a batch over (a few microseconds), as for 64 MNIST rows (200 KB, 40 µs);
    // a batch of 64 digits (16 KB) is gathered faster than it could be handed over.
    private const long ReadAheadBatchBytes = 64 << 10;

    private static bool WorthReadingAhead(IBatchedDataset part, DataSettings data) =>
        part is not InMemoryDataset || (long)data.BatchSize * part.Schema.FeatureShape.ElementCount * sizeof(float) >= ReadAheadBatchBytes;

    /// <summary>Stops the passes that <paramref name="parts"/> may be reading ahead.</summary>
    public static void Release(params ReadOnlySpan<IBatchedDataset?> parts)
    {
        foreach (IBatchedDataset? part in parts)
        {
            (part as IDisposable)?.Dispose();
        }
    }

    /// <summary>Whether <paramref name="dataset"/> is streamed under <paramref name="data"/>'s settings.</summary>
    public static bool Streams(IDataset dataset, DataSettings data)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(data);
        return data.Streaming switch
        {
            StreamingMode.Always => true,
            StreamingMode.Never => false,
            _ => dataset.Count is not long count || count * dataset.Schema.FeatureShape.ElementCount * sizeof(float) > data.InMemoryLimitMb * (1L << 20),
        };
    }

    // A separate validation or test file takes its part's own settings (validation_labels is that file's labels)
    // over the main file's; a part key whose main key the source does not read is left for the unknown-key check.
    private static IDataset OpenPart(JobDefinition job, IDataSource source, SettingsReader settings, string path, string key, string part)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["path"] = path };
        IReadOnlyList<string> sourceKeys = settings.KeysRead;
        foreach (IConfigurationSection child in job.Data.GetChildren().Where(c => c.Key.StartsWith(part, StringComparison.OrdinalIgnoreCase) && c.Value is not null))
        {
            string own = child.Key[part.Length..];
            if (sourceKeys.Contains(own, StringComparer.OrdinalIgnoreCase) && !own.Equals("path", StringComparison.OrdinalIgnoreCase))
            {
                overrides[own] = child.Value;
            }
        }
        IConfiguration overlay = new ConfigurationBuilder()
            .AddInMemoryCollection(job.Data.AsEnumerable(makePathsRelative: true).Where(kv => kv.Value is not null))
            .AddInMemoryCollection(overrides)
            .Build();
        var partSettings = new SettingsReader(overlay, "data", Path.GetDirectoryName(job.Source));
        foreach (IConfigurationSection child in overlay.GetChildren())
        {
            partSettings.Raw(child.Key); // checked once, on the main file's settings
        }
        return Open(job, source, partSettings, key, () => source.Open(partSettings));
    }

    private static IDataset Open(JobDefinition job, IDataSource source, SettingsReader settings, string key, Func<IDataset> open)
    {
        try
        {
            IDataset dataset = open();
            settings.ThrowIfProblems(); // what a source that does not check its settings itself left
            return dataset;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            // Settings problems name their keys themselves; a problem with the data names the file's key.
            throw settings.Problems.Count > 0
                ? new JobValidationException(job.Source, settings.Problems)
                : new InvalidDataException($"{key}: {e.Message}", e);
        }
    }

    private static InMemoryDataset Load(IDataset dataset, string key)
    {
        try
        {
            return InMemoryDataset.LoadAsync(dataset).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            throw new InvalidDataException($"{key}: {e.Message}", e);
        }
    }

    // Exact, stratified parts of a dataset in memory (DataSettings zeroes the fraction a separate file replaces).
    // Owned: the data was loaded here, not handed over by the source, so the split may reorder it in place.
    private static TrainingData SplitInMemory(InMemoryDataset all, bool owned, IDataset? validationFile, IDataset? testFile, DataSettings data)
    {
        DataSplit split;
        try
        {
            // Data loaded here belongs to this split alone: its parts share its memory rather than copy it.
            split = owned ? DataSplitter.SplitInPlace(all, data.Split) : DataSplitter.Split(all, data.Split);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"data.split: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"data.split: {e.Message}", e);
        }
        FeatureNormalizer normalizer = FeatureNormalizer.Fit(data.Normalize, split.Train);
        IBatchedDataset? Part(InMemoryDataset? fromSplit, IDataset? file, string key) =>
            file is null ? fromSplit is null ? null : normalizer.ApplyInPlace(fromSplit)
            : Streams(file, data) ? Stream(file, all.Schema, null, file.Count ?? CountRows(file), normalizer, key, data)
            : normalizer.ApplyInPlace(ClassAlignment.AlignTo(Load(file, key), all.Schema, key));
        return new TrainingData(
            normalizer.ApplyInPlace(split.Train),
            Part(split.Validation, validationFile, "data.validation_path"),
            Part(split.Test, testFile, "data.test_path"),
            normalizer,
            Streamed: false);
    }

    // One pass over the stream counts each part and fits the normalizer on the training rows; every later pass
    // routes rows to their part by hash, so nothing but a block is ever held.
    private static TrainingData SplitStream(IDataset all, IDataset? validationFile, IDataset? testFile, DataSettings data)
    {
        (SplitPart train, SplitPart validation, SplitPart test) = SplitPart.Of(data.Split);
        int size = checked((int)all.Schema.FeatureShape.ElementCount);
        var fitter = new NormalizerFitter(data.Normalize, size);
        long validationRows = 0;
        long testRows = 0;
        long row = 0;
        foreach (DataBatch block in all.ReadAsync().ToBlockingEnumerable())
        {
            ReadOnlySpan<float> features = ((TensorBuffer<float>)block.Features).Memory.Span;
            for (int i = 0; i < block.Count; i++, row++)
            {
                if (train.Contains(row))
                {
                    fitter.AddExample(features.Slice(i * size, size));
                }
                else if (validation.Contains(row))
                {
                    validationRows++;
                }
                else
                {
                    testRows++;
                }
            }
        }
        if (fitter.Count == 0)
        {
            throw new InvalidDataException($"data.split: none of the {row} examples fell in the training part (validation {data.Split.Validation}, test {data.Split.Test}); expected smaller fractions or more data");
        }
        FeatureNormalizer normalizer = fitter.Build();
        IBatchedDataset? Part(SplitPart part, long rows, IDataset? file, string key) =>
            file is not null
                ? Streams(file, data)
                    ? Stream(file, all.Schema, null, file.Count ?? CountRows(file), normalizer, key, data)
                    : normalizer.ApplyInPlace(ClassAlignment.AlignTo(Load(file, key), all.Schema, key))
                : rows > 0 ? Stream(all, all.Schema, part, rows, normalizer, key, data) : null;
        return new TrainingData(
            Stream(all, all.Schema, train, fitter.Count, normalizer, "data.path", data),
            Part(validation, validationRows, validationFile, "data.validation_path"),
            Part(test, testRows, testFile, "data.test_path"),
            normalizer,
            Streamed: true);
    }

    private static StreamingDataset Stream(IDataset source, DataSchema schema, SplitPart? part, long rows, FeatureNormalizer normalizer, string key, DataSettings data) =>
        new(new StreamingPart(source, schema, part, rows, normalizer, ReferenceEquals(source.Schema, schema) ? null : ClassAlignment.Map(source.Schema, schema, key)))
        {
            ShuffleBufferSize = data.ShuffleBuffer,
        };

    private static long CountRows(IDataset dataset)
    {
        long rows = 0;
        foreach (DataBatch block in dataset.ReadAsync().ToBlockingEnumerable())
        {
            rows += block.Count;
        }
        return rows;
    }
}
