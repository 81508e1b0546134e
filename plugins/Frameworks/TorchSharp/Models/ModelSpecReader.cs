using Conduit.Data;
using Conduit.Configuration;
using Conduit.Frameworks.TorchSharp.Export;
using Conduit.Frameworks.TorchSharp.Losses;

namespace Conduit.Frameworks.TorchSharp.Models;

/// <summary>Reads and validates the <c>model</c> section against the data's schema.</summary>
internal static class ModelSpecReader
{
    /// <summary>The model types, as <see cref="ITrainingFramework.ModelTypes"/> lists them.</summary>
    public static IReadOnlyList<string> TypeNames { get; } = ["mlp", "cnn", "linear"];

    private static readonly string[] ActivationNames = ["relu", "tanh", "gelu", "sigmoid", "leaky_relu", "elu"];
    private static readonly string[] ClassificationLosses = ["cross_entropy", "bce"];
    private static readonly string[] RegressionLosses = ["mse"];
    private static readonly int[] DefaultMlpHidden = [128];
    private static readonly int[] DefaultCnnHidden = [120, 84];
    private static readonly int[] DefaultChannels = [6, 16];


    /// <summary>The model spec, or null when <paramref name="model"/> has problems (recorded in its reader).</summary>
    /// <param name="model">The <c>model</c> section.</param>
    /// <param name="schema">The training data's schema.</param>
    /// <param name="architectures">The architectures model plugins added.</param>
    public static ModelSpec? Read(SettingsReader model, DataSchema schema, IReadOnlyList<ITorchArchitecture> architectures)
    {
        ModelSpec? spec = ReadArchitecture(model, schema, architectures);
        // Read last (and always), so that "expected one of" lists the architecture's keys first.
        string? initFrom = StateDictFile.Problem(model.FilePath("init_from")) is { } problem ? Refuse(model, problem) : model.FilePath("init_from");
        return spec is null || initFrom is null && model.Exists("init_from") ? null : spec with { InitFrom = initFrom };
    }

    private static ModelSpec? ReadArchitecture(SettingsReader model, DataSchema schema, IReadOnlyList<ITorchArchitecture> architectures)
    {
        int before = model.Problems.Count;
        model.String("framework"); // names this adapter: the host's key, in the same section
        IReadOnlyList<string> names = [.. TypeNames, .. architectures.Select(a => a.Name)];
        ITorchArchitecture? architecture = architectures.FirstOrDefault(a => a.Name == model.String("type")?.Trim().ToLowerInvariant());
        if (architecture is not null)
        {
            return ReadPlugin(model, schema, architecture, before);
        }
        ModelType? type = model.String("type") is null
            ? Missing(model, names)
            : model.Choice("type", null, names) switch
            {
                "mlp" => ModelType.Mlp,
                "cnn" => ModelType.Cnn,
                "linear" => ModelType.Linear,
                _ => null,
            };
        if (type is not { } kind)
        {
            return null;
        }
        IReadOnlyList<int> hidden = kind switch
        {
            ModelType.Mlp => model.IntList("hidden", DefaultMlpHidden, 1),
            ModelType.Cnn => model.IntList("hidden", DefaultCnnHidden, 1),
            _ => [],
        };
        ActivationKind activation = kind == ModelType.Linear ? ActivationKind.Relu : ReadActivation(model);
        double dropout = kind == ModelType.Linear ? 0 : model.Double("dropout", 0, SettingRange.UnitOpen);
        bool batchNorm = kind != ModelType.Linear && model.Bool("batch_norm", false);
        IReadOnlyList<int> channels = kind == ModelType.Cnn ? model.IntList("channels", DefaultChannels, 1) : [];
        int kernelSize = kind == ModelType.Cnn ? model.Int("kernel_size", 3, 1) : 0;
        if (kind == ModelType.Cnn && model.Exists("channels") && channels.Count == 0)
        {
            model.Problem("channels", "is empty; expected at least one convolution, such as [6, 16]");
        }

        IReadOnlyList<int>? inputShape = ReadInputShape(model, kind, schema);
        (LossKind Loss, int Outputs)? head = ReadHead(model, schema);
        if (model.Problems.Count > before || inputShape is null || head is not { } resolved)
        {
            return null;
        }
        return new ModelSpec(kind, inputShape, hidden, activation, dropout, batchNorm, channels, kernelSize, resolved.Outputs, resolved.Loss);
    }

