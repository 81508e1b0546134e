using System.Net;
using System.Text;
using System.Text.Json;
using Conduit.Host.Tests.Fuzz;
using Conduit.Server.Tests.Support;
using CsCheck;

namespace Conduit.Server.Tests;

/// <summary>
/// Hostile request bodies against a real server with a served model: every one gets a client error (or is accepted),
/// never a server error, and the server stays healthy.
/// </summary>
[Collection(ServerCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class RequestFuzzTests(ModelServingTests.ExportedDigits exported) : IClassFixture<ModelServingTests.ExportedDigits>, IDisposable
{
    private static readonly string[] Keys = ["name", "data", "model", "optimizer", "trainer", "loggers", "export", "instances", "inputs", "path", "source", "label", "max_epochs", "hidden", "", "\u0000"];
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Hostile_bodies_get_a_client_error_never_a_server_error()
    {
        await using TestServer server = await TestServer.StartAsync(_temp.Path, o => o.Models["digits"] = exported.Model);
        Gen<string> bodies = Gen.OneOf(Gen.String, Gen.Byte.Array[0, 256].Select(b => Encoding.UTF8.GetString(b)), JsonLike(depth: 2));
        await bodies.SampleAsync(async body =>
        {
            foreach (string path in (string[])["/api/jobs", "/api/models/digits/predict"])
            {
                using HttpResponseMessage response = await server.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.True((int)response.StatusCode < 500, $"POST {path} answered {(int)response.StatusCode} to {body}: {await response.Content.ReadAsStringAsync()}");
                if (response.StatusCode == HttpStatusCode.Accepted && path == "/api/jobs")
                {
                    // A body that happens to be a valid job: it must not train for the rest of the test.
                    string id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
                    (await server.Client.DeleteAsync($"/api/jobs/{id}")).Dispose();
                }
            }
        }, iter: FuzzBudget.Iterations / 3, time: FuzzBudget.Time, threads: 1);

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health")).StatusCode);
    }

    // Objects of the keys the endpoints read, with values of every JSON kind, nested.
    private static Gen<string> JsonLike(int depth)
    {
        Gen<string> scalar = Gen.OneOf(Gen.Const("null"), Gen.Const("true"), Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), Gen.String.Select(s => JsonSerializer.Serialize(s)),
            Gen.Const("[]"), Gen.Const("[[1, 2], [3]]"), Gen.Const("[[" + string.Join(", ", Enumerable.Repeat("0", 64)) + "]]"), Gen.Const("1e400"));
        Gen<string> value = depth == 0 ? scalar : Gen.OneOf(scalar, JsonLike(depth - 1));
        return Gen.Select(Gen.Int[0, Keys.Length - 1].Select(i => Keys[i]), value, (key, v) => $"{JsonSerializer.Serialize(key)}: {v}")
            .Array[0, 6].Select(members => "{" + string.Join(", ", members) + "}");
    }
}
