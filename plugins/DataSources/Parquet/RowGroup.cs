using Conduit.Data;
using Parquet;

namespace Conduit.DataSources.Parquet;

/// <summary>What a row is, by the job's policy.</summary>
internal enum RowOutcome
{
    /// <summary>Every value is there (or filled, as the job says).</summary>
    Kept,

    /// <summary>A value is missing and <c>missing: skip</c> leaves the row out.</summary>
    Missing,

    /// <summary>A value is missing and the job does not allow it.</summary>
    Bad,
}

/// <summary>One row group's columns, read whole: features as floats with missing-value masks, and the label.</summary>
internal sealed class RowGroup(ParquetTable table, DataErrorPolicy errors, int index, long firstRow, int rows)
{
    public int Rows => rows;

    public float[][] Features { get; } = new float[table.Features.Length][];

    public bool[][] FeatureMissing { get; } = new bool[table.Features.Length][];

    /// <summary>The class labels as text (classification), null where missing.</summary>
    public string?[]? Labels { get; set; }

    /// <summary>The regression targets (NaN where missing).</summary>
    public float[]? Values { get; set; }

    /// <summary>Whether row <paramref name="row"/> is kept, left out, or bad (with the problem, naming the place).</summary>
    public RowOutcome Check(int row, out string? problem)
    {
        problem = null;
        for (int c = 0; c < Features.Length; c++)
        {
            if (FeatureMissing[c][row] && errors.Missing != MissingValuePolicy.Fill)
            {
                problem = At(row, table.Features[c].Name, "is missing (null or NaN); expected a number (missing values are not filled in unless data.missing is skip or fill)");
                return errors.Missing == MissingValuePolicy.Skip ? RowOutcome.Missing : RowOutcome.Bad;
            }
        }
        bool labelMissing = (Labels is not null && string.IsNullOrWhiteSpace(Labels[row])) || (Values is not null && float.IsNaN(Values[row]));
        if (labelMissing)
        {
            problem = At(row, table.Label!.Name, "is missing (null or NaN); expected a label (a missing label is never filled in)");
            return errors.Missing == MissingValuePolicy.Skip ? RowOutcome.Missing : RowOutcome.Bad;
        }
        return RowOutcome.Kept;
    }

    /// <summary>Writes row <paramref name="row"/>'s features (missing ones filled) to <paramref name="destination"/>.</summary>
    public void CopyFeatures(int row, Span<float> destination)
    {
        for (int c = 0; c < Features.Length; c++)
        {
            destination[c] = FeatureMissing[c][row] ? errors.FillValue : Features[c][row];
        }
    }

    /// <summary>A message placed at a row: <c>digits.parquet: row group 0, row 13, column 'p3': ...</c> (rows counted from 1 over the file).</summary>
    private string At(int row, string column, string message) => $"{table.Name}: row group {index}, row {firstRow + row + 1}, column '{column}': {message}";
}

/// <summary>Reads a table's row groups in order, numbering rows across the file.</summary>
internal sealed class RowGroupWalk(ParquetTable table, ParquetSettings settings)
{
    private long _firstRow;

    /// <summary>Reads row group <paramref name="index"/>; groups must be read in order.</summary>
    /// <exception cref="InvalidDataException">A column's data cannot be read (a damaged file).</exception>
    public async Task<RowGroup> ReadAsync(int index)
    {
        using ParquetRowGroupReader reader = table.Reader.OpenRowGroupReader(index);
        int rows = checked((int)reader.RowCount);
        var group = new RowGroup(table, settings.Errors, index, _firstRow, rows);
        _firstRow += rows;
        string column = "";
        try
        {
            for (int c = 0; c < table.Features.Length; c++)
            {
                column = table.Features[c].Name;
                group.Features[c] = new float[rows];
                group.FeatureMissing[c] = new bool[rows];
                await ParquetColumns.ReadAsync(reader, table.Features[c], group.Features[c], group.FeatureMissing[c]).ConfigureAwait(false);
            }
            if (table.Label is { } label)
            {
                column = label.Name;
                if (settings.Task == TargetKind.Classification)
                {
                    group.Labels = new string?[rows];
                    await ParquetColumns.ReadLabelsAsync(reader, label, group.Labels).ConfigureAwait(false);
                }
                else
                {
                    group.Values = new float[rows];
                    await ParquetColumns.ReadAsync(reader, label, group.Values, new bool[rows]).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException or InvalidDataException))
        {
            throw new InvalidDataException($"{table.Name}: row group {index}, column '{column}' cannot be read ({e.Message.TrimEnd('.')}); expected an intact Parquet file", e);
        }
        return group;
    }
}
