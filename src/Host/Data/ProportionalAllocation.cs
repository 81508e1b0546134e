namespace Conduit.Host.Data;

/// <summary>
/// Shares a whole number among groups in proportion to their sizes (the largest remainder method), so that the
/// shares add up exactly to the total while each stays within 1 of its exact proportion.
/// </summary>
internal static class ProportionalAllocation
{
    /// <summary>Shares <paramref name="total"/> among groups of <paramref name="sizes"/>, none beyond its <paramref name="capacity"/>.</summary>
    /// <exception cref="ArgumentException">The capacities add up to less than <paramref name="total"/>.</exception>
    public static int[] Allocate(ReadOnlySpan<int> sizes, ReadOnlySpan<int> capacity, int total)
    {
        long all = 0;
        foreach (int size in sizes)
        {
            all += size;
        }
        var shares = new int[sizes.Length];
        var remainders = new long[sizes.Length];
        int assigned = 0;
        for (int i = 0; i < sizes.Length && all > 0; i++)
        {
            // Integer arithmetic keeps the remainders exact, so ties are real ties and the result is the same everywhere.
            long product = (long)sizes[i] * total;
            shares[i] = (int)Math.Min(product / all, capacity[i]);
            remainders[i] = product % all;
            assigned += shares[i];
        }
        int[] sizesCopy = sizes.ToArray();
        int[] order = [.. Enumerable.Range(0, sizes.Length)
            .OrderByDescending(i => remainders[i])
            .ThenByDescending(i => sizesCopy[i])
            .ThenBy(i => i)];
        while (assigned < total)
        {
            int before = assigned;
            foreach (int i in order)
            {
                if (assigned == total)
                {
                    break;
                }
                if (shares[i] < capacity[i])
                {
                    shares[i]++;
                    assigned++;
                }
            }
            if (assigned == before)
            {
                throw new ArgumentException($"Cannot share {total} among groups that hold only {assigned}.", nameof(total));
            }
        }
        return shares;
    }
}
