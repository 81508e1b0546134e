using System.Net;
using System.Text;
using System.Text.Json;
using Conduit.Server.Tests.Support;

namespace Conduit.Server.Tests;

/// <summary>What the server refuses, and how: API key, body limits, malformed and invalid jobs, paths leaving their folders.</summary>
[Collection(ServerCollection.Name)]
public sealed class RequestSafetyTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task With_an_api_key_every_request_but_health_needs_it()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.ApiKey = "correct horse battery staple");
        using var anonymous = new HttpClient { BaseAddress = server.Address };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        // The dashboard's files hold no data and a browser cannot send the header when it opens the page.
        using HttpResponseMessage page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/dashboard.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/index.html", null)).StatusCode);

        using HttpResponseMessage missing = await anonymous.GetAsync("/api/jobs");
        await AssertProblem(missing, HttpStatusCode.Unauthorized, "X-Api-Key");
        anonymous.DefaultRequestHeaders.Add("X-Api-Key", "correct horse battery stapler");
        using HttpResponseMessage wrong = await anonymous.GetAsync("/api/jobs");
        await AssertProblem(wrong, HttpStatusCode.Unauthorized, "does not hold");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/jobs/x/events")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/ready")).StatusCode);
    }

    [Fact]
    public async Task Oversized_and_malformed_bodies_are_refused_with_problem_details()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.MaxRequestBodyBytes = 4096);
        string big = Jobs.Digits().Replace("\"digits-srv\"", $"\"{new string('x', 8000)}\"", StringComparison.Ordinal);
        await AssertProblem(await server.SubmitAsync(big), HttpStatusCode.RequestEntityTooLarge, "limit of 4096 bytes");

        // Sent without a length, so that the limit is found while reading.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblem(await server.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "limit of 4096 bytes");

        await AssertProblem(await server.SubmitAsync("{\"data\": "), HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblem(await server.SubmitAsync("[1, 2]"), HttpStatusCode.BadRequest, "expected an object");
        // Found by RequestFuzzTests: a key given twice was a 500.
        await AssertProblem(await server.SubmitAsync("{\"trainer\": {\"max_epochs\": 1, \"max_epochs\": 2}}"), HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblem(await server.SubmitAsync("{\"loggers\": [[1, 2], [3]]}"), HttpStatusCode.BadRequest, "loggers: [1,2] is not a logger name");
        await AssertProblem(await server.SubmitAsync(Jobs.Digits().Replace("\"mlp\"", "\"transformer\"", StringComparison.Ordinal)), HttpStatusCode.BadRequest,
            "model.type: 'transformer' is not allowed; expected one of mlp, cnn, linear");
        await AssertProblem(await server.SubmitAsync(Jobs.Digits().Replace("\"max_epochs\"", "\"max_epoch\"", StringComparison.Ordinal)), HttpStatusCode.BadRequest, "trainer.max_epoch");
        Assert.Empty(JsonDocument.Parse(await server.Client.GetStringAsync("/api/jobs")).RootElement.EnumerateArray());
    }

    [Theory]
    [InlineData("\"path\": \"samples/data/digits.csv\"", "\"path\": \"../../../../etc/passwd\"", "data.path: '../../../../etc/passwd' is outside the server's data folder")]
    [InlineData("\"path\": \"samples/data/digits.csv\"", "\"path\": \"/etc/passwd\"", "data.path: '/etc/passwd' is outside the server's data folder")]
    [InlineData("\"num_threads\": 1", "\"num_threads\": 1, \"default_root_dir\": \"/tmp\"", "trainer.default_root_dir: is set by the server")]
    [InlineData("\"num_threads\": 1 }", "\"num_threads\": 1 }, \"export\": { \"format\": \"onnx\", \"path\": \"../../../escape.onnx\" }", "export.path: '../../../escape.onnx' is outside the job's folder")]
    [InlineData("\"num_threads\": 1 }", "\"num_threads\": 1 }, \"loggers\": { \"csv\": { \"save_dir\": \"/var/tmp\" } }", "loggers.csv.save_dir: '/var/tmp' is an absolute path")]
    [InlineData("\"digits-srv\"", "\"../../../../tmp/x\"", "name: '../../../../tmp/x' contains a path separator")]
    [InlineData("\"digits-srv\"", "\"..\"", "name: '..' is not a name")]
    [InlineData("\"digits-srv\"", "\"a\\\\b\"", "name: 'a\\b' contains a path separator")]
    [InlineData("\"digits-srv\"", "\"x\\u0000y\"", "name: 'x\\u0000y' contains a control character (U+0000)")]
    [InlineData("\"digits-srv\"", "\"x\\ny\"", "name: 'x\\u000ay' contains a control character (U+000A)")]
    [InlineData("\"num_threads\": 1 }", "\"num_threads\": 1 }, \"loggers\": { \"csv\": { \"name\": \"../../../../tmp/y\" } }", "loggers.csv.name: '../../../../tmp/y' contains a path separator")]
    [InlineData("\"num_threads\": 1 }", "\"num_threads\": 1 }, \"loggers\": { \"tensorboard\": { \"name\": \"..\" } }", "loggers.tensorboard.name: '..' is not a name")]
    public async Task Paths_that_leave_their_folder_are_refused(string from, string to, string message)
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        await AssertProblem(await server.SubmitAsync(Jobs.Digits().Replace(from, to, StringComparison.Ordinal)), HttpStatusCode.BadRequest, message);
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "jobs")) && Directory.EnumerateFileSystemEntries(Path.Combine(_temp.Path, "jobs")).Any());
    }

    [Fact]
    public async Task Artifact_downloads_stay_inside_the_store_folder()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        string id = await server.SubmitAcceptedAsync(Jobs.Digits(epochs: 1));
        JsonElement job = await server.WaitForStatusAsync(id, "completed", "failed");
        string runId = job.GetProperty("runId").GetString()!;
        await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(_temp.Path)!, "secret.txt"), "outside");

        using HttpResponseMessage inside = await server.Client.GetAsync($"/api/runs/{runId}/artifacts/jobs/{id}/job.json");
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        foreach (string attempt in (string[])["..%2Fsecret.txt", "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "jobs%2F..%2F..%2Fsecret.txt"])
        {
            using HttpResponseMessage response = await server.Client.GetAsync($"/api/runs/{runId}/artifacts/{attempt}");
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{attempt}: {response.StatusCode}");
            Assert.DoesNotContain("outside", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path);
        JsonElement document = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        JsonElement paths = document.GetProperty("paths");
        foreach (string path in (string[])["/api/jobs", "/api/jobs/{id}/events", "/api/runs", "/api/models/{name}/predict", "/health", "/ready", "/api/plugins"])
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        response.Dispose();
    }
}
