using System.Globalization;

namespace Conduit.Benchmarks.Process;

/// <summary>The command line: <c>--rounds N</c> (3), <c>--threads N</c> (1), <c>--epochs N</c> (6, the long run).</summary>
/// <remarks>
/// One libtorch thread by default: on a shared machine, two OpenMP workers on two busy cores spin at every barrier
/// while a neighbour holds the other core, and epoch times swung tenfold between runs here; one thread keeps the
/// comparison about the programs. <c>--threads 2</c> on a quiet machine measures both sides with two.
/// </remarks>
internal sealed record BenchOptions(int Rounds, int Threads, int LongEpochs)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(Rounds: 3, Threads: 1, LongEpochs: 6);
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i];
            if (name is not ("--rounds" or "--threads" or "--epochs"))
            {
                throw new ArgumentException($"Unknown option '{name}'; expected --rounds N, --threads N or --epochs N.");
            }
            // The long run must be longer than the one-epoch run: the difference between them is what is divided.
            int least = name == "--epochs" ? 2 : 1;
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < least)
            {
                throw new ArgumentException($"{name} needs a whole number of at least {least} after it.");
            }
            options = name switch
            {
                "--rounds" => options with { Rounds = value },
                "--threads" => options with { Threads = value },
                _ => options with { LongEpochs = value },
            };
        }
        return options;
    }
}
