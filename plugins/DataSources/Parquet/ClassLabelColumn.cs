using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// One row group's class labels, text or integers, handed out as characters: integers are formatted into the
/// caller's scratch span, so looking a label up costs no allocation per row.
/// </summary>
internal sealed class ClassLabelColumn
{
    /// <summary>Room for any 64-bit integer written in decimal.</summary>
    public const int MaxIntegerLength = 20;

    private readonly DataField _field;
    private readonly string?[]? _texts;
    private readonly long[]? _integers;
    private readonly ValueState[] _states;
    private readonly bool _unsigned;

    /// <summary>A column of up to <paramref name="capacity"/> labels read from <paramref name="field"/>.</summary>
    public ClassLabelColumn(DataField field, int capacity)
    {
        _field = field;
        _states = new ValueState[capacity];
        if (ParquetColumns.IsText(field))
        {
            _texts = new string?[capacity];
        }
        else
        {
            _integers = new long[capacity];
            _unsigned = field.ClrType == typeof(ulong);
        }
    }

    /// <summary>Reads the labels of <paramref name="rows"/> rows of <paramref name="group"/>.</summary>
    public async Task ReadAsync(ParquetColumns columns, ParquetRowGroupReader group, int rows)
    {
        if (_texts is not null)
        {
            await columns.ReadTextAsync(group, _field, rows, _texts).ConfigureAwait(false);
            for (int i = 0; i < rows; i++)
            {
                _states[i] = _texts[i] is null ? ValueState.Null : ValueState.Present;
            }
            return;
        }
        await columns.ReadIntegersAsync(group, _field, rows, _integers!, _states).ConfigureAwait(false);
    }

    /// <summary>
    /// Why row <paramref name="row"/> has no label (<c>null</c>, or the blank text quoted), or null when it has one.
    /// </summary>
    public string? Missing(int row) =>
        _states[row] == ValueState.Null ? "null"
        : _texts?[row] is { } text && string.IsNullOrWhiteSpace(text) ? $"'{text}' is empty"
        : null;

    /// <summary>The label of row <paramref name="row"/>; integers are written into <paramref name="scratch"/> (<see cref="MaxIntegerLength"/> chars).</summary>
    public ReadOnlySpan<char> Text(int row, Span<char> scratch)
    {
        if (_texts is not null)
        {
            return _texts[row];
        }
        long bits = _integers![row];
        bool written = _unsigned
            ? ((ulong)bits).TryFormat(scratch, out int length, default, CultureInfo.InvariantCulture)
            : bits.TryFormat(scratch, out length, default, CultureInfo.InvariantCulture);
        return written ? scratch[..length] : throw new ArgumentException($"A label needs up to {MaxIntegerLength} chars of scratch.", nameof(scratch));
    }
}
