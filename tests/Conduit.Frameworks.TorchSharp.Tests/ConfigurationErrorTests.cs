using Conduit.Data;
using Conduit.Frameworks.TorchSharp.Tests.Support;
using Conduit.Host.Data;

namespace Conduit.Frameworks.TorchSharp.Tests;

/// <summary>A bad setting fails in CreateTrainingSession, before anything trains, naming the key, the value and what is allowed.</summary>
public sealed class ConfigurationErrorTests(LoadedPlugin plugin) : TorchSharpTests(plugin)
{
    private static readonly InMemoryDataset Digits = SyntheticData.Classification(4, 64, 10);
    private static readonly InMemoryDataset Binary = SyntheticData.Classification(4, 8, 2);
    private static readonly InMemoryDataset Values = SyntheticData.Regression(4, 8, 1);

    public static TheoryData<string, string, string> ModelProblems => new()
    {
        { """{ "type": "resnet" }""", "{}", "model.type: 'resnet' is not allowed; expected one of mlp, cnn, linear, torchscript" },
        { """{ "hidden": [8] }""", "{}", "model.type: is missing; expected one of mlp, cnn, linear, torchscript" },
        { """{ "type": "mlp", "hidden": [128, -3] }""", "{}", "model.hidden.1: '-3' is not allowed; expected an integer of at least 1" },
        { """{ "type": "mlp", "activation": "swish" }""", "{}", "model.activation: 'swish' is not allowed; expected one of relu, tanh, gelu, sigmoid, leaky_relu, elu" },
        { """{ "type": "mlp", "dropout": 1 }""", "{}", "model.dropout: '1' is not allowed; expected a number of at least 0 and less than 1" },
        { """{ "type": "mlp", "batch_norm": "yes" }""", "{}", "model.batch_norm: 'yes' is not allowed; expected true or false" },
        { """{ "type": "mlp", "hiden": [64] }""", "{}", "model.hiden: unknown key; did you mean 'hidden'? expected one of framework, type, hidden, activation, dropout, batch_norm, outputs, loss, init_from" },
        { """{ "type": "linear", "dropout": 0.5 }""", "{}", "model.dropout: unknown key; expected one of framework, type, outputs, loss, init_from" },
        { """{ "type": "mlp", "loss": "bce" }""", "{}", "model.loss: 'bce' needs exactly 2 classes, but the data has 10; expected cross_entropy" },
        { """{ "type": "mlp", "loss": "mse" }""", "{}", "model.loss: 'mse' is not allowed; expected one of cross_entropy, bce" },
        { """{ "type": "mlp", "outputs": 3 }""", "{}", "model.outputs: is for regression only; a classifier has one output per class (10 here)" },
        { """{ "type": "cnn" }""", "{}", "model.input_shape: is missing; the cnn model needs image-shaped features [channels, height, width], but the data's features have shape [64]; set model.input_shape, such as [1, 8, 8] for 64 features" },
        { """{ "type": "cnn", "input_shape": [1, 8, 9] }""", "{}", "model.input_shape: '[1, 8, 9]' is not allowed; expected three dimensions [channels, height, width] whose product is the data's 64 features per example, such as [1, 8, 8] for 64" },
        { """{ "type": "cnn", "input_shape": [1, 8, 8], "kernel_size": 0 }""", "{}", "model.kernel_size: '0' is not allowed; expected an integer of at least 1" },
        { """{ "type": "mlp" }""", """{ "lr": -0.1 }""", "optimizer.lr: '-0.1' is not allowed; expected a number greater than 0" },
        { """{ "type": "mlp" }""", """{ "type": "rmsprop" }""", "optimizer.type: 'rmsprop' is not allowed; expected one of adam, adamw, sgd" },
        { """{ "type": "mlp" }""", """{ "type": "sgd", "nesterov": true }""", "optimizer.nesterov: 'true' is not allowed; expected false unless optimizer.momentum is greater than 0 (Nesterov momentum needs momentum)" },
        { """{ "type": "mlp" }""", """{ "type": "sgd", "momentum": 1.5 }""", "optimizer.momentum: '1.5' is not allowed; expected a number of at least 0 and less than 1" },
        { """{ "type": "mlp" }""", """{ "momentum": 0.9 }""", "optimizer.momentum: unknown key; expected one of type, loss, lr, weight_decay, betas, eps, scheduler" },
        { """{ "type": "mlp" }""", """{ "betas": [0.9] }""", "optimizer.betas: '[0.9]' is not allowed; expected two numbers of at least 0 and less than 1, such as [0.9, 0.999]" },
        { """{ "type": "mlp" }""", """{ "weight_decay": "lots" }""", "optimizer.weight_decay: 'lots' is not allowed; expected a number of at least 0" },
        { """{ "type": "mlp" }""", """{ "loss": "mse" }""", "optimizer.loss: belongs to the model section; write it as model.loss" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "linear" } }""", "optimizer.scheduler.type: 'linear' is not allowed; expected one of none, step, cosine, one_cycle, reduce_on_plateau" },
        { """{ "type": "mlp" }""", """{ "scheduler": "exponential" }""", "optimizer.scheduler: 'exponential' is not allowed; expected one of none, step, cosine, one_cycle, reduce_on_plateau" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "step" } }""", "optimizer.scheduler.step_size: is missing; expected the epochs between decays, an integer of at least 1" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "step", "step_size": 2, "gamma": 0 } }""", "optimizer.scheduler.gamma: '0' is not allowed; expected a number greater than 0" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "cosine" } }""", "optimizer.scheduler.t_max: is missing and trainer.max_epochs sets no limit; expected the epochs of the half cosine, an integer of at least 1" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "one_cycle" } }""", "optimizer.scheduler.total_steps: is missing and the run's length is unknown (steps per epoch 0, max epochs -1); expected the optimizer steps of the cycle, an integer of at least 2, or a dataset of known size with trainer.max_epochs" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "one_cycle", "total_steps": 100, "pct_start": 1 } }""", "optimizer.scheduler.pct_start: '1' is not allowed; expected a number greater than 0 and less than 1" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "reduce_on_plateau", "mode": "up" } }""", "optimizer.scheduler.mode: 'up' is not allowed; expected one of min, max" },
        { """{ "type": "mlp" }""", """{ "scheduler": { "type": "reduce_on_plateau", "patience": 2, "step_size": 3 } }""", "optimizer.scheduler.step_size: unknown key; expected one of type, monitor, mode, factor, patience, threshold, cooldown, min_lr" },
    };

    [Theory]
    [MemberData(nameof(ModelProblems))]
    public void A_bad_setting_is_named_with_its_value_and_what_is_allowed(string model, string optimizer, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(Sessions.Options(Digits, model, optimizer)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_one_per_line()
    {
        var error = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(
            Sessions.Options(Digits, """{ "type": "mlp", "dropout": -1, "activation": "softmax" }""", """{ "lr": 0, "type": "sgd", "nesterov": true }""")));

        Assert.Equal(
            [
                "model.activation: 'softmax' is not allowed; expected one of relu, tanh, gelu, sigmoid, leaky_relu, elu",
                "model.dropout: '-1' is not allowed; expected a number of at least 0 and less than 1",
                "optimizer.lr: '0' is not allowed; expected a number greater than 0",
                "optimizer.nesterov: 'true' is not allowed; expected false unless optimizer.momentum is greater than 0 (Nesterov momentum needs momentum)",
            ],
            error.Message.Split(Environment.NewLine));
    }

    [Fact]
    public void Losses_must_fit_the_target()
    {
        var regression = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(Sessions.Options(Values, """{ "type": "mlp", "loss": "cross_entropy" }""")));
        Assert.Equal("model.loss: 'cross_entropy' is not allowed; expected one of mse", regression.Message);

        using ITrainingSession bce = Framework.CreateTrainingSession(Sessions.Options(Binary, """{ "type": "mlp", "loss": "bce" }"""));
        Assert.Equal("[-1, 1]", bce.Summary.Layers[^1].OutputShape);
    }

    [Fact]
    public void Trainer_settings_passed_to_the_session_are_checked_too()
    {
        TrainingSessionOptions options = Sessions.Options(Digits, """{ "type": "mlp" }""");

        Assert.Equal("trainer.gradient_clip_algorithm: 'l2' is not allowed; expected one of norm, value",
            Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(options with { GradientClipValue = 1, GradientClipAlgorithm = "l2" })).Message);
        Assert.Equal("trainer.accumulate_grad_batches: '0' is not allowed; expected an integer of at least 1",
            Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(options with { AccumulateGradBatches = 0 })).Message);
        Assert.Equal("device: 'tpu:0' is not allowed; expected cpu, cpu:0, cuda or cuda:N",
            Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(options with { Device = "tpu:0" })).Message);
    }

    [Fact]
    public void Cuda_is_refused_clearly_by_this_cpu_build()
    {
        TrainingSessionOptions options = Sessions.Options(Digits, """{ "type": "mlp" }""") with { Device = "cuda:0" };

        var error = Assert.Throws<ArgumentException>(() => Framework.CreateTrainingSession(options));

        Assert.Equal(
            "device: 'cuda:0' is not available: the torchsharp plugin is built on libtorch-cpu-linux-x64 (libtorch for the CPU only), so torch.cuda.is_available() is false; use cpu (trainer.accelerator: cpu)",
            error.Message);
    }

    [Fact]
    public void Cpu_may_be_named_with_its_index()
    {
        using ITrainingSession session = Framework.CreateTrainingSession(Sessions.Options(Binary, """{ "type": "linear" }""") with { Device = "cpu:0" });

        Assert.Equal((8 * 2) + 2, session.Summary.TotalParameters);
    }
}
