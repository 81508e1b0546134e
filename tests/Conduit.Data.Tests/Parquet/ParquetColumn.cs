using Parquet;
using Parquet.Schema;

namespace Conduit.Data.Tests.Parquet;

/// <summary>A column to write in a test file: its field and values, written a row-group slice at a time.</summary>
internal abstract class ParquetColumn(DataField field, int length)
{
    /// <summary>The column's field (name, type, whether it may hold nulls).</summary>
    public DataField Field { get; } = field;

    /// <summary>The number of rows.</summary>
    public int Length { get; } = length;

    /// <summary>A required column of <typeparamref name="T"/>: no nulls.</summary>
    public static ParquetColumn Of<T>(string name, params T[] values) where T : struct => new Required<T>(name, values);

    /// <summary>An optional column of <typeparamref name="T"/>: null where a value is null.</summary>
    public static ParquetColumn Optional<T>(string name, params T?[] values) where T : struct => new Nullable<T>(name, values);

    /// <summary>A text column (optional, as text columns are by default).</summary>
    public static ParquetColumn Text(string name, params string?[] values) => new Strings(new DataField<string>(name), values);

    /// <summary>A required text column: no nulls (as Spark writes a non-nullable column).</summary>
    public static ParquetColumn RequiredText(string name, params string[] values) => new Strings(new DataField<string>(name, false), values);

    /// <summary>Writes rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> to <paramref name="group"/>.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, int start, int count);

    private sealed class Required<T>(string name, T[] values) : ParquetColumn(new DataField<T>(name), values.Length) where T : struct
    {
        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) =>
            group.WriteAsync(Field, new ReadOnlyMemory<T>(values, start, count));
    }

    private sealed class Nullable<T>(string name, T?[] values) : ParquetColumn(new DataField<T?>(name), values.Length) where T : struct
    {
        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) =>
            group.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(values, start, count));
    }

    private sealed class Strings(DataField field, string?[] values) : ParquetColumn(field, values.Length)
    {
        public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) =>
            group.WriteAsync(Field, values.Skip(start).Take(count).ToArray()!);
    }
}
