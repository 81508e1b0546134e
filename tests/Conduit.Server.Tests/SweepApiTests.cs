using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Conduit.Server.Tests.Support;
using Conduit.Tracking.Store;

namespace Conduit.Server.Tests;

/// <summary><c>/api/sweeps</c> on a real server: trials as jobs in worker processes, ASHA pruning, the best trial, cancel.</summary>
[Collection(ServerCollection.Name)]
public sealed class SweepApiTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_sweep_runs_each_trial_as_a_job_prunes_the_one_that_trails_and_names_the_best()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        string id = await StartAsync(server, Sweeps.TrailingGrid(epochs: 4));

        JsonElement sweep = await WaitForEndAsync(server, id);

        Assert.Equal("completed", sweep.GetProperty("status").GetString());
        JsonElement[] trials = [.. sweep.GetProperty("trials").EnumerateArray()];
        Assert.Equal(3, trials.Length);
        Assert.Equal(3, trials.Select(t => t.GetProperty("parameters").ToString()).Distinct().Count());
        JsonElement Trial(int n) => trials.Single(t => t.GetProperty("trial").GetInt32() == n);
        // lr 1e-5 is far behind lr 0.01 at the first rung: pruned there, with why.
        Assert.Equal(("pruned", 1, 1), (Trial(1).GetProperty("status").GetString(), Trial(1).GetProperty("rung").GetInt32(), Trial(1).GetProperty("epochs").GetInt32()));
        Assert.Contains("the cutoff for the best 1/2 of 1 trial(s) at this rung (ASHA)", Trial(1).GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(("completed", 4), (Trial(0).GetProperty("status").GetString(), Trial(0).GetProperty("epochs").GetInt32()));
        // Sorted by val_loss, the pruned trial last; the best is a completed one with its test metrics and checkpoints.
        Assert.Equal(1, trials[^1].GetProperty("trial").GetInt32());
        JsonElement best = sweep.GetProperty("best");
        Assert.Equal(trials[0].GetProperty("trial").GetInt32(), best.GetProperty("trial").GetInt32());
        Assert.True(best.GetProperty("metrics").GetProperty("test_acc").GetDouble() > 0.8, best.ToString());
        Assert.NotEmpty(Directory.GetFiles(best.GetProperty("checkpoints").GetString()!, "*.ckpt"));

        // Each trial is its own run in the store, tagged with the sweep; the curves hold every reported epoch.
        using (RunStore runs = RunStore.OpenExisting(server.Options.StorePath))
        {
            foreach (JsonElement trial in trials)
            {
                IReadOnlyDictionary<string, string> tags = runs.Tags(trial.GetProperty("runId").GetString()!);
                Assert.Equal((id, trial.GetProperty("trial").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)), (tags["sweep"], tags["sweep.trial"]));
            }
        }
        JsonElement curves = await server.Client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}/curves");
        Assert.Equal([4, 1], curves.EnumerateArray().Where(c => c.GetProperty("trial").GetInt32() < 2).Select(c => c.GetProperty("points").GetArrayLength()));
        Assert.Contains(JsonDocument.Parse(await server.Client.GetStringAsync("/api/sweeps")).RootElement.EnumerateArray(),
            s => s.GetProperty("id").GetString() == id && s.GetProperty("trials").GetInt32() == 3);
    }

    [Fact]
    public async Task A_bad_sweep_is_refused_before_any_trial_and_a_canceled_one_stops_its_trials()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        using HttpResponseMessage bad = await PostAsync(server, Sweeps.Inline("""
            "method": "grid", "metric": { "name": "val_loss" }, "parameters": { "trainer.max_epoch": [1, 2] }
            """, epochs: 2));
        string problem = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("trainer.max_epoch: unknown key; did you mean 'max_epochs'?", problem, StringComparison.Ordinal);
        Assert.Empty(JsonDocument.Parse(await server.Client.GetStringAsync("/api/jobs")).RootElement.EnumerateArray());

        string id = await StartAsync(server, Sweeps.Inline("""
            "method": "grid", "metric": { "name": "val_loss" }, "max_concurrent": 1, "parameters": { "optimizer.lr": [0.01, 0.001] }
            """, epochs: 500));
        await WaitAsync(server, id, s => s.GetProperty("trials").EnumerateArray().Any(t => t.GetProperty("epochs").GetInt32() >= 1));
        Assert.Equal(HttpStatusCode.Accepted, (await server.Client.DeleteAsync($"/api/sweeps/{id}")).StatusCode);

        JsonElement canceled = await WaitForEndAsync(server, id);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        JsonElement trial = Assert.Single(canceled.GetProperty("trials").EnumerateArray()); // the second never started
        Assert.Equal("canceled", trial.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await server.Client.DeleteAsync($"/api/sweeps/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/sweeps/nope")).StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(TestServer server, string json) =>
        server.Client.PostAsync("/api/sweeps", new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<string> StartAsync(TestServer server, string json)
    {
        using HttpResponseMessage response = await PostAsync(server, json);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private static Task<JsonElement> WaitForEndAsync(TestServer server, string id) =>
        WaitAsync(server, id, s => s.GetProperty("status").GetString() != "running");

    private static async Task<JsonElement> WaitAsync(TestServer server, string id, Func<JsonElement, bool> done)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            JsonElement sweep = await server.Client.GetFromJsonAsync<JsonElement>($"/api/sweeps/{id}");
            if (done(sweep))
            {
                return sweep;
            }
            Assert.True(DateTime.UtcNow < deadline, $"sweep {id} did not get there in time: {sweep}");
            await Task.Delay(250);
        }
    }
}
