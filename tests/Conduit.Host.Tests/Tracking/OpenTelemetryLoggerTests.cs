using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;
using Conduit.Host.Tests.Training;

namespace Conduit.Host.Tests.Tracking;

[Collection(TorchCollection.Name)]
public sealed class OpenTelemetryLoggerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_opentelemetry_logger_exports_the_run_span_and_training_metrics()
    {
        string job = TrainingHarness.WriteDigitsJob(_temp.Path);
        TextWriter original = Console.Out;
        using var exported = new StringWriter();
        CliRunner.Result result;
        Console.SetOut(exported); // the console exporter writes to the process's standard output
        try
        {
            result = await CliRunner.RunAsync("run", job, "--plugins", RepoPaths.Plugins, "--json", "--set", "loggers.0=opentelemetry");
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.True(result.ExitCode == 0, result.Error);
        string text = exported.ToString();
        Assert.Contains("conduit.run", text, StringComparison.Ordinal);
        Assert.Contains("run.status: completed", text, StringComparison.Ordinal);
        Assert.Contains("conduit.training.batches", text, StringComparison.Ordinal);
    }
}
