using System.Diagnostics;
using Conduit.Data;
using Conduit.DataSources.Common;
using Conduit.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.DataSources.Idx;

/// <summary>
/// The <c>idx</c> data source: tensors in the IDX format of MNIST (<c>path</c>, optional <c>labels</c>, <c>task</c>,
/// <c>scale</c>, <c>shape</c>, <c>missing</c>, <c>fill_value</c>), gzip-compressed or not, streamed example by example.
/// Examples of rank 2 become <c>[1, H, W]</c> images (channel first); rank 3 stays <c>[C, H, W]</c>; rank 1 stays
/// <c>[D]</c>; a file of rank 1 gives examples of shape <c>[1]</c>.
/// </summary>
/// <param name="logger">Where left-out examples are reported; none when null.</param>
public sealed class IdxDataSource(ILogger<IdxDataSource>? logger = null) : IDataSource
{
    private readonly ILogger _logger = logger ?? NullLogger<IdxDataSource>.Instance;

    /// <inheritdoc/>
    public string Name => "idx";

    /// <inheritdoc/>
    /// <remarks>
    /// Opening reads the headers, checks each file's size against its header (the length, or a gzip file's recorded
    /// size) and scans the labels for the classes. Only under <c>missing: skip</c> is float data (which may hold NaN)
    /// read once more, so that <see cref="IDataset.Count"/> is exact; otherwise the count is the header's, and a NaN
    /// stops the job when the data is read (before training for data held in memory, the usual case).
    /// </remarks>
    public IDataset Open(SettingsReader settings)
    {
        IdxSettings parsed = IdxSettings.Read(settings);
        string path = Path.GetFullPath(parsed.Path);
        IdxHeader header;
        string file;
        bool compressed;
        using (IdxFile features = IdxFile.Open(path, "data.path"))
        {
            (header, file, compressed) = (features.Header, features.Name, features.IsCompressed);
        }
        if (header.Examples == 0)
        {
            throw new InvalidDataException($"{file}: the header declares 0 examples (shape {header.Shape}); expected at least one");
        }
        TensorShape shape = ExampleShape(parsed, header, file);
        IdxLabels? labels = parsed.Labels is { } labelsPath ? IdxLabels.Scan(labelsPath, parsed.Task, header, file) : null;
        var schema = new DataSchema(shape, [], parsed.Task, labels?.ClassNames ?? []);
        var reader = new IdxReader(parsed, header, labels, schema);
        IdxLog.Opened(_logger, path, header.Declared, compressed ? " (gzip)" : "", shape.ToString(), parsed.Task.ToString());
        long count = NeedsCheck(parsed, header, labels) ? Check(reader, path, header.Examples, parsed.Errors) : header.Examples;
        return new IdxDataset(reader, count);
    }

    // The shape of one example: shape when set (the same values regrouped), else the file's, with a channel axis put
    // first on a rank 2 example so that a convolutional model sees an image.
    private static TensorShape ExampleShape(IdxSettings settings, IdxHeader header, string file)
    {
        ReadOnlySpan<int> dims = header.ExampleDimensions;
        if (settings.Shape is { } wanted)
        {
            long product = wanted.Aggregate(1L, (p, d) => p * d);
            if (wanted.Count == 0 || product != header.ValuesPerExample)
            {
                throw new InvalidDataException($"data.shape: [{string.Join(", ", wanted)}] holds {product} values, but an example of {file} holds {header.ValuesPerExample} (file shape {header.Shape}); expected dimensions whose product is {header.ValuesPerExample}");
            }
            return new TensorShape([.. wanted]);
        }
        return dims.Length switch
        {
            0 => new TensorShape(1),
            2 => new TensorShape(1, dims[0], dims[1]),
            _ => new TensorShape(dims),
        };
    }

    // Only skipping changes the count, and only float values can be NaN: any other file is not read twice (for 60,000
    // examples of 784 floats, a 188 MB pass at open).
    private static bool NeedsCheck(IdxSettings settings, IdxHeader features, IdxLabels? labels) =>
        settings.Errors.Missing == MissingValuePolicy.Skip
        && (features.Type.IsFloat || (settings.Task == TargetKind.Regression && labels is { Header.Type.IsFloat: true }));

    private long Check(IdxReader reader, string path, long examples, DataErrorPolicy errors)
    {
        long started = Stopwatch.GetTimestamp();
        var tally = new RowTally(errors, Path.GetFileName(path));
        foreach (DataBatch _ in reader.Blocks(tally, CancellationToken.None))
        {
        }
        IdxLog.Checked(_logger, examples, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (tally.MissingRows > 0)
        {
            IdxLog.LeftOut(_logger, tally.MissingRows, path, tally.Kept);
        }
        if (tally.FilledValues > 0)
        {
            IdxLog.Filled(_logger, tally.FilledValues, path, errors.FillValue);
        }
        if (tally.Kept == 0)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: all {examples} examples hold NaN and were left out (data.missing: skip); expected at least one complete example");
        }
        return tally.Kept;
    }
}
