using Conduit.Configuration;

namespace Conduit.Frameworks.TorchSharp.Optimizers;

/// <summary>Reads and validates the <c>optimizer</c> section (the scheduler is read by its own reader).</summary>
internal static class OptimizerSpecReader
{
    private static readonly string[] TypeNames = ["adam", "adamw", "sgd"];

    /// <summary>The optimizer spec, or null when the section has problems (recorded in its reader).</summary>
    public static OptimizerSpec? Read(SettingsReader optimizer)
    {
        int before = optimizer.Problems.Count;
        string? type = optimizer.String("type") is null ? "adam" : optimizer.Choice("type", null, TypeNames);
        if (type is null)
        {
            return null;
        }
        if (optimizer.Exists("loss"))
        {
            optimizer.Problem("loss", "belongs to the model section; write it as model.loss");
        }
        OptimizerKind kind = type switch
        {
            "adamw" => OptimizerKind.AdamW,
            "sgd" => OptimizerKind.Sgd,
            _ => OptimizerKind.Adam,
        };

        double lr = optimizer.Double("lr", 0.001, SettingRange.Positive);
        double weightDecay = optimizer.Double("weight_decay", 0, SettingRange.NonNegative);
        double momentum = kind == OptimizerKind.Sgd ? optimizer.Double("momentum", 0, SettingRange.UnitOpen) : 0;
        bool nesterov = kind == OptimizerKind.Sgd && optimizer.Bool("nesterov", false);
        if (nesterov && momentum <= 0)
        {
            optimizer.NotAllowed("nesterov", "true", "false unless optimizer.momentum is greater than 0 (Nesterov momentum needs momentum)");
        }
        (double beta1, double beta2) = (0.9, 0.999);
        if (kind != OptimizerKind.Sgd && optimizer.Exists("betas"))
        {
            IReadOnlyList<double>? betas = optimizer.DoubleList("betas");
            if (betas is not null)
            {
                if (betas.Count == 2 && SettingRange.UnitOpen.Contains(betas[0]) && SettingRange.UnitOpen.Contains(betas[1]))
                {
                    (beta1, beta2) = (betas[0], betas[1]);
                }
                else
                {
                    optimizer.NotAllowed("betas", optimizer.ListText("betas"), "two numbers of at least 0 and less than 1, such as [0.9, 0.999]");
                }
            }
        }
        double eps = kind == OptimizerKind.Sgd ? 0 : optimizer.Double("eps", 1e-8, SettingRange.Positive);
        return optimizer.Problems.Count > before ? null : new OptimizerSpec(kind, lr, weightDecay, momentum, nesterov, beta1, beta2, eps);
    }
}
