using Conduit.Benchmarks;
using Conduit.Benchmarks.Process;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Process [-- --rounds 3] [--threads 1] [--epochs 6]
BenchOptions options = BenchOptions.Parse(args);
Side[] sides = [Side.HandWritten, Side.ConduitJson, Side.ConduitConsole];

// The script builds the host and its plugins only when a source changed; children inherit the configuration.
Environment.SetEnvironmentVariable("CONDUIT_CONFIGURATION", "Release");
Console.Error.WriteLine("Making sure the host is built (./conduit --version)...");
await MeasuredProcess.RunAsync("bash", [Path.Combine(RepositoryRoot.Path, "conduit"), "--version"]);
Console.Error.WriteLine($"Writing {SyntheticIdx.Rows:N0} x {SyntheticIdx.Features} synthetic rows to {Path.GetRelativePath(RepositoryRoot.Path, SyntheticIdx.Folder)}...");
SyntheticIdx.Write();

var contenders = new Contenders(options);
// Warm-up, not counted: the page cache (libtorch is ~450 MB per copy, the data 188 MB) and the OS's first-start costs.
foreach (Side side in sides)
{
    Report("warm-up", side, 1, await contenders.RunAsync(side, 1));
}

var results = new Results(options, sides);
for (int round = 0; round < options.Rounds; round++)
{
    // Sides alternate run by run, and each round reverses the order, so machine noise hits each alike.
    IEnumerable<Side> order = round % 2 == 0 ? sides : sides.Reverse();
    foreach (int epochs in (int[])[1, options.LongEpochs])
    {
        foreach (Side side in order)
        {
            Run run = await contenders.RunAsync(side, epochs);
            results.Add(side, epochs, run);
            Report($"round {round + 1}/{options.Rounds}", side, epochs, run);
        }
    }
}

results.Print(Console.Out);
return 0;

static void Report(string phase, Side side, int epochs, Run run) =>
    Console.Error.WriteLine(FormattableString.Invariant($"  {phase}: {Results.Name(side)}, {epochs} epoch(s): {run.Measured.Seconds:F2} s, peak {run.Measured.PeakBytes >> 20} MiB"));
