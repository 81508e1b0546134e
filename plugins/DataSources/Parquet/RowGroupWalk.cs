using Conduit.Data;
using Conduit.DataSources.Common;
using Parquet;

namespace Conduit.DataSources.Parquet;

/// <summary>Reads a table's row groups in file order into one reused <see cref="RowGroup"/>, numbering rows across the file.</summary>
internal sealed class RowGroupWalk
{
    private readonly ParquetTable _table;
    private readonly ParquetColumns _columns;
    private readonly RowGroup _group;
    private int _next;
    private long _firstRow;

    /// <summary>A walk over <paramref name="table"/>'s row groups reading the columns <paramref name="target"/> needs.</summary>
    /// <exception cref="InvalidDataException">A row group is larger than one read can hold.</exception>
    public RowGroupWalk(ParquetTable table, TargetKind target, DataErrorPolicy errors)
    {
        _table = table;
        long largest = table.Reader.RowGroups.Select(g => g.RowCount).DefaultIfEmpty(0).Max();
        if (largest > Array.MaxLength)
        {
            throw new InvalidDataException($"{table.Name}: a row group has {largest} rows; expected at most {Array.MaxLength} rows per group (rewrite the file with smaller row groups)");
        }
        Capacity = (int)largest;
        _columns = new ParquetColumns(Capacity);
        _group = new RowGroup(table, target, errors, Capacity);
    }

    /// <summary>The most rows of any row group.</summary>
    public int Capacity { get; }

    /// <summary>Reads the next row group; null after the last. The previous group's values are overwritten.</summary>
    /// <exception cref="InvalidDataException">A column's data cannot be read (a damaged file).</exception>
    public async Task<RowGroup?> ReadNextAsync()
    {
        if (_next == _table.Reader.RowGroupCount)
        {
            return null;
        }
        using ParquetRowGroupReader reader = _table.Reader.OpenRowGroupReader(_next);
        int rows = (int)reader.RowCount;
        await _group.LoadAsync(_columns, reader, _next, _firstRow, rows).ConfigureAwait(false);
        _next++;
        _firstRow += rows;
        return _group;
    }
}
