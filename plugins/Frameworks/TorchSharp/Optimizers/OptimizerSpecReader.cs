using Conduit.Frameworks.TorchSharp.Configuration;

namespace Conduit.Frameworks.TorchSharp.Optimizers;

/// <summary>Reads and validates the <c>optimizer</c> section (the scheduler is read by its own reader).</summary>
internal static class OptimizerSpecReader
{
    private static readonly string[] TypeNames = ["adam", "adamw", "sgd"];
    private static readonly string[] AdamKeys = ["type", "lr", "weight_decay", "betas", "eps", "scheduler"];
    private static readonly string[] SgdKeys = ["type", "lr", "weight_decay", "momentum", "nesterov", "scheduler"];

    /// <summary>The optimizer spec, or null when the section has problems (recorded in its reader).</summary>
    public static OptimizerSpec? Read(SectionReader optimizer)
    {
        int before = optimizer.Problems.Count;
        string? type = optimizer.String("type") is null ? "adam" : optimizer.Choice("type", TypeNames);
        if (type is null)
        {
            return null;
        }
        if (optimizer.Has("loss"))
        {
            optimizer.Problem("loss", "belongs to the model section; write it as model.loss");
        }
        OptimizerKind kind = type switch
        {
            "adamw" => OptimizerKind.AdamW,
            "sgd" => OptimizerKind.Sgd,
            _ => OptimizerKind.Adam,
        };
        optimizer.RejectUnknown($"the {type} optimizer", kind == OptimizerKind.Sgd ? SgdKeys : AdamKeys, reportedElsewhere: "loss");

        double lr = optimizer.Double("lr", 0.001, NumberRange.Positive);
        double weightDecay = optimizer.Double("weight_decay", 0, NumberRange.NonNegative);
        double momentum = kind == OptimizerKind.Sgd ? optimizer.Double("momentum", 0, NumberRange.UnitOpen) : 0;
        bool nesterov = kind == OptimizerKind.Sgd && optimizer.Bool("nesterov", false);
        if (nesterov && momentum <= 0)
        {
            optimizer.NotAllowed("nesterov", "true", "false unless optimizer.momentum is greater than 0 (Nesterov momentum needs momentum)");
        }
        (double beta1, double beta2) = (0.9, 0.999);
        if (kind != OptimizerKind.Sgd && optimizer.Has("betas"))
        {
            IReadOnlyList<double>? betas = optimizer.DoubleList("betas");
            if (betas is not null)
            {
                if (betas.Count == 2 && NumberRange.UnitOpen.Contains(betas[0]) && NumberRange.UnitOpen.Contains(betas[1]))
                {
                    (beta1, beta2) = (betas[0], betas[1]);
                }
                else
                {
                    optimizer.NotAllowed("betas", optimizer.ListText("betas"), "two numbers of at least 0 and less than 1, such as [0.9, 0.999]");
                }
            }
        }
        double eps = kind == OptimizerKind.Sgd ? 0 : optimizer.Double("eps", 1e-8, NumberRange.Positive);
        return optimizer.Problems.Count > before ? null : new OptimizerSpec(kind, lr, weightDecay, momentum, nesterov, beta1, beta2, eps);
    }
}
