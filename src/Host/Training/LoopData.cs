using Conduit.Data;

namespace Conduit.Host.Training;

/// <summary>What the <see cref="LoopPlan"/> needs to know of the data: how many examples, and how they are batched.</summary>
/// <param name="TrainExamples">Training examples; null when the data cannot tell (a stream of unknown length).</param>
/// <param name="ValidationExamples">Validation examples, 0 when there is no validation data; null when unknown.</param>
/// <param name="BatchSize">Examples per batch.</param>
public sealed record LoopData(long? TrainExamples, long? ValidationExamples, int BatchSize)
{
    /// <summary>The batch count of data whose size is unknown: read until it ends.</summary>
    public const long UnknownBatches = long.MaxValue;

    /// <summary>Whether a last, smaller training batch is dropped.</summary>
    public bool DropLast { get; init; }

    /// <summary>Whether the job asks for shuffled training batches.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The sizes of <paramref name="train"/> and <paramref name="validation"/> (none: 0 examples), batched as given.</summary>
    public static LoopData Of(IDataset train, IDataset? validation, int batchSize, bool dropLast, bool shuffle)
    {
        ArgumentNullException.ThrowIfNull(train);
        return new LoopData(train.Count, validation is null ? 0 : validation.Count, batchSize) { DropLast = dropLast, Shuffle = shuffle };
    }

    /// <summary>How many batches <paramref name="examples"/> make (a last, smaller one included unless <paramref name="dropLast"/>).</summary>
    public static long BatchCount(long? examples, int batchSize, bool dropLast) =>
        examples is not long n ? UnknownBatches
        : dropLast ? n / batchSize
        : (n + batchSize - 1) / batchSize;

    /// <summary>Training batches in a whole epoch.</summary>
    public long TrainBatches => BatchCount(TrainExamples, BatchSize, DropLast);

    /// <summary>Validation batches in a whole pass: validation never drops a batch.</summary>
    public long ValidationBatches => BatchCount(ValidationExamples, BatchSize, dropLast: false);
}
