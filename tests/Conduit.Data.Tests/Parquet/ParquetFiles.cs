using Conduit.Data.Tests.Support;
using Parquet;
using Parquet.Schema;

namespace Conduit.Data.Tests.Parquet;

/// <summary>Writes Parquet files for tests.</summary>
internal static class ParquetFiles
{
    /// <summary>Writes columns (each a field and its values) in row groups of <paramref name="rowGroupSize"/> rows.</summary>
    public static async Task<string> WriteAsync(string path, int rowGroupSize, params (DataField Field, Array Values)[] columns)
    {
        await using (FileStream file = File.Create(path))
        {
            await using ParquetWriter writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray()), file);
            int rows = columns[0].Values.Length;
            for (int start = 0; start < rows; start += rowGroupSize)
            {
                int count = Math.Min(rowGroupSize, rows - start);
                using ParquetRowGroupWriter group = writer.CreateRowGroup();
                foreach (var (field, values) in columns)
                {
                    switch (values)
                    {
                        case float[] f: await group.WriteAsync(field, new ReadOnlyMemory<float>(f, start, count)); break;
                        case float?[] f: await group.WriteAsync<float>(field, new ReadOnlyMemory<float?>(f, start, count)); break;
                        case double?[] d: await group.WriteAsync<double>(field, new ReadOnlyMemory<double?>(d, start, count)); break;
                        case int[] i: await group.WriteAsync(field, new ReadOnlyMemory<int>(i, start, count)); break;
                        case long[] l: await group.WriteAsync(field, new ReadOnlyMemory<long>(l, start, count)); break;
                        case bool[] b: await group.WriteAsync(field, new ReadOnlyMemory<bool>(b, start, count)); break;
                        case string[] s: await group.WriteAsync(field, s.Skip(start).Take(count).ToArray()); break;
                        default: throw new NotSupportedException(values.GetType().Name);
                    }
                }
            }
        }
        return path;
    }

    /// <summary>A Parquet copy of the digits: 64 float pixel columns p0..p63 and an integer label column.</summary>
    public static Task<string> WriteDigitsAsync(string path, int rowGroupSize)
    {
        InMemoryDataset digits = CsvFiles.Load(CsvFiles.Sample("digits.csv"));
        float[] pixels = digits.Features.ToArray();
        var columns = new List<(DataField, Array)>();
        for (int p = 0; p < 64; p++)
        {
            columns.Add((new DataField<float>(digits.Schema.FeatureNames[p]), Enumerable.Range(0, digits.Length).Select(i => pixels[(i * 64) + p]).ToArray()));
        }
        columns.Add((new DataField<int>("label"), digits.Classes.ToArray().Select(c => int.Parse(digits.Schema.ClassNames[(int)c], System.Globalization.CultureInfo.InvariantCulture)).ToArray()));
        return WriteAsync(path, rowGroupSize, [.. columns]);
    }
}
