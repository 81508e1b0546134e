using Conduit.Data.Tests.Support;
using Parquet;
using Parquet.Schema;

namespace Conduit.Data.Tests.Parquet;

/// <summary>Writes Parquet files for tests.</summary>
internal static partial class ParquetFiles
{
    /// <summary>Writes <paramref name="columns"/> (all of one length) in row groups of <paramref name="rowGroupSize"/> rows; returns the path.</summary>
    public static async Task<string> WriteAsync(string path, int rowGroupSize, params ParquetColumn[] columns)
    {
        await using FileStream file = File.Create(path);
        await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema([.. columns.Select(c => (Field)c.Field)]), file);
        int rows = columns[0].Length;
        for (int start = 0; start < rows; start += rowGroupSize)
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            foreach (ParquetColumn column in columns)
            {
                await column.WriteAsync(group, start, Math.Min(rowGroupSize, rows - start));
            }
        }
        return path;
    }

    /// <summary>A Parquet copy of the sample digits (<c>p0</c>..<c>p63</c> and <c>label</c>, all int64), returning its path.</summary>
    public static async Task<string> WriteDigitsAsync(string path, int rowGroupSize)
    {
        await WriteDigitsParquetAsync(CsvFiles.Sample("digits.csv"), path, rowGroupSize);
        return path;
    }
}
