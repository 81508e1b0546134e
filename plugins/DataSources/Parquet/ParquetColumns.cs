using System.Globalization;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Conduit.DataSources.Parquet;

/// <summary>Reads one row group's column as floats with a missing-value mask, whatever its numeric type.</summary>
internal static class ParquetColumns
{
    /// <summary>The numeric column types a feature or regression target may have.</summary>
    public static bool IsNumeric(DataField field) =>
        !field.IsArray && Type.GetTypeCode(field.ClrType) is TypeCode.Single or TypeCode.Double or TypeCode.SByte or TypeCode.Byte
            or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64;

    /// <summary>Whether a column can hold class labels: text or integers.</summary>
    public static bool IsLabel(DataField field) =>
        !field.IsArray && (IsText(field) || Type.GetTypeCode(field.ClrType) is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16
            or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64);

    /// <summary>A column type as messages name it.</summary>
    public static string TypeName(DataField field) => IsText(field) ? "string" : field.IsArray ? $"list of {field.ClrType.Name}" : field.ClrType.Name;

    /// <summary>Reads <paramref name="field"/> as floats; a null or NaN marks its row in <paramref name="missing"/>.</summary>
    public static Task ReadAsync(ParquetRowGroupReader group, DataField field, float[] values, bool[] missing) =>
        Type.GetTypeCode(field.ClrType) switch
        {
            TypeCode.Single => ReadAsync<float>(group, field, values, missing),
            TypeCode.Double => ReadAsync<double>(group, field, values, missing),
            TypeCode.SByte => ReadAsync<sbyte>(group, field, values, missing),
            TypeCode.Byte => ReadAsync<byte>(group, field, values, missing),
            TypeCode.Int16 => ReadAsync<short>(group, field, values, missing),
            TypeCode.UInt16 => ReadAsync<ushort>(group, field, values, missing),
            TypeCode.Int32 => ReadAsync<int>(group, field, values, missing),
            TypeCode.UInt32 => ReadAsync<uint>(group, field, values, missing),
            TypeCode.Int64 => ReadAsync<long>(group, field, values, missing),
            TypeCode.UInt64 => ReadAsync<ulong>(group, field, values, missing),
            _ => throw new NotSupportedException($"column '{field.Name}' of type {TypeName(field)}"),
        };

    /// <summary>Reads a label column as text (integers written as numbers); null for a missing label.</summary>
    public static async Task ReadLabelsAsync(ParquetRowGroupReader group, DataField field, string?[] labels)
    {
        if (IsText(field))
        {
            await group.ReadAsync(field, labels.AsMemory()!).ConfigureAwait(false);
            return;
        }
        var integers = new long?[labels.Length];
        await (Type.GetTypeCode(field.ClrType) switch
        {
            TypeCode.SByte => Integers<sbyte>(group, field, integers),
            TypeCode.Byte => Integers<byte>(group, field, integers),
            TypeCode.Int16 => Integers<short>(group, field, integers),
            TypeCode.UInt16 => Integers<ushort>(group, field, integers),
            TypeCode.Int32 => Integers<int>(group, field, integers),
            TypeCode.UInt32 => Integers<uint>(group, field, integers),
            TypeCode.Int64 => Integers<long>(group, field, integers),
            _ => Integers<ulong>(group, field, integers),
        }).ConfigureAwait(false);
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = integers[i]?.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static bool IsText(DataField field) => field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>);

    private static async Task ReadAsync<T>(ParquetRowGroupReader group, DataField field, float[] values, bool[] missing)
        where T : struct, INumberBase<T>
    {
        // A column without nulls must be read as plain values: read as nullable, it comes back all null.
        if (!field.IsNullable)
        {
            var plain = new T[values.Length];
            await group.ReadAsync<T>(field, plain).ConfigureAwait(false);
            for (int i = 0; i < plain.Length; i++)
            {
                values[i] = float.CreateTruncating(plain[i]);
                missing[i] = float.IsNaN(values[i]);
            }
            return;
        }
        var raw = new T?[values.Length];
        await group.ReadAsync<T>(field, raw).ConfigureAwait(false);
        for (int i = 0; i < raw.Length; i++)
        {
            float value = raw[i] is { } v ? float.CreateTruncating(v) : float.NaN;
            values[i] = value;
            missing[i] = float.IsNaN(value);
        }
    }

    private static async Task Integers<T>(ParquetRowGroupReader group, DataField field, long?[] integers)
        where T : struct, IBinaryInteger<T>
    {
        if (!field.IsNullable)
        {
            var plain = new T[integers.Length];
            await group.ReadAsync<T>(field, plain).ConfigureAwait(false);
            for (int i = 0; i < plain.Length; i++)
            {
                integers[i] = long.CreateTruncating(plain[i]);
            }
            return;
        }
        var raw = new T?[integers.Length];
        await group.ReadAsync<T>(field, raw).ConfigureAwait(false);
        for (int i = 0; i < raw.Length; i++)
        {
            integers[i] = raw[i] is { } v ? long.CreateTruncating(v) : null;
        }
    }
}
