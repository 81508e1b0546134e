using System.Text.Json;
using Conduit.Host.Tests.Cli;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Training;

/// <summary>The sample jobs a new user runs first reach the accuracy the README promises.</summary>
[Collection(TorchCollection.Name)]
public sealed class SampleJobTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("digits.job.json", 0.975)]      // scikit-learn's MLP on the same stratified 80/20 split: 97.5%
    [InlineData("digits-cnn.job.json", 0.985)]
    public async Task Digits_sample_reaches_its_test_accuracy(string job, double accuracy)
    {
        var result = await CliRunner.RunAsync(
            "run", Path.Combine(RepoPaths.Root, "samples", job), "--plugins", RepoPaths.Plugins, "--json",
            "--set", $"trainer.default_root_dir={_temp.Path}");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        double testAccuracy = json.RootElement.GetProperty("metrics").GetProperty("test_acc").GetDouble();
        Assert.True(testAccuracy >= accuracy, $"test accuracy {testAccuracy:P2} is below {accuracy:P1}");
    }
}
