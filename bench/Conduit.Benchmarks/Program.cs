using BenchmarkDotNet.Running;
using Conduit.Benchmarks;
using Conduit.Benchmarks.TrainerOverhead;

// `-- trainer-overhead [--epochs N]` compares the trainer with a hand-written TorchSharp loop (a plain console run:
// per-epoch wall time and peak memory are not what BenchmarkDotNet measures). Everything else goes to
// BenchmarkDotNet: pick with --filter, e.g. `dotnet run -c Release --project bench/Conduit.Benchmarks -- --filter '*Bus*' --job short`.
// (typeof(Program) would be ambiguous: the host's own Program is visible here through InternalsVisibleTo.)
if (args.Length > 0 && args[0] == "trainer-overhead")
{
    return await TrainerOverheadBenchmark.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(BusPublishBenchmarks).Assembly).Run(args);
return 0;
