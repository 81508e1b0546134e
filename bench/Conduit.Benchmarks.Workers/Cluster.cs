using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Conduit.Benchmarks.Workers;

/// <summary>A server with its workers: local worker processes (<c>--workers N</c>) or NATS workers (a nats-server and N <c>conduit worker --nats</c>).</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly List<Process> _processes;
    private readonly HttpClient _client;

    private Cluster(List<Process> processes, HttpClient client)
    {
        _processes = processes;
        _client = client;
    }

    public static async Task<Cluster> StartAsync(string mode, int workers, string folder)
    {
        Directory.CreateDirectory(folder);
        var processes = new List<Process>();
        int port = Host.FreePort();
        string[] serve = ["serve", "--urls", $"http://127.0.0.1:{port}", "--store", Path.Combine(folder, "conduit.db"), "--data-root", Benchmarks.RepositoryRoot.Path];
        if (mode == "nats")
        {
            int natsPort = Host.FreePort();
            processes.Add(Host.Start("nats-server", "-js", "-a", "127.0.0.1", "-p", natsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", Path.Combine(folder, "nats")));
            await Task.Delay(500);
            string url = $"nats://127.0.0.1:{natsPort}";
            processes.Add(Host.Conduit([.. serve, "--nats", url]));
            processes.AddRange(Enumerable.Range(0, workers).Select(_ => Host.Conduit("worker", "--nats", url)));
        }
        else
        {
            processes.Add(Host.Conduit([.. serve, "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        }
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (int i = 0; i < 600 && !await ReadyAsync(client); i++)
        {
            await Task.Delay(100);
        }
        return new Cluster(processes, client);
    }

    /// <summary>Submits <paramref name="jobs"/> jobs at once and waits for them all; the seconds from the first submission to the last end.</summary>
    public async Task<double> RunJobsAsync(int jobs, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        for (int i = 0; i < jobs; i++)
        {
            using HttpResponseMessage response = await _client.PostAsync("/api/jobs", new StringContent(Job($"bench-{i}", epochs), Encoding.UTF8, "application/json"));
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/jobs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }
        foreach (string id in ids)
        {
            while (true)
            {
                string status = (await _client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}")).GetProperty("status").GetString()!;
                if (status is "completed" or "failed" or "canceled")
                {
                    if (status != "completed")
                    {
                        throw new InvalidOperationException($"job {id} ended {status}");
                    }
                    break;
                }
                await Task.Delay(50);
            }
        }
        return clock.Elapsed.TotalSeconds;
    }

    public static string Job(string name, int epochs) => $$"""
        {
          "name": "{{name}}",
          "data": { "source": "csv", "path": "samples/data/digits.csv", "label": "label", "batch_size": 32, "normalize": "standardize",
                    "split": { "validation": 0.1, "test": 0.2, "seed": 7 } },
          "model": { "type": "mlp", "hidden": [64] },
          "optimizer": { "type": "adam", "lr": 0.01 },
          "trainer": { "max_epochs": {{epochs}}, "seed": 7, "num_threads": 1 }
        }
        """;

    public ValueTask DisposeAsync()
    {
        // Workers first, then the server, then NATS.
        foreach (Process process in Enumerable.Reverse(_processes))
        {
            Host.Stop(process);
        }
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<bool> ReadyAsync(HttpClient client)
    {
        try
        {
            return (await client.GetAsync("/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
