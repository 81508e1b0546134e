namespace Conduit.Host.Data;

/// <summary>
/// <c>data.split</c>: the fractions of the data held out for validation and test, each taken from the whole dataset.
/// </summary>
/// <param name="Validation">The validation fraction, in [0, 1); 0 for none (or when <c>validation_path</c> replaces it).</param>
/// <param name="Test">The test fraction, in [0, 1); 0 for none (or when <c>test_path</c> replaces it).</param>
/// <param name="Seed">The seed of the shuffle that decides which examples go where.</param>
/// <param name="Stratify">Whether each class is split in the same proportions (classification only).</param>
public sealed record SplitSettings(double Validation = 0.1, double Test = 0.2, int Seed = 42, bool Stratify = true);
