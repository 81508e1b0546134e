using System.Globalization;

namespace Conduit.Benchmarks.Data;

/// <summary>The command line: <c>--rounds N</c>, <c>--stream-mb N</c>, <c>--skip-stream</c>.</summary>
internal sealed record BenchOptions(int Rounds, int StreamMegabytes, bool SkipStream)
{
    /// <summary>The repository root (the folder holding Host.sln), where samples and the conduit script live.</summary>
    public static string RepoRoot => RepositoryRoot.Path;

    public static BenchOptions Parse(string[] args)
    {
        int rounds = 5;
        int streamMb = 2048;
        bool skipStream = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds":
                    rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--stream-mb":
                    streamMb = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--skip-stream":
                    skipStream = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'; expected --rounds N, --stream-mb N or --skip-stream.");
            }
        }
        return new BenchOptions(rounds, streamMb, skipStream);
    }
}
