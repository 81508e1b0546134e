using BenchmarkDotNet.Running;
using Conduit.Benchmarks;

// Pick benchmarks with --filter, e.g. `dotnet run -c Release --project bench/Conduit.Benchmarks -- --filter '*Bus*' --job short`.
// (typeof(Program) would be ambiguous: the host's own Program is visible here through InternalsVisibleTo.)
BenchmarkSwitcher.FromAssembly(typeof(BusPublishBenchmarks).Assembly).Run(args);
