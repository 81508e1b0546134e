using Conduit.Data;
using Conduit.DataSources.Common;
using Parquet;
using Parquet.Schema;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// An open Parquet file and the columns a job reads from it: the label and the features, resolved by name (or
/// zero-based index) against the file's schema, with their types checked before any row is read.
/// </summary>
internal sealed class ParquetTable : IAsyncDisposable
{
    private readonly Stream _stream;

    private ParquetTable(string name, Stream stream, ParquetReader reader, DataField? label, DataField[] features)
    {
        Name = name;
        _stream = stream;
        Reader = reader;
        Label = label;
        Features = features;
    }

    /// <summary>The file's name, as messages start.</summary>
    public string Name { get; }

    /// <summary>The reader.</summary>
    public ParquetReader Reader { get; }

    /// <summary>The label column, if any.</summary>
    public DataField? Label { get; }

    /// <summary>The feature columns, in the order their values are laid out.</summary>
    public DataField[] Features { get; }

    /// <summary>Opens the file and resolves the columns.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not Parquet or damaged, or a column is missing or of the wrong type.</exception>
    public static async Task<ParquetTable> OpenAsync(ParquetSettings settings)
    {
        string full = Path.GetFullPath(settings.Path);
        string name = Path.GetFileName(full);
        Stream stream = DataFile.OpenRead(full, "a Parquet file (data.path)");
        ParquetReader reader;
        try
        {
            ParquetFraming.Check(stream, name);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        ParquetReader? opened = null;
        try
        {
            opened = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true).ConfigureAwait(false);
            // The schema is decoded from the footer on first use, where a damaged one throws InvalidOperationException.
            _ = opened.Schema.DataFields;
            reader = opened;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            if (opened is not null)
            {
                await opened.DisposeAsync().ConfigureAwait(false);
            }
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"{name}: its footer cannot be read ({e.Message.TrimEnd('.')}); expected an intact Parquet file", e);
        }
        try
        {
            DataField[] fields = reader.Schema.DataFields;
            DataField? label = settings.Label is { } labelName ? Find(fields, labelName, "label", name) : null;
            DataField[] features;
            if (settings.Features is { } wanted)
            {
                features = [.. wanted.Select(f => Find(fields, f, "feature", name))];
                if (label is not null && features.Contains(label))
                {
                    throw new InvalidDataException($"{name}: feature column '{label.Name}' is the label column; expected data.features without it");
                }
                if (features.FirstOrDefault(f => !ParquetColumns.IsNumeric(f)) is { } bad)
                {
                    throw new InvalidDataException($"{name}: feature column '{bad.Name}' is of type {ParquetColumns.TypeName(bad)}; expected a number type (float, double or an integer)");
                }
            }
            else
            {
                features = [.. fields.Where(f => f != label && ParquetColumns.IsNumeric(f))];
            }
            if (features.Length == 0)
            {
                throw new InvalidDataException($"{name}: no numeric feature columns; expected at least one number column besides the label (columns: {Describe(fields)})");
            }
            if (label is not null && settings.Task == TargetKind.Classification && !ParquetColumns.IsLabel(label))
            {
                throw new InvalidDataException($"{name}: label column '{label.Name}' is of type {ParquetColumns.TypeName(label)}; expected text or integers for classes, or task: regression");
            }
            if (label is not null && settings.Task == TargetKind.Regression && !ParquetColumns.IsNumeric(label))
            {
                throw new InvalidDataException($"{name}: label column '{label.Name}' is of type {ParquetColumns.TypeName(label)}; expected a number type for a regression target");
            }
            return new ParquetTable(name, stream, reader, label, features);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static DataField Find(DataField[] fields, string text, string what, string file)
    {
        DataField? byName = fields.FirstOrDefault(f => string.Equals(f.Name, text, StringComparison.Ordinal));
        if (byName is not null)
        {
            return byName;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index) && index < fields.Length)
        {
            return fields[index];
        }
        throw new InvalidDataException($"{file}: {what} column '{text}' does not exist; expected a name or zero-based index (0 to {fields.Length - 1}) of the columns: {Describe(fields)}");
    }

    private static string Describe(DataField[] fields) => string.Join(", ", fields.Select(f => $"{f.Name} ({ParquetColumns.TypeName(f)})"));
}
