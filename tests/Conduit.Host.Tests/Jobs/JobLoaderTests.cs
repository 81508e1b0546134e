using Conduit.Host.Jobs;
using Conduit.Host.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Conduit.Host.Tests.Jobs;

public sealed class JobLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Write(string name, string content)
    {
        string path = _temp.Combine(name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Minimal = """
        { "name": "t", "data": { "source": "csv", "path": "d.csv" }, "model": { "type": "mlp" }, "trainer": { "max_epochs": 5 } }
        """;

    [Fact]
    public void Reads_json_with_overrides_layered_over_the_file()
    {
        var job = JobLoader.Load(Write("a.job.json", Minimal), ["trainer.max_epochs=3", "trainer.limit_train_batches=0.5", "trainer.val_check_interval=10"]);

        Assert.Equal("t", job.Name);
        Assert.Equal(3, job.Trainer.MaxEpochs);
        Assert.Equal(new BatchLimit(null, 0.5), job.Trainer.LimitTrainBatches);
        Assert.Equal(new BatchLimit(10, null), job.Trainer.ValCheckInterval);
        Assert.Equal("mlp", job.Model["type"]);
        Assert.Equal(_temp.Combine("d.csv"), job.ResolvePath(job.Data["path"]!));
        Assert.Equal("3", job.Flatten()["trainer.max_epochs"]);
    }

    [Fact]
    public void Reads_yaml()
    {
        var job = JobLoader.Load(Write("b.job.yaml", """
            name: y
            data: { source: csv, path: d.csv }
            model:
              type: mlp
              hidden: [64, 32]
            trainer:
              max_epochs: 2
              deterministic: true
            """));

        Assert.Equal(2, job.Trainer.MaxEpochs);
        Assert.True(job.Trainer.Deterministic);
        Assert.Equal("32", job.Model["hidden:1"]);
    }

    [Fact]
    public void Environment_variables_override_the_file_and_set_overrides_the_environment()
    {
        string path = Write("c.job.json", Minimal);
        Environment.SetEnvironmentVariable("CONDUIT_trainer__num_threads", "3");
        try
        {
            Assert.Equal(3, JobLoader.Load(path).Trainer.NumThreads);
            Assert.Equal(1, JobLoader.Load(path, ["trainer.num_threads=1"]).Trainer.NumThreads);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CONDUIT_trainer__num_threads", null);
        }
    }

    // conduit serve reads CONDUIT_API_KEY and CONDUIT_STORE, conduit CONDUIT_PLUGINS: none of them is a job setting,
    // so none may turn into an "unknown key" that refuses every job the process loads.
    [Theory]
    [InlineData("CONDUIT_API_KEY", "secret")]
    [InlineData("CONDUIT_STORE", "runs/other.db")]
    [InlineData("CONDUIT_PLUGINS", "/opt/conduit/plugins")]
    public void Host_variables_that_share_the_prefix_are_not_job_settings(string variable, string value)
    {
        string path = Write($"{variable}.job.json", Minimal);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            JobDefinition job = JobLoader.Load(path);
            Assert.DoesNotContain(job.Configuration.AsEnumerable(), kv => kv.Value == value);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Theory]
    [InlineData("trainer.max_epochs=-5", "trainer.max_epochs: '-5' is not allowed; expected an integer of at least 1, or -1 for no limit")]
    [InlineData("trainer.max_epochs=0", "trainer.max_epochs: '0' is not allowed")]
    [InlineData("trainer.accelerator=tpu", "trainer.accelerator: 'tpu' is not allowed; expected one of auto, cpu, cuda")]
    [InlineData("trainer.limit_train_batches=1.5", "trainer.limit_train_batches: '1.5' is not allowed; expected a whole number of batches")]
    [InlineData("trainer.deterministic=maybe", "trainer.deterministic: 'maybe' is not allowed; expected true or false")]
    [InlineData("trainer.max_epoch=3", "trainer.max_epoch: unknown key; did you mean 'max_epochs'?")]
    [InlineData("trainr.max_epochs=3", "trainr: unknown key; did you mean 'trainer'?")]
    [InlineData("trainer.devices=two", "trainer.devices: 'two' is not allowed")]
    [InlineData("name=../../tmp/x", "name: '../../tmp/x' contains a path separator; expected a name, not a path")]
    [InlineData("name=..", "name: '..' is not a name")]
    [InlineData("trainer.gradient_clip_algorithm=max", "trainer.gradient_clip_algorithm: 'max' is not allowed; expected one of norm, value")]
    public void Bad_values_name_the_key_the_value_and_what_is_allowed(string assignment, string expected)
    {
        var error = Assert.Throws<JobValidationException>(() => JobLoader.Load(Write("d.job.json", Minimal), [assignment]));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(_temp.Combine("d.job.json") + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Assert.Throws<JobValidationException>(() =>
            JobLoader.Load(Write("e.job.json", Minimal), ["trainer.max_epochs=x", "trainer.seed=-1", "trainer.num_threads=no"]));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains("and 2 more", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_malformed_json_and_missing_sections_are_reported()
    {
        Assert.Contains("the job file does not exist", Assert.Throws<JobValidationException>(() => JobLoader.Load(_temp.Combine("nope.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", Assert.Throws<JobValidationException>(() => JobLoader.Load(Write("f.json", "{ \"model\": "))).Message, StringComparison.Ordinal);
        var error = Assert.Throws<JobValidationException>(() => JobLoader.Load(Write("g.json", "{ \"name\": \"x\" }")));
        Assert.Contains("model: is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("data: is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected key=value", Assert.Throws<JobValidationException>(() => JobLoader.Load(Write("h.json", Minimal), ["trainer.seed"])).Message, StringComparison.Ordinal);
    }
}
