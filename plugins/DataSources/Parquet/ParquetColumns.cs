using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Conduit.DataSources.Parquet;

/// <summary>
/// Reads a row group's columns into caller-owned buffers whatever the column's number type: features and regression
/// targets as floats with a <see cref="ValueState"/> per row, class labels as text or integers. The typed buffers
/// Parquet.Net reads into are kept and reused from one row group to the next.
/// </summary>
/// <param name="capacity">The most rows of any row group.</param>
internal sealed class ParquetColumns(int capacity)
{
    private readonly Dictionary<Type, Array> _scratch = [];

    /// <summary>The number types a feature or regression target may have.</summary>
    public static bool IsNumeric(DataField field) =>
        !field.IsArray && (Type.GetTypeCode(field.ClrType) is TypeCode.Single or TypeCode.Double || IsInteger(field));

    /// <summary>Whether a column can hold class labels: text or integers.</summary>
    public static bool IsLabel(DataField field) => IsText(field) || IsInteger(field);

    /// <summary>Whether a column holds text.</summary>
    public static bool IsText(DataField field) => !field.IsArray && (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>));

    /// <summary>A column type as messages name it: <c>string</c>, <c>Int32</c>, <c>list of Double</c>.</summary>
    public static string TypeName(DataField field) =>
        field.IsArray ? $"list of {field.ClrType.Name}" : IsText(field) ? "string" : field.ClrType.Name;

    /// <summary>Reads <paramref name="rows"/> values of a number column as floats; a null or NaN is marked in <paramref name="states"/>.</summary>
    public Task ReadNumbersAsync(ParquetRowGroupReader group, DataField field, int rows, float[] values, ValueState[] states) =>
        Type.GetTypeCode(field.ClrType) switch
        {
            TypeCode.Single => ReadNumbersAsync<float>(group, field, rows, values, states),
            TypeCode.Double => ReadNumbersAsync<double>(group, field, rows, values, states),
            TypeCode.SByte => ReadNumbersAsync<sbyte>(group, field, rows, values, states),
            TypeCode.Byte => ReadNumbersAsync<byte>(group, field, rows, values, states),
            TypeCode.Int16 => ReadNumbersAsync<short>(group, field, rows, values, states),
            TypeCode.UInt16 => ReadNumbersAsync<ushort>(group, field, rows, values, states),
            TypeCode.Int32 => ReadNumbersAsync<int>(group, field, rows, values, states),
            TypeCode.UInt32 => ReadNumbersAsync<uint>(group, field, rows, values, states),
            TypeCode.Int64 => ReadNumbersAsync<long>(group, field, rows, values, states),
            TypeCode.UInt64 => ReadNumbersAsync<ulong>(group, field, rows, values, states),
            _ => throw new NotSupportedException($"column '{field.Name}' of type {TypeName(field)} is not a number column"),
        };

    /// <summary>
    /// Reads <paramref name="rows"/> values of an integer column as the bits of a <see cref="long"/> (an unsigned 64-bit
    /// column keeps its bits; <see cref="ClassLabelColumn"/> formats it back as unsigned).
    /// </summary>
    public Task ReadIntegersAsync(ParquetRowGroupReader group, DataField field, int rows, long[] integers, ValueState[] states) =>
        Type.GetTypeCode(field.ClrType) switch
        {
            TypeCode.SByte => ReadIntegersAsync<sbyte>(group, field, rows, integers, states),
            TypeCode.Byte => ReadIntegersAsync<byte>(group, field, rows, integers, states),
            TypeCode.Int16 => ReadIntegersAsync<short>(group, field, rows, integers, states),
            TypeCode.UInt16 => ReadIntegersAsync<ushort>(group, field, rows, integers, states),
            TypeCode.Int32 => ReadIntegersAsync<int>(group, field, rows, integers, states),
            TypeCode.UInt32 => ReadIntegersAsync<uint>(group, field, rows, integers, states),
            TypeCode.Int64 => ReadIntegersAsync<long>(group, field, rows, integers, states),
            TypeCode.UInt64 => ReadIntegersAsync<ulong>(group, field, rows, integers, states),
            _ => throw new NotSupportedException($"column '{field.Name}' of type {TypeName(field)} is not an integer column"),
        };

    /// <summary>Reads <paramref name="rows"/> values of a text column; null where a row has none.</summary>
    public async Task ReadTextAsync(ParquetRowGroupReader group, DataField field, int rows, string?[] texts) =>
        await group.ReadAsync(field, texts.AsMemory(0, rows)!).ConfigureAwait(false);

    private static bool IsInteger(DataField field) =>
        !field.IsArray && Type.GetTypeCode(field.ClrType) is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16
            or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;

    private async Task ReadNumbersAsync<T>(ParquetRowGroupReader group, DataField field, int rows, float[] values, ValueState[] states)
        where T : struct, INumberBase<T>
    {
        // A required column is read as plain values (read as nullable, Parquet.Net gives back nulls).
        if (!field.IsNullable)
        {
            T[] plain = Scratch<T>();
            await group.ReadAsync<T>(field, plain.AsMemory(0, rows)).ConfigureAwait(false);
            for (int i = 0; i < rows; i++)
            {
                float value = float.CreateTruncating(plain[i]);
                values[i] = value;
                states[i] = float.IsNaN(value) ? ValueState.NaN : ValueState.Present;
            }
            return;
        }
        T?[] optional = Scratch<T?>();
        await group.ReadAsync<T>(field, optional.AsMemory(0, rows)).ConfigureAwait(false);
        for (int i = 0; i < rows; i++)
        {
            if (optional[i] is { } present)
            {
                float value = float.CreateTruncating(present);
                values[i] = value;
                states[i] = float.IsNaN(value) ? ValueState.NaN : ValueState.Present;
            }
            else
            {
                values[i] = float.NaN;
                states[i] = ValueState.Null;
            }
        }
    }

    private async Task ReadIntegersAsync<T>(ParquetRowGroupReader group, DataField field, int rows, long[] integers, ValueState[] states)
        where T : struct, IBinaryInteger<T>
    {
        if (!field.IsNullable)
        {
            T[] plain = Scratch<T>();
            await group.ReadAsync<T>(field, plain.AsMemory(0, rows)).ConfigureAwait(false);
            for (int i = 0; i < rows; i++)
            {
                integers[i] = long.CreateTruncating(plain[i]);
                states[i] = ValueState.Present;
            }
            return;
        }
        T?[] optional = Scratch<T?>();
        await group.ReadAsync<T>(field, optional.AsMemory(0, rows)).ConfigureAwait(false);
        for (int i = 0; i < rows; i++)
        {
            integers[i] = optional[i] is { } present ? long.CreateTruncating(present) : 0;
            states[i] = optional[i].HasValue ? ValueState.Present : ValueState.Null;
        }
    }

    /// <summary>A buffer of <c>capacity</c> elements of <typeparamref name="T"/>, shared by every column of that type.</summary>
    private T[] Scratch<T>()
    {
        if (!_scratch.TryGetValue(typeof(T), out Array? buffer))
        {
            buffer = new T[capacity];
            _scratch.Add(typeof(T), buffer);
        }
        return (T[])buffer;
    }
}
