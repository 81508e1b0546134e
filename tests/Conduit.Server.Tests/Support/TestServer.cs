using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Conduit.Host.Server;
using Microsoft.AspNetCore.Builder;

namespace Conduit.Server.Tests.Support;

/// <summary>A real <c>conduit serve</c> on Kestrel, on a free loopback port, over a store in a temporary folder.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestServer(WebApplication app, ServerOptions options)
    {
        _app = app;
        Options = options;
        Address = new Uri(app.Urls.First());
        // Listening where ServerOptions.Urls says (loopback, a free port), not on a default of its own.
        Assert.True(Address.Host == "127.0.0.1" && Address.Port != 5000, $"the server listens on {Address}, not where --urls said");
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
        if (options.ApiKey is { } key)
        {
            Client.DefaultRequestHeaders.Add(ServerOptions.ApiKeyHeader, key);
        }
    }

    public ServerOptions Options { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<TestServer> StartAsync(string folder, Action<ServerOptions>? configure = null)
    {
        var options = new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            StorePath = Path.Combine(folder, "conduit.db"),
            DataRoot = RepoPaths.Root,
        };
        options.Host.Plugins.Roots.Add(RepoPaths.Plugins);
        configure?.Invoke(options);
        WebApplication app = ConduitServer.Build(options);
        await app.StartAsync();
        return new TestServer(app, options);
    }

    /// <summary>Stops as Ctrl+C or SIGTERM would: running jobs checkpoint and are marked interrupted.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>Submits a job document; returns the response.</summary>
    public Task<HttpResponseMessage> SubmitAsync(string json) =>
        Client.PostAsync("/api/jobs", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Submits a job that must be accepted; returns its id.</summary>
    public async Task<string> SubmitAcceptedAsync(string json)
    {
        using HttpResponseMessage response = await SubmitAsync(json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> JobAsync(string id) => await Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{id}");

    /// <summary>Reads the job's SSE stream until it ends (or <paramref name="until"/> says stop).</summary>
    public async Task<List<SseEvent>> EventsAsync(string id, long after = 0, Func<SseEvent, bool>? until = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{id}/events");
        if (after > 0)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using HttpResponseMessage response = await (client ?? Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        return await SseEvent.ReadAsync(stream, until);
    }

    /// <summary>Polls the job until its status is one of <paramref name="statuses"/>.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string id, params string[] statuses)
    {
        for (int attempt = 0; attempt < 1200; attempt++)
        {
            JsonElement job = await JobAsync(id);
            if (statuses.Contains(job.GetProperty("status").GetString()))
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {id} never reached {string.Join("/", statuses)}");
    }

    /// <summary>Polls the job until attempt <paramref name="attempt"/> of it is running (its worker has started).</summary>
    public async Task<JsonElement> WaitForAttemptAsync(string id, int attempt)
    {
        for (int i = 0; i < 600; i++)
        {
            JsonElement job = await JobAsync(id);
            if (job.GetProperty("attempts").GetInt32() == attempt && job.GetProperty("status").GetString() == "running")
            {
                return job;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"job {id} never started attempt {attempt}");
    }

    /// <summary>The process id of the worker a job names (<c>host:pid</c>).</summary>
    public static int WorkerPid(JsonElement job) =>
        int.Parse(job.GetProperty("worker").GetString()!.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A job's final metrics.</summary>
    public static Dictionary<string, double> Metrics(JsonElement job) =>
        job.GetProperty("metrics").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());

    /// <summary>A job's recorded train_loss (step and value) as JSON, after checking that each step is recorded once.</summary>
    public async Task<string> TrainLossAsync(JsonElement job)
    {
        JsonElement loss = JsonDocument.Parse(await Client.GetStringAsync($"/api/runs/{job.GetProperty("runId").GetString()}/metrics")).RootElement
            .GetProperty("metrics").GetProperty("train_loss");
        long[] steps = [.. loss.EnumerateArray().Select(p => p.GetProperty("step").GetInt64())];
        Assert.Equal(steps.Distinct().Order(), steps);
        return loss.ToString();
    }
}
