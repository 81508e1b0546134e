using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Conduit.Benchmarks;

namespace Conduit.Benchmarks.Reliability;

/// <summary><c>conduit serve --workers N</c> as a real process on a loopback port, over a store in its folder, and its HTTP API.</summary>
internal sealed class ServerProcess : IDisposable
{
    private ServerProcess(ConduitProcess process, HttpClient client, string store)
    {
        Process = process;
        Client = client;
        Store = store;
    }

    public ConduitProcess Process { get; }

    public HttpClient Client { get; }

    public string Store { get; }

    public static async Task<ServerProcess> StartAsync(string folder, int port, int workers)
    {
        Directory.CreateDirectory(folder);
        string store = Path.Combine(folder, "conduit.db");
        var process = ConduitProcess.Start("serve", "--urls", $"http://127.0.0.1:{port}", "--store", store, "--data-root", RepositoryRoot.Path,
            "--workers", workers.ToString(CultureInfo.InvariantCulture));
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(5) };
        var server = new ServerProcess(process, client, store);
        for (int i = 0; i < 1200; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException("conduit serve exited: " + process.Error);
            }
            try
            {
                if ((await client.GetAsync("/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        server.Dispose();
        throw new TimeoutException("conduit serve was not ready in two minutes");
    }

    public async Task<string> SubmitAsync(string job)
    {
        using HttpResponseMessage response = await Client.PostAsync("/api/jobs", new StringContent(job, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/jobs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> JobAsync(string id) => await Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

    public async Task<JsonElement> WaitForEndAsync(string id)
    {
        while (true)
        {
            JsonElement job = await JobAsync(id);
            if (job.GetProperty("status").GetString() is "completed" or "failed" or "canceled" or "interrupted")
            {
                return job;
            }
            await Task.Delay(50);
        }
    }

    /// <summary>The job's event stream, read to its end: the type of each event.</summary>
    public async Task<List<string>> EventTypesAsync(string id)
    {
        var types = new List<string>();
        using var stream = new StreamReader(await Client.GetStreamAsync($"/api/jobs/{id}/events"));
        while (await stream.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                types.Add(line["event: ".Length..]);
            }
        }
        return types;
    }

    /// <summary>The server process's resident memory (VmRSS, KiB) and open file descriptors, from /proc.</summary>
    public (long RssKib, int Handles) Sample()
    {
        string status = File.ReadAllText($"/proc/{Process.Id}/status");
        string rss = status.Split('\n').First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        long kib = long.Parse(rss["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return (kib, Directory.GetFileSystemEntries($"/proc/{Process.Id}/fd").Length);
    }

    public void Dispose()
    {
        Client.Dispose();
        Process.Dispose();
    }
}
