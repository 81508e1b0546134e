using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Conduit.Benchmarks.Data;

/// <summary>Writes a classification CSV of random numbers quickly: header f0..fN-1,label, values with three decimals.</summary>
internal static class GeneratedCsv
{
    public const int Features = 32;
    public const int Classes = 10;

    /// <summary>Writes rows until the file reaches <paramref name="bytes"/>; returns the row count.</summary>
    public static long Write(string path, long bytes, int seed = 1)
    {
        var random = new Random(seed);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        byte[] header = Encoding.ASCII.GetBytes(string.Join(',', Enumerable.Range(0, Features).Select(i => $"f{i}")) + ",label\n");
        file.Write(header);
        var line = new byte[Features * 16 + 8];
        long rows = 0;
        while (file.Position < bytes)
        {
            int label = random.Next(Classes);
            int at = 0;
            for (int j = 0; j < Features; j++)
            {
                // Informative: the label shifts the first features, so a model can learn something.
                double value = random.NextDouble() * 2 - 1 + (j < Classes && j == label ? 1.5 : 0);
                Utf8Formatter.TryFormat((float)Math.Round(value, 3), line.AsSpan(at), out int written, new StandardFormat('F', 3));
                at += written;
                line[at++] = (byte)',';
            }
            line[at++] = (byte)('0' + label);
            line[at++] = (byte)'\n';
            file.Write(line, 0, at);
            rows++;
        }
        return rows;
    }
}
