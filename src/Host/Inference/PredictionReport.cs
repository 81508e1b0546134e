namespace Conduit.Host.Inference;

/// <summary>What <c>conduit predict</c> did.</summary>
/// <param name="Model">The model file.</param>
/// <param name="Data">The data file.</param>
/// <param name="Output">The predictions file.</param>
/// <param name="Rows">The examples predicted.</param>
/// <param name="Seconds">The time from the first batch read to the last row written.</param>
public sealed record PredictionReport(string Model, string Data, string Output, long Rows, double Seconds)
{
    /// <summary>The share of labelled examples whose predicted class is the label (classifiers, labelled data).</summary>
    public double? Accuracy { get; init; }

    /// <summary>The root mean squared error (regressors, labelled data).</summary>
    public double? Rmse { get; init; }

    /// <summary>Examples per second.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}
