namespace Conduit.Host.Data;

/// <summary>
/// A seeded permutation that is the same on every platform and .NET version (SplitMix64 driving Fisher-Yates),
/// so that an epoch's order depends only on the seed and the epoch: what exact resume relies on.
/// </summary>
public static class SeededShuffle
{
    /// <summary>The order of <paramref name="count"/> examples in epoch <paramref name="epoch"/> for <paramref name="seed"/>.</summary>
    public static int[] Permutation(int count, int seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        SeededRandom random = SeededRandom.ForEpoch(seed, epoch);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Shuffles <paramref name="items"/> in place with <paramref name="seed"/>.</summary>
    public static void Shuffle<T>(Span<T> items, int seed)
    {
        var random = new SeededRandom((ulong)(uint)seed ^ 0xD1B54A32D192ED03UL);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>
    /// A number in [0, 1) that depends only on <paramref name="seed"/> and <paramref name="index"/>: what a split of a
    /// stream decides an example's part by, without holding any state.
    /// </summary>
    public static double Uniform(int seed, long index)
    {
        var random = new SeededRandom(((ulong)(uint)seed << 32) ^ (ulong)index * 0xD6E8FEB86659FD93UL);
        return (random.NextBits() >> 11) * (1.0 / (1UL << 53));
    }
}
