using System.Text.RegularExpressions;
using Conduit.Frameworks;
using Conduit.Loggers.Console;
using Conduit.Messages;
using Conduit.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Plugins.Tests;

public sealed class ConsoleFeedbackTests
{
    internal const string RunId = "run-42";

    internal static readonly ModelSummary Summary = new(
        [
            new LayerSummary("embed", "Embedding", "[-1, 16, 8]", 5_000, Trainable: false),
            new LayerSummary("fc1", "Linear", "[-1, 128]", 100_480, Trainable: true),
            new LayerSummary("relu", "ReLU", "[-1, 128]", 0, Trainable: true),
            new LayerSummary("fc2", "Linear", "[-1, 10]", 1_290, Trainable: true),
        ],
        TotalParameters: 106_770,
        TrainableParameters: 101_770,
        SizeBytes: 106_770 * 4);

    [Fact]
    public void Summary_is_a_keras_table_with_total_trainable_and_non_trainable_counts()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(Started() with { Model = Summary });
            feedback.Handle(Ended(RunStatus.Completed));
        });
        string[] lines = Lines(output);

        string header = Assert.Single(lines, l => l.Contains("Layer (type)", StringComparison.Ordinal));
        Assert.True(header.IndexOf("Layer (type)", StringComparison.Ordinal) < header.IndexOf("Output Shape", StringComparison.Ordinal));
        Assert.True(header.IndexOf("Output Shape", StringComparison.Ordinal) < header.IndexOf("Param #", StringComparison.Ordinal));
        string fc1 = Assert.Single(lines, l => l.Contains("fc1 (Linear)", StringComparison.Ordinal));
        Assert.Contains("[-1, 128]", fc1);
        Assert.Contains("100,480", fc1);
        Assert.Contains(lines, l => l.Contains("fc2 (Linear)", StringComparison.Ordinal) && l.Contains("1,290", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("embed (Embedding)", StringComparison.Ordinal) && l.Contains("5,000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Trim() == "Total params: 106,770 (0.41 MB)");
        Assert.Contains(lines, l => l.Trim() == "Trainable params: 101,770 (0.39 MB)");
        Assert.Contains(lines, l => l.Trim() == "Non-trainable params: 5,000 (0.02 MB)");
    }

    [Fact]
    public void Each_epoch_is_one_line_with_its_metrics_and_duration()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(Started());
            for (int epoch = 0; epoch < 3; epoch++)
            {
                feedback.Handle(new EpochStarted { RunId = RunId, Epoch = epoch, MaxEpochs = 3, BatchesInEpoch = 10 });
                for (int b = 0; b < 10; b++)
                {
                    feedback.Handle(new BatchEnded { RunId = RunId, Epoch = epoch, BatchIndex = b, GlobalStep = epoch * 10 + b + 1, Loss = 0.5, BatchSize = 32, BatchesInEpoch = 10 });
                }
                feedback.Handle(new EpochEnded { RunId = RunId, Epoch = epoch, GlobalStep = (epoch + 1) * 10, Metrics = new Dictionary<string, double>
                {
                    ["train_loss"] = 0.1234 + epoch,
                    ["val_acc"] = 0.9712,
                }, Duration = TimeSpan.FromSeconds(1.23) });
            }
            feedback.Handle(Ended(RunStatus.Completed));
        });
        string[] lines = Lines(output);

        for (int epoch = 1; epoch <= 3; epoch++)
        {
            string line = Assert.Single(lines, l => l.StartsWith($"epoch {epoch}/3  train_loss", StringComparison.Ordinal));
            Assert.Equal($"epoch {epoch}/3  train_loss {epoch - 1}.1234  val_acc 0.9712  (1.2 s)", line.TrimEnd());
        }
    }

    [Fact]
    public void Run_end_prints_a_final_metrics_table_and_the_status()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(Started());
            feedback.Handle(Ended(RunStatus.Completed, new Dictionary<string, double> { ["test_acc"] = 0.98765, ["test_loss"] = 0.0421 }));
        });
        string[] lines = Lines(output);

        string header = Assert.Single(lines, l => l.Contains("Metric", StringComparison.Ordinal) && l.Contains("Value", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("test_acc", StringComparison.Ordinal) && l.Contains("0.9877", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("test_loss", StringComparison.Ordinal) && l.Contains("0.0421", StringComparison.Ordinal));
        string status = Assert.Single(lines, l => l.Contains("completed", StringComparison.Ordinal));
        Assert.Equal("mnist-mlp completed in 12.5 s", status.Trim());
        Assert.True(Array.IndexOf(lines, header) < Array.IndexOf(lines, status));
    }

    [Fact]
    public void Failed_run_shows_the_status_and_the_error()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(Started());
            feedback.Handle(Ended(RunStatus.Failed, error: "CUDA out of memory [device 0]"));
        });

        Assert.Contains("mnist-mlp failed after 12.5 s: CUDA out of memory [device 0]", output);
    }

    [Fact]
    public void Output_is_in_publish_order()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(Started() with { Model = Summary });
            feedback.Handle(new EpochStarted { RunId = RunId, Epoch = 0, MaxEpochs = 2, BatchesInEpoch = 4 });
            feedback.Handle(new EpochEnded { RunId = RunId, Epoch = 0, GlobalStep = 4, Metrics = new Dictionary<string, double> { ["train_loss"] = 1 }, Duration = TimeSpan.FromSeconds(2) });
            feedback.Handle(new CheckpointSaved { RunId = RunId, Path = "/runs/mnist/epoch=0.ckpt", Epoch = 0, GlobalStep = 4, Monitor = new KeyValuePair<string, double>("val_loss", 0.25) });
            feedback.Handle(new EpochStarted { RunId = RunId, Epoch = 1, MaxEpochs = 2, BatchesInEpoch = 4 });
            feedback.Handle(new EpochEnded { RunId = RunId, Epoch = 1, GlobalStep = 8, Metrics = new Dictionary<string, double> { ["train_loss"] = 0.5 }, Duration = TimeSpan.FromSeconds(2) });
            feedback.Handle(new CheckpointSaved { RunId = RunId, Path = "/runs/mnist/last.ckpt", Epoch = 1, GlobalStep = 8 });
            feedback.Handle(Ended(RunStatus.Completed, new Dictionary<string, double> { ["train_loss"] = 0.5 }));
        });

        string[] markers =
        [
            "mnist-mlp · fit · run run-42",
            "Layer (type)",
            "Total params: 106,770",
            "epoch 1/2  train_loss 1.0000",
            "checkpoint /runs/mnist/epoch=0.ckpt (epoch 1, step 4, val_loss 0.2500)",
            "epoch 2/2  train_loss 0.5000",
            "Metric",
            "mnist-mlp completed",
            "checkpoint /runs/mnist/last.ckpt (--resume last continues from it)",
        ];
        int[] positions = markers.Select(m => output.IndexOf(m, StringComparison.Ordinal)).ToArray();
        Assert.All(positions.Zip(markers), p => Assert.True(p.First >= 0, $"missing: {p.Second}\n{output}"));
        Assert.Equal(positions.Order().ToArray(), positions);
        // last.ckpt after every epoch is not news: said once, at the end.
        Assert.Single(output.Split('\n'), line => line.Contains("last.ckpt", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_mode_prints_at_most_a_line_per_tenth_of_an_epoch_never_one_per_step()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(Started());
            feedback.Handle(new EpochStarted { RunId = RunId, Epoch = 0, MaxEpochs = 1, BatchesInEpoch = 1000 });
            for (int b = 0; b < 1000; b++)
            {
                feedback.Handle(new BatchEnded { RunId = RunId, Epoch = 0, BatchIndex = b, GlobalStep = b + 1, Loss = 1.0 / (b + 1), BatchSize = 32, BatchesInEpoch = 1000 });
            }
            feedback.Handle(new EpochEnded { RunId = RunId, Epoch = 0, GlobalStep = 1000, Metrics = new Dictionary<string, double> { ["train_loss"] = 0.01 }, Duration = TimeSpan.FromSeconds(5) });
            feedback.Handle(Ended(RunStatus.Completed));
        });
        string[] progress = Lines(output).Where(l => l.Contains("it/s", StringComparison.Ordinal) || l.Contains("s/it", StringComparison.Ordinal)).ToArray();

        Assert.InRange(progress.Length, 1, 12);
        Assert.DoesNotContain('\r', output);
        Assert.DoesNotContain('\u001b', output);
        Assert.All(progress, l => Assert.Matches(@"^epoch 1/1  step \d+/1000 \(\d+%\)  ", l));
        Assert.Contains(progress, l => l.StartsWith("epoch 1/1  step 100/1000 (10%)", StringComparison.Ordinal));
        Assert.Single(Lines(output), l => l.StartsWith("epoch 1/1  train_loss", StringComparison.Ordinal));
    }

    [Fact]
    public void Plain_mode_reports_loss_as_the_running_mean_of_the_epoch()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(new EpochStarted { RunId = RunId, Epoch = 0, MaxEpochs = 1, BatchesInEpoch = 10 });
            for (int b = 0; b < 10; b++)
            {
                feedback.Handle(new BatchEnded { RunId = RunId, Epoch = 0, BatchIndex = b, GlobalStep = b + 1, Loss = b < 5 ? 1.0 : 3.0, BatchSize = 32, BatchesInEpoch = 10 });
            }
            feedback.Handle(Ended(RunStatus.Completed));
        });
        string[] progress = Lines(output).Where(l => l.Contains("it/s", StringComparison.Ordinal) || l.Contains("s/it", StringComparison.Ordinal)).ToArray();

        Assert.Contains(progress, l => l.StartsWith("epoch 1/1  step 5/10 (50%)", StringComparison.Ordinal) && l.EndsWith("loss 1.0000", StringComparison.Ordinal));
        Assert.Contains(progress, l => l.StartsWith("epoch 1/1  step 9/10 (90%)", StringComparison.Ordinal) && l.EndsWith("loss 1.8889", StringComparison.Ordinal));
    }

    [Fact]
    public void Live_mode_redraws_one_progress_line_in_place()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(new EpochStarted { RunId = RunId, Epoch = 0, MaxEpochs = 2, BatchesInEpoch = 1000 });
            for (int b = 0; b < 1000; b++)
            {
                feedback.Handle(new BatchEnded { RunId = RunId, Epoch = 0, BatchIndex = b, GlobalStep = b + 1, Loss = 0.5, BatchSize = 32, BatchesInEpoch = 1000 });
            }
            feedback.Handle(new EpochEnded { RunId = RunId, Epoch = 0, GlobalStep = 1000, Metrics = new Dictionary<string, double> { ["train_loss"] = 0.5 }, Duration = TimeSpan.FromSeconds(1) });
            feedback.Handle(Ended(RunStatus.Completed));
        }, ConsoleProgressMode.Live);

        Assert.Contains('\r', output);
        Assert.Contains("epoch 1/2     1/1000 [", output);
        Assert.Matches(@"epoch 1/2  1000/1000 \[={8,30}\] 100%  [0-9.?]+ it/s  loss 0\.5000", output);
        // Every progress text is a redraw that starts by returning to the start of the line, never a line of its own.
        Assert.All(Lines(output).Where(l => l.Contains("it/s", StringComparison.Ordinal)), l => Assert.StartsWith("\r", l, StringComparison.Ordinal));
        Assert.Contains(Lines(StripAnsiStyles(output)), l => l.Contains("epoch 1/2  train_loss 0.5000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(50)]
    public void Live_line_fits_the_terminal_width_with_its_loss(int width)
    {
        string output = Run(feedback =>
        {
            feedback.Handle(new EpochStarted { RunId = RunId, Epoch = 9, MaxEpochs = 100, BatchesInEpoch = 100_000 });
            for (int b = 0; b < 100_000; b += 997)
            {
                feedback.Handle(new BatchEnded { RunId = RunId, Epoch = 9, BatchIndex = b, GlobalStep = b + 1, Loss = 0.5, BatchSize = 32, BatchesInEpoch = 100_000 });
            }
        }, ConsoleProgressMode.Live, width);
        string[] redraws = Regex.Replace(output, "\u001b\\[[0-9;]*[A-Za-z]", "").Split('\r', '\n')
            .Where(l => l.Contains("it/s", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(redraws);
        Assert.All(redraws, l => Assert.InRange(l.Length, 1, width - 1));
        if (width >= 80)
        {
            Assert.All(redraws, l => Assert.EndsWith("loss 0.5000", l, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Markup_characters_in_names_are_printed_as_they_are()
    {
        string output = Run(feedback =>
        {
            feedback.Handle(new RunStarted { RunId = RunId, Name = "[bold]weird[/] name", Stage = "fit", StartedAt = DateTimeOffset.UnixEpoch, Hyperparameters = new Dictionary<string, string>() });
            feedback.Handle(new EpochEnded { RunId = RunId, Epoch = 0, GlobalStep = 1, Metrics = new Dictionary<string, double> { ["acc[top5]"] = 0.5 }, Duration = TimeSpan.FromSeconds(1) });
            feedback.Handle(Ended(RunStatus.Failed, error: "bad [value]"));
        });

        Assert.Contains("[bold]weird[/] name", output);
        Assert.Contains("acc[top5] 0.5000", output);
        Assert.Contains("bad [value]", output);
    }

    [Fact]
    public void Handlers_after_dispose_neither_throw_nor_print()
    {
        var writer = new StringWriter();
        var feedback = new ConsoleFeedback(writer);
        feedback.Dispose();

        Exception? thrown = Record.Exception(() =>
        {
            feedback.Handle(Started());
            feedback.Handle(new BatchEnded { RunId = RunId, Epoch = 0, BatchIndex = 0, GlobalStep = 1, Loss = 1, BatchSize = 1, BatchesInEpoch = 1 });
            feedback.Handle(Ended(RunStatus.Completed));
        });

        Assert.Null(thrown);
        Assert.Equal("", writer.ToString());
    }

    private static string Run(Action<ConsoleFeedback> publish, ConsoleProgressMode mode = ConsoleProgressMode.Plain, int width = 100)
    {
        var writer = new StringWriter();
        using (var feedback = new ConsoleFeedback(new ConsoleLoggerOptions { Output = writer, Mode = mode, Width = width, PlainInterval = TimeSpan.Zero }))
        {
            publish(feedback);
        }
        return writer.ToString();
    }

    // Colours and bold (SGR), not the line-control sequences the live line is drawn with.
    private static string StripAnsiStyles(string output) => Regex.Replace(output, "\u001b\\[[0-9;]*m", "");

    private static string[] Lines(string output) => output.Split('\n').Select(l => l.TrimEnd('\r', ' ')).ToArray();

    internal static RunStarted Started() => new() { RunId = RunId, Name = "mnist-mlp", Stage = "fit", StartedAt = DateTimeOffset.UnixEpoch, Hyperparameters = new Dictionary<string, string>() };

    internal static RunEnded Ended(RunStatus status, IReadOnlyDictionary<string, double>? metrics = null, string? error = null)
        => new() { RunId = RunId, Status = status, Metrics = metrics ?? new Dictionary<string, double>(), Duration = TimeSpan.FromSeconds(12.5), Error = error };
}
