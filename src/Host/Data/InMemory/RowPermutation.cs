namespace Conduit.Host.Data;

/// <summary>Reorders the rows of an array in place, so that a split of a dataset never holds the data twice.</summary>
internal static class RowPermutation
{
    /// <summary>Moves the rows of <paramref name="data"/> so that row i afterwards holds what row <c>order[i]</c> held.</summary>
    /// <param name="data">Rows of <paramref name="rowSize"/> elements, back to back.</param>
    /// <param name="rowSize">Elements per row; at least 1.</param>
    /// <param name="order">A permutation of the row indices.</param>
    public static void Apply<T>(Span<T> data, int rowSize, ReadOnlySpan<int> order)
    {
        // Follows each cycle of the permutation with one row of scratch space: every row is copied once.
        var done = new bool[order.Length];
        var saved = new T[rowSize];
        for (int start = 0; start < order.Length; start++)
        {
            if (done[start] || order[start] == start)
            {
                continue;
            }
            Row(data, rowSize, start).CopyTo(saved);
            int to = start;
            while (true)
            {
                done[to] = true;
                int from = order[to];
                if (from == start)
                {
                    saved.CopyTo(Row(data, rowSize, to));
                    break;
                }
                Row(data, rowSize, from).CopyTo(Row(data, rowSize, to));
                to = from;
            }
        }
    }

    private static Span<T> Row<T>(Span<T> data, int rowSize, int row) => data.Slice(row * rowSize, rowSize);
}
