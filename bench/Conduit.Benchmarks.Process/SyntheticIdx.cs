using System.Buffers.Binary;

namespace Conduit.Benchmarks.Process;

/// <summary>
/// Writes the benchmark's data set once per run as IDX files (MNIST's format), which both the hand-written program and
/// conduit's idx data source read: exactly the same rows on both sides, and neither pays for parsing text.
/// </summary>
internal static class SyntheticIdx
{
    public const int Rows = 60_000;
    public const int Features = 784;
    public const int Classes = 10;
    private const int Seed = 1;

    /// <summary>The folder the job file names (relative to it): <c>artifacts/bench-process</c> of the repository.</summary>
    public static string Folder => Path.Combine(RepositoryRoot.Path, "artifacts", "bench-process");

    public static string FeaturesPath => Path.Combine(Folder, "features.idx");

    public static string LabelsPath => Path.Combine(Folder, "labels.idx");

    /// <summary>
    /// Seeded Gaussian classes: a random centre per class plus unit noise, so that the model has something to learn
    /// (the accuracies of the two sides can be compared) while every step costs what a real one does.
    /// </summary>
    public static void Write()
    {
        Directory.CreateDirectory(Folder);
        var random = new Random(Seed);
        var centres = new float[Classes, Features];
        for (int c = 0; c < Classes; c++)
        {
            for (int j = 0; j < Features; j++)
            {
                centres[c, j] = 0.1f * Gaussian(random);
            }
        }
        var labels = new byte[Rows];
        using (FileStream features = File.Create(FeaturesPath))
        {
            WriteHeader(features, type: 0x0D, [Rows, Features]);
            var row = new byte[Features * sizeof(float)];
            for (int i = 0; i < Rows; i++)
            {
                int label = random.Next(Classes);
                labels[i] = (byte)label;
                for (int j = 0; j < Features; j++)
                {
                    BinaryPrimitives.WriteSingleBigEndian(row.AsSpan(j * sizeof(float)), centres[label, j] + Gaussian(random));
                }
                features.Write(row);
            }
        }
        using FileStream labelFile = File.Create(LabelsPath);
        WriteHeader(labelFile, type: 0x08, [Rows]);
        labelFile.Write(labels);
    }

    // Magic 0, 0, type, rank; then each dimension as a big-endian int32.
    private static void WriteHeader(Stream stream, byte type, int[] shape)
    {
        var header = new byte[4 + 4 * shape.Length];
        header[2] = type;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), shape[i]);
        }
        stream.Write(header);
    }

    // Box-Muller: System.Random has no normal distribution.
    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
