using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Conduit.Data.Tests.Parquet;

/// <summary>
/// Converts a CSV dataset to Parquet the way pandas' <c>to_parquet</c> types columns: integers as int64, other
/// numbers as double, anything else as text, and an empty cell as null. Needs only Parquet.Net, so another test
/// project can compile this file alone.
/// </summary>
internal static partial class ParquetFiles
{
    /// <summary>
    /// Writes a Parquet copy of <paramref name="csvPath"/> (a header row, comma-separated, unquoted fields, such as
    /// the sample digits and iris files) to <paramref name="parquetPath"/> in row groups of <paramref name="rowGroupSize"/> rows.
    /// </summary>
    internal static async Task WriteDigitsParquetAsync(string csvPath, string parquetPath, int rowGroupSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowGroupSize, 1);
        string[] lines = [.. File.ReadLines(csvPath).Where(l => l.Length > 0)];
        string[] header = lines[0].Split(',');
        string[][] cells = [.. lines.Skip(1).Select(l => l.Split(','))];
        if (cells.FirstOrDefault(r => r.Length != header.Length) is { } ragged)
        {
            throw new InvalidDataException($"{csvPath}: a row has {ragged.Length} fields; expected {header.Length} as in the header");
        }
        var columns = new CsvColumn[header.Length];
        for (int c = 0; c < header.Length; c++)
        {
            columns[c] = CsvColumn.Of(header[c], [.. cells.Select(r => r[c])]);
        }
        await using FileStream file = File.Create(parquetPath);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema([.. columns.Select(c => (Field)c.Field)]), file);
        for (int start = 0; start < cells.Length; start += rowGroupSize)
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            foreach (CsvColumn column in columns)
            {
                await column.WriteAsync(group, start, Math.Min(rowGroupSize, cells.Length - start));
            }
        }
    }

    /// <summary>One CSV column typed for Parquet.</summary>
    private abstract class CsvColumn(DataField field)
    {
        public DataField Field { get; } = field;

        public static CsvColumn Of(string name, string[] texts)
        {
            var integers = new long?[texts.Length];
            var numbers = new double?[texts.Length];
            bool allIntegers = true, allNumbers = true;
            for (int i = 0; i < texts.Length; i++)
            {
                string text = texts[i].Trim();
                if (text.Length == 0)
                {
                    continue;
                }
                allIntegers &= long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long integer);
                allNumbers &= double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number);
                integers[i] = integer;
                numbers[i] = number;
            }
            return allIntegers ? new Numbers<long>(name, integers)
                : allNumbers ? new Numbers<double>(name, numbers)
                : new Texts(name, [.. texts.Select(t => t.Length == 0 ? null : t)]);
        }

        public abstract Task WriteAsync(ParquetRowGroupWriter group, int start, int count);

        private sealed class Numbers<T>(string name, T?[] values) : CsvColumn(new DataField<T?>(name)) where T : struct
        {
            public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) =>
                group.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(values, start, count));
        }

        private sealed class Texts(string name, string?[] values) : CsvColumn(new DataField<string>(name))
        {
            public override Task WriteAsync(ParquetRowGroupWriter group, int start, int count) =>
                group.WriteAsync(Field, values.Skip(start).Take(count).ToArray()!);
        }
    }
}
