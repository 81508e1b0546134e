using Conduit.Data;
using Conduit.DataSources.Common;
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

/// <summary>
/// The columns a job reads of one row group, held whole (features as floats with a state per cell, and the label),
/// in buffers sized for the largest row group and reused for each group in turn.
/// </summary>
internal sealed class RowGroup
{
    private readonly ParquetTable _table;
    private readonly DataErrorPolicy _errors;
    private readonly float[][] _features;
    private readonly ValueState[][] _featureStates;
    private readonly float[]? _targets;
    private readonly ValueState[]? _targetStates;
    private readonly ClassLabelColumn? _labels;

    /// <summary>Buffers for row groups of up to <paramref name="capacity"/> rows of <paramref name="table"/>'s columns.</summary>
    public RowGroup(ParquetTable table, TargetKind target, DataErrorPolicy errors, int capacity)
    {
        _table = table;
        _errors = errors;
        _features = [.. table.Features.Select(_ => new float[capacity])];
        _featureStates = [.. table.Features.Select(_ => new ValueState[capacity])];
        if (target == TargetKind.Regression)
        {
            _targets = new float[capacity];
            _targetStates = new ValueState[capacity];
        }
        else if (target == TargetKind.Classification)
        {
            _labels = new ClassLabelColumn(table.Label!, capacity);
        }
    }

    /// <summary>The row group's index in the file.</summary>
    public int Index { get; private set; }

    /// <summary>The number of rows before this group in the file.</summary>
    public long FirstRow { get; private set; }

    /// <summary>The number of rows in this group.</summary>
    public int Rows { get; private set; }

    /// <summary>Reads the columns of row group <paramref name="index"/> (<paramref name="rows"/> rows, the first being file row <paramref name="firstRow"/>).</summary>
    /// <exception cref="InvalidDataException">A column's data cannot be read (a damaged file); the message names the group and column.</exception>
    public async Task LoadAsync(ParquetColumns columns, ParquetRowGroupReader reader, int index, long firstRow, int rows)
    {
        Index = index;
        FirstRow = firstRow;
        Rows = rows;
        string column = "";
        try
        {
            for (int c = 0; c < _features.Length; c++)
            {
                column = _table.Features[c].Name;
                await columns.ReadNumbersAsync(reader, _table.Features[c], rows, _features[c], _featureStates[c]).ConfigureAwait(false);
            }
            column = _table.Label?.Name ?? "";
            if (_targets is not null)
            {
                await columns.ReadNumbersAsync(reader, _table.Label!, rows, _targets, _targetStates!).ConfigureAwait(false);
            }
            else if (_labels is not null)
            {
                await _labels.ReadAsync(columns, reader, rows).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw new InvalidDataException($"{_table.Name}: row group {index}, column '{column}' cannot be read ({e.Message.TrimEnd('.')}); expected an intact Parquet file", e);
        }
    }

    /// <summary>Whether row <paramref name="row"/> is kept, left out, or bad (with the problem, naming the place and value).</summary>
    public RowOutcome Check(int row, out string? problem)
    {
        problem = null;
        if (_errors.Missing != MissingValuePolicy.Fill)
        {
            for (int c = 0; c < _features.Length; c++)
            {
                if (_featureStates[c][row] is var state and not ValueState.Present)
                {
                    return Missing(row, _table.Features[c].Name, $"{Describe(state)}; expected a number (missing values are not filled in unless data.missing is skip or fill)", out problem);
                }
            }
        }
        if (_targetStates is not null && _targetStates[row] is var target and not ValueState.Present)
        {
            return Missing(row, _table.Label!.Name, $"{Describe(target)}; expected a number, the regression target (a missing target is never filled in)", out problem);
        }
        if (_labels?.Missing(row) is { } label)
        {
            return Missing(row, _table.Label!.Name, $"{label}; expected a class label (a missing label is never filled in)", out problem);
        }
        return RowOutcome.Kept;
    }

    /// <summary>How many of row <paramref name="row"/>'s features are missing (and filled under <c>missing: fill</c>).</summary>
    public int MissingFeatures(int row)
    {
        int missing = 0;
        for (int c = 0; c < _featureStates.Length; c++)
        {
            missing += _featureStates[c][row] == ValueState.Present ? 0 : 1;
        }
        return missing;
    }

    /// <summary>Writes row <paramref name="row"/>'s features, missing ones filled, to <paramref name="destination"/>.</summary>
    public void CopyFeatures(int row, Span<float> destination)
    {
        for (int c = 0; c < _features.Length; c++)
        {
            destination[c] = _featureStates[c][row] == ValueState.Present ? _features[c][row] : _errors.FillValue;
        }
    }

    /// <summary>Row <paramref name="row"/>'s regression target.</summary>
    public float Target(int row) => _targets![row];

    /// <summary>Row <paramref name="row"/>'s class label (see <see cref="ClassLabelColumn.Text"/>).</summary>
    public ReadOnlySpan<char> Label(int row, Span<char> scratch) => _labels!.Text(row, scratch);

    private static string Describe(ValueState state) => state == ValueState.NaN ? "NaN" : "null";

    /// <summary>
    /// A missing value's outcome and its message, placed at a row: <c>digits.parquet: row group 0, row 13, column 'p3': ...</c>
    /// (rows counted from 1 over the whole file).
    /// </summary>
    private RowOutcome Missing(int row, string column, string message, out string problem)
    {
        problem = $"{_table.Name}: row group {Index}, row {FirstRow + row + 1}, column '{column}': {message}";
        return _errors.Missing == MissingValuePolicy.Skip ? RowOutcome.Missing : RowOutcome.Bad;
    }
}
