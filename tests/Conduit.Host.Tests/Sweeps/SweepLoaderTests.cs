using System.Text.Json.Nodes;
using Conduit.Host.Jobs;
using Conduit.Host.Sweeps;
using Conduit.Host.Sweeps.Search;
using Conduit.Host.Tests.Support;

namespace Conduit.Host.Tests.Sweeps;

public sealed class SweepLoaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_sample_sweep_loads_with_its_job_inline_and_its_data_path_absolute()
    {
        SweepDefinition sweep = SweepLoader.Load(Path.Combine(RepoPaths.Root, "samples", "digits.sweep.yaml"));

        Assert.Equal(("digits", "tpe", 16, 2), (sweep.Name, sweep.Method, sweep.MaxTrials, sweep.MaxConcurrent));
        Assert.Equal(new SweepMetric("val_loss", Maximize: false), sweep.Metric);
        // In key order, as the configuration reads them.
        Assert.Equal(["model.dropout", "model.hidden", "optimizer.lr"], sweep.Parameters.Select(p => p.Path));
        Assert.Equal(new LogUniformSpace("optimizer.lr", 0.0003, 0.01), sweep.Parameters[2]);
        Assert.Equal(["[128]", "[256]", "[512]", "[512,256]"], ((ChoiceSpace)sweep.Parameters[1]).Values.Select(v => v.ToJsonString()));
        Assert.Equal(new EarlyStopSettings("asha", 5, 3, 40, 3), sweep.EarlyStop);
        Assert.Equal(Path.Combine(RepoPaths.Root, "samples", "data", "digits.csv"), sweep.Job["data"]!["path"]!.GetValue<string>());
        // The stored document is the whole sweep: loaded again, without the files, it is the same sweep.
        SweepDefinition again = SweepLoader.FromDocument(sweep.Document);
        Assert.Equal(sweep.Parameters, again.Parameters, (a, b) => a!.Path == b!.Path && a.GetType() == b.GetType());
        Assert.Equal(sweep.Job.ToJsonString(), again.Job.ToJsonString());
    }

    [Fact]
    public void A_trial_job_is_the_sweep_job_with_its_parameters_its_own_name_and_asha_max_t()
    {
        SweepDefinition sweep = SweepLoader.Load(Path.Combine(RepoPaths.Root, "samples", "digits.sweep.yaml"));
        var parameters = new ParameterSet([
            KeyValuePair.Create("optimizer.lr", (JsonNode)JsonValue.Create(0.002)),
            KeyValuePair.Create("model.hidden", JsonNode.Parse("[512,256]")!),
            KeyValuePair.Create("model.dropout", (JsonNode)JsonValue.Create(0.25))]);

        JsonObject job = sweep.TrialJob(7, parameters);

        Assert.Equal("digits-t007", job["name"]!.GetValue<string>());
        Assert.Equal(0.002, job["optimizer"]!["lr"]!.GetValue<double>());
        Assert.Equal("adamw", job["optimizer"]!["type"]!.GetValue<string>()); // the rest of the section stays
        Assert.Equal("[512,256]", job["model"]!["hidden"]!.ToJsonString());
        Assert.Equal(40, job["trainer"]!["max_epochs"]!.GetValue<int>());
        Assert.Equal("""["csv","tensorboard","sqlite"]""", job["loggers"]!.ToJsonString());
        Assert.Equal("relu", sweep.Job["model"]!["activation"]!.GetValue<string>());
        Assert.Equal(0.001, sweep.Job["optimizer"]!["lr"]!.GetValue<double>()); // the sweep's job is not changed
    }

    [Fact]
    public void Every_problem_is_refused_at_once_each_naming_its_key()
    {
        string file = Write("bad.sweep.yaml", """
            job: job.json
            method: bayes
            metric: { name: val_accuracy, goal: up }
            parameters:
              optimizer.lr: { distribution: log_uniform, min: 0, max: 0.1 }
              lr: { values: [0.1] }
              model.hidden: { distribution: normal, min: 1, max: 2 }
              model.dropout: { distribution: uniform, min: 0.5, max: 0.1 }
              model.activation: { values: [relu, relu] }
            max_trails: 5
            early_stop: { type: hyperband }
            """);
        WriteJob("job.json");

        var e = Assert.Throws<JobValidationException>(() => SweepLoader.Load(file));

        string all = string.Join("\n", e.Problems);
        Assert.Contains("method: 'bayes' is not allowed; expected one of grid, random, tpe", all, StringComparison.Ordinal);
        Assert.Contains("metric.goal: 'up' is not allowed", all, StringComparison.Ordinal);
        Assert.Contains("parameters.optimizer.lr.min: 0 is not above 0", all, StringComparison.Ordinal);
        Assert.Contains("parameters.lr: is not a job setting path", all, StringComparison.Ordinal);
        Assert.Contains("parameters.model.hidden.distribution: 'normal' is not allowed; expected one of uniform, log_uniform", all, StringComparison.Ordinal);
        Assert.DoesNotContain("parameters.lr: unknown key", all, StringComparison.Ordinal);
        Assert.Contains("parameters.model.dropout.max: 0.1 is not above min 0.5", all, StringComparison.Ordinal);
        Assert.Contains("parameters.model.activation.values: \"relu\" is listed twice", all, StringComparison.Ordinal);
        Assert.Contains("max_trails: unknown key; did you mean 'max_trials'?", all, StringComparison.Ordinal);
        Assert.Contains("early_stop.type: 'hyperband' is not allowed; expected one of asha, median", all, StringComparison.Ordinal);
        Assert.Contains("metric.name: 'val_accuracy' is not a metric trials log", all, StringComparison.Ordinal);
        Assert.StartsWith(file[..^".yaml".Length], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grid_needs_values_and_random_needs_max_trials()
    {
        WriteJob("job.json");
        var grid = Assert.Throws<JobValidationException>(() => SweepLoader.Load(Write("grid.yaml", """
            job: job.json
            method: grid
            metric: { name: val_loss }
            parameters: { optimizer.lr: { distribution: uniform, min: 0.001, max: 0.1 } }
            """)));
        Assert.Contains("parameters.optimizer.lr.distribution: uniform can only be sampled; a grid needs values", grid.Problems[0], StringComparison.Ordinal);

        var random = Assert.Throws<JobValidationException>(() => SweepLoader.Load(Write("random.yaml", """
            job: job.json
            method: random
            metric: { name: val_loss }
            parameters: { optimizer.lr: [0.1, 0.01] }
            """)));
        Assert.Equal(["max_trials: is missing; expected how many trials to run, such as 16"], random.Problems);

        // A grid's trials default to its size: 2 x 3.
        SweepDefinition full = SweepLoader.Load(Write("full.yaml", """
            job: job.json
            method: grid
            metric: { name: val_loss }
            parameters: { optimizer.lr: [0.1, 0.01], model.hidden: { values: [[8], [16], [8, 8]] } }
            """));
        Assert.Equal(6, full.MaxTrials);
    }

    [Fact]
    public void A_job_with_a_sweep_section_is_a_sweep_of_itself_and_a_missing_job_file_is_named()
    {
        string file = Write("tuned.job.json", """
            { "name": "tuned", "data": { "source": "csv", "path": "data.csv", "label": "y" }, "model": { "type": "mlp" },
              "sweep": { "method": "random", "max_trials": 3, "metric": { "name": "val_acc", "goal": "maximize" },
                         "parameters": { "model.hidden": { "values": [[4], [8]] } } } }
            """);
        SweepDefinition sweep = SweepLoader.Load(file);
        Assert.Equal(("tuned", "random", 3), (sweep.Name, sweep.Method, sweep.MaxTrials));
        Assert.Null(sweep.Job["sweep"]);
        Assert.Equal(_temp.Combine("data.csv"), sweep.Job["data"]!["path"]!.GetValue<string>());

        var missing = Assert.Throws<JobValidationException>(() => SweepLoader.Load(Write("lost.yaml", "job: nowhere.json\nmethod: grid\n")));
        Assert.Contains("job: 'nowhere.json' does not exist", missing.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        File.WriteAllText(_temp.Combine(name), text);
        return _temp.Combine(name);
    }

    private void WriteJob(string name) => Write(name, """
        { "data": { "source": "csv", "path": "data.csv", "label": "y" }, "model": { "type": "mlp", "hidden": [8] }, "trainer": { "max_epochs": 4 } }
        """);
}
