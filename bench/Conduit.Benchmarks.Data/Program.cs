using Conduit.Benchmarks.Data;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Data [-- --rounds 5 --stream-mb 2048 --skip-stream]
var options = BenchOptions.Parse(args);
Console.WriteLine($"Conduit data benchmarks: {Environment.ProcessorCount} cores, {options.Rounds} rounds per comparison (alternating, median)");
Console.WriteLine();
await CsvParseBenchmark.RunAsync(options);
await LoaderBenchmark.RunAsync(options);
if (!options.SkipStream)
{
    await StreamingMemoryBenchmark.RunAsync(options);
}
return 0;
