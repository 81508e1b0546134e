using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Conduit.Benchmarks;
using Conduit.Host.Cli;
using Conduit.Host.Server;
using Microsoft.AspNetCore.Builder;

// dotnet run -c Release --project bench/Conduit.Benchmarks.Server [-- --seconds N] [--clients N] [--sse-clients N]
double seconds = Option("--seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : 5;
int clients = Option("--clients") is { } c ? int.Parse(c, CultureInfo.InvariantCulture) : 32;
int sseClients = Option("--sse-clients") is { } e ? int.Parse(e, CultureInfo.InvariantCulture) : 200;
string root = RepositoryRoot.Path;
string scratch = Directory.CreateTempSubdirectory("conduit-bench-server").FullName;
TextWriter stdout = Console.Out;
try
{
    // Two models of the sample job: the sample's MLP (microseconds per example: HTTP dominates) and a wide one (a
    // model call costs more than a request: where batching pays).
    string small = await TrainAsync("small", []);
    string wide = await TrainAsync("wide", ["model.hidden.0=2048", "model.hidden.1=2048", "trainer.max_epochs=1"]);
    float[][] rows = [.. File.ReadLines(Path.Combine(root, "samples", "data", "digits.csv")).Skip(1)
        .Select(line => line.Split(',')[..64].Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())];

    Console.WriteLine($"conduit serve under load: {clients} concurrent clients, one example per request, {seconds:F0} s per configuration, 127.0.0.1 (clients and server share the {Environment.ProcessorCount} cores)");
    foreach (var (title, model) in new[] { ("digits MLP 64-256-10", small), ("wide MLP 64-2048-2048-10", wide) })
    {
        Console.WriteLine();
        Console.WriteLine($"{title}:");
        Console.WriteLine();
        Console.WriteLine("| Configuration                           | requests/s | p50 ms | p99 ms | mean batch |");
        Console.WriteLine("|-----------------------------------------|-----------:|-------:|-------:|-----------:|");
        Console.WriteLine($"| raw ONNX Runtime session, in-process    | {RawRate(model, rows, batch: 1),10:N0} |      - |      - |          1 |");
        foreach (var (name, batching) in new[]
        {
            ("conduit serve, batching off", new BatchingOptions(1)),
            ("conduit serve, dynamic batching (64)", new BatchingOptions(64)),
            ("conduit serve, batching (64, 2 ms wait)", new BatchingOptions(64, TimeSpan.FromMilliseconds(2))),
        })
        {
            var (rate, p50, p99, meanBatch) = await LoadAsync(Path.Combine(scratch, Guid.NewGuid().ToString("N")), model, rows, batching);
            Console.WriteLine($"| {name,-39} | {rate,10:N0} | {p50,6:F2} | {p99,6:F2} | {meanBatch,10:F1} |");
        }
        Console.WriteLine($"raw ONNX Runtime at batch 64, in-process: {RawRate(model, rows, batch: 64):N0} examples/s");
    }
    Console.WriteLine();
    await SseAsync(Path.Combine(scratch, "sse"), root, sseClients);
    return 0;
}
finally
{
    Console.SetOut(stdout);
    Directory.Delete(scratch, recursive: true);
}

async Task<string> TrainAsync(string name, string[] overrides)
{
    string folder = Path.Combine(scratch, name);
    TextWriter saved = Console.Out;
    Console.SetOut(TextWriter.Null);
    string[] args = ["run", Path.Combine(root, "samples", "digits.job.json"), "--set", "trainer.max_epochs=5", "--set", $"trainer.default_root_dir={folder}", "--set", "loggers=", "--json",
        .. overrides.SelectMany(o => new[] { "--set", o })];
    int code = await ConduitCli.RunAsync(args, new CliConsole(TextWriter.Null, Console.Error, interactive: false));
    Console.SetOut(saved);
    return code == 0 ? Path.Combine(folder, "digits", "model.onnx") : throw new InvalidOperationException($"training the {name} model failed");
}

async Task<(double Rate, double P50, double P99, double MeanBatch)> LoadAsync(string folder, string model, float[][] rows, BatchingOptions batching)
{
    var options = new ServerOptions { Urls = "http://127.0.0.1:0", StorePath = Path.Combine(folder, "conduit.db"), Batching = batching };
    options.Models["digits"] = model;
    options.Host.Plugins.Roots.Add(Path.Combine(root, "artifacts", "plugins"));
    options.Host.MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Error;
    await using WebApplication app = ConduitServer.Build(options);
    await app.StartAsync();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients * 2 }) { BaseAddress = new Uri(app.Urls.First()) };
    string[] bodies = [.. rows.Select(r => JsonSerializer.Serialize(new { instances = new[] { r } }))];
    (await http.PostAsync("/api/models/digits/predict", new StringContent(bodies[0], Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    var latencies = new ConcurrentBag<double>();
    var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency; // one second of warm-up, not counted
    long end = warmUntil + (long)(seconds * Stopwatch.Frequency);
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
    {
        int i = client;
        while (Stopwatch.GetTimestamp() < end)
        {
            long start = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await http.PostAsync("/api/models/digits/predict", new StringContent(bodies[i++ % bodies.Length], Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (start >= warmUntil)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
    }));
    JsonElement stats = await http.GetFromJsonAsync<JsonElement>("/api/models/digits");
    double[] sorted = [.. latencies.Order()];
    return (sorted.Length / seconds, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], stats.GetProperty("meanBatchSize").GetDouble());
}

async Task SseAsync(string folder, string repo, int count)
{
    var options = new ServerOptions { Urls = "http://127.0.0.1:0", StorePath = Path.Combine(folder, "conduit.db"), DataRoot = repo };
    options.Host.Plugins.Roots.Add(Path.Combine(repo, "artifacts", "plugins"));
    options.Host.MinimumLogLevel = Microsoft.Extensions.Logging.LogLevel.Error;
    await using WebApplication app = ConduitServer.Build(options);
    await app.StartAsync();
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = count + 8 }) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
    string job = """
        { "name": "sse-bench", "data": { "source": "csv", "path": "samples/data/digits.csv", "label": "label", "batch_size": 16, "normalize": "standardize", "split": { "validation": 0.1, "test": 0.2 } },
          "model": { "type": "mlp", "hidden": [64] }, "optimizer": { "type": "adam" }, "trainer": { "max_epochs": 15, "log_every_n_steps": 1 } }
        """;
    HttpResponseMessage submitted = await http.PostAsync("/api/jobs", new StringContent(job, Encoding.UTF8, "application/json"));
    string id = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    var clock = Stopwatch.StartNew();
    int[] received = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
    {
        using HttpResponseMessage response = await http.GetAsync($"/api/jobs/{id}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        int events = 0;
        string? type = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
                events++;
            }
            else if (line.Length == 0 && type == "end")
            {
                break;
            }
        }
        return events;
    }));
    clock.Stop();
    // A late client, after the end, replays the whole log: the count every client must have seen.
    using HttpResponseMessage replay = await http.GetAsync($"/api/jobs/{id}/events");
    int total = (await replay.Content.ReadAsStringAsync()).Split('\n').Count(l => l.StartsWith("event: ", StringComparison.Ordinal));
    Console.WriteLine($"SSE: {count} clients on one running job (15 epochs, a metric row every step): {total:N0} events in the job's stream; "
        + $"every client received all of them: {(received.All(r => r == total) ? "yes" : $"no (min {received.Min()}, max {received.Max()})")}; {clock.Elapsed.TotalSeconds:F1} s to the end; "
        + $"{(double)received.Sum() / clock.Elapsed.TotalSeconds:N0} events/s delivered in all.");
}

static double RawRate(string model, float[][] rows, int batch)
{
    using var session = new RawSession(model, threads: 0);
    float[] flat = new float[batch * 64];
    long done = 0;
    var clock = Stopwatch.StartNew();
    for (int i = 0; clock.Elapsed.TotalSeconds < 2; i++)
    {
        for (int r = 0; r < batch; r++)
        {
            rows[(i * batch + r) % rows.Length].CopyTo(flat, r * 64);
        }
        session.Run(flat, batch);
        done += batch;
    }
    return done / clock.Elapsed.TotalSeconds;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

