namespace Conduit.Frameworks;

/// <summary>The outcome of one batch.</summary>
/// <param name="Loss">The batch's mean loss.</param>
/// <param name="Count">The number of examples.</param>
/// <param name="Correct">Correctly classified examples (classification), for accuracy.</param>
/// <param name="AbsoluteError">The sum of absolute errors (regression), for MAE.</param>
/// <param name="SquaredError">The sum of squared errors (regression), for RMSE.</param>
public readonly record struct StepResult(double Loss, int Count, long Correct = 0, double AbsoluteError = 0, double SquaredError = 0);