    private static string? Refuse(SettingsReader model, string problem)
    {
        model.Problem("init_from", problem);
        return null;
    }

    private static ModelType? Missing(SettingsReader model, IReadOnlyList<string> names)
    {
        model.Problem("type", $"is missing; expected one of {string.Join(", ", names)}");
        return null;
    }

    // A plugin's architecture takes the data's own feature shape and reads its keys itself when it is built.
    private static ModelSpec? ReadPlugin(SettingsReader model, DataSchema schema, ITorchArchitecture architecture, int before)
    {
        (LossKind Loss, int Outputs)? head = ReadHead(model, schema);
        if (schema.FeatureShape.Rank == 0 || schema.FeatureShape.ElementCount == 0)
        {
            model.Problem("type", $"cannot be built for data whose features have shape {schema.FeatureShape}; expected at least one feature per example");
        }
        if (model.Problems.Count > before || head is not { } resolved)
        {
            return null;
        }
        return new ModelSpec(ModelType.Plugin, schema.FeatureShape.Dimensions.ToArray(), [], ActivationKind.Relu, 0, false, [], 0, resolved.Outputs, resolved.Loss)
        {
            Architecture = architecture,
            Settings = model,
        };
    }

    private static ActivationKind ReadActivation(SettingsReader model) => model.Choice("activation", null, ActivationNames) switch
    {
        "tanh" => ActivationKind.Tanh,
        "gelu" => ActivationKind.Gelu,
        "sigmoid" => ActivationKind.Sigmoid,
        "leaky_relu" => ActivationKind.LeakyRelu,
        "elu" => ActivationKind.Elu,
        _ => ActivationKind.Relu,
    };

    private static IReadOnlyList<int>? ReadInputShape(SettingsReader model, ModelType kind, DataSchema schema)
    {
        TensorShape features = schema.FeatureShape;
        long size = features.ElementCount;
        if (features.Rank == 0 || size == 0)
        {
            model.Problem("type", $"cannot be built for data whose features have shape {features}; expected at least one feature per example");
            return null;
        }
        if (kind != ModelType.Cnn)
        {
            return [checked((int)size)];
        }
        if (model.Exists("input_shape"))
        {
            IReadOnlyList<int> shape = model.IntList("input_shape", [], 1);
            if (shape.Count != 3 || shape.Aggregate(1L, (p, d) => p * d) != size)
            {
                model.NotAllowed("input_shape", model.ListText("input_shape"),
                    $"three dimensions [channels, height, width] whose product is the data's {size} features per example, such as [1, 8, 8] for 64");
                return null;
            }
            return shape;
        }
        if (features.Rank != 3)
        {
            model.Problem("input_shape", $"is missing; the cnn model needs image-shaped features [channels, height, width], but the data's features have shape {features}; "
                + "set model.input_shape, such as [1, 8, 8] for 64 features");
            return null;
        }
        return features.Dimensions.ToArray();
    }

    private static (LossKind, int)? ReadHead(SettingsReader model, DataSchema schema)
    {
        switch (schema.Target)
        {
            case TargetKind.Classification:
            {
                int classes = schema.ClassNames.Count;
                if (model.Exists("outputs"))
                {
                    model.Problem("outputs", $"is for regression only; a classifier has one output per class ({classes} here)");
                }
                if (classes < 2)
                {
                    model.Problem("type", $"cannot classify data whose schema lists {classes} class{(classes == 1 ? "" : "es")}; expected at least 2 class names");
                    return null;
                }
                string? loss = model.String("loss") is null ? "cross_entropy" : model.Choice("loss", null, ClassificationLosses);
                if (loss == "bce" && classes != 2)
                {
                    model.Problem("loss", $"'bce' needs exactly 2 classes, but the data has {classes}; expected cross_entropy");
                    return null;
                }
                return loss switch
                {
                    "cross_entropy" => (LossKind.CrossEntropy, classes),
                    "bce" => (LossKind.BinaryCrossEntropy, 1),
                    _ => null,
                };
            }
            case TargetKind.Regression:
            {
                int outputs = model.Int("outputs", 1, 1);
                string? loss = model.String("loss") is null ? "mse" : model.Choice("loss", null, RegressionLosses);
                return loss is null ? null : (LossKind.MeanSquaredError, outputs);
            }
            default:
                model.Problem("type", "cannot be trained on data without a target; expected a classification or regression target");
                return null;
        }
    }
}
