namespace Conduit.Data;

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
        ulong state = ((ulong)(uint)seed << 32) ^ (uint)epoch ^ 0x9E3779B97F4A7C15UL;
        for (int i = count - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Shuffles <paramref name="items"/> in place with <paramref name="seed"/>.</summary>
    public static void Shuffle<T>(Span<T> items, int seed)
    {
        ulong state = (ulong)(uint)seed ^ 0xD1B54A32D192ED03UL;
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = (int)(Next(ref state) % (ulong)(i + 1));
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
