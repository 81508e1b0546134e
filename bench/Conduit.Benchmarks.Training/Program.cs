using Conduit.Benchmarks.Training;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Training [-- --rounds N]
return await TrainerOverheadBenchmark.RunAsync(args);
