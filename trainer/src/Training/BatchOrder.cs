namespace EdgeNet.Trainer.Training;

/// <summary>
/// The order in which an epoch visits the training samples, from the run's seeded generator. Up to
/// <see cref="ChunkRows"/> samples: one Fisher-Yates shuffle of all of them (each epoch shuffles the last
/// epoch's order). More: the samples (in file order) are cut into chunks of <see cref="ChunkRows"/>, the
/// chunks are visited in a shuffled order and each chunk's samples in a shuffled order, so the batches of a
/// memory-mapped store read one chunk of the file (4 x features x 2^20 bytes) at a time instead of the whole
/// file at random. Both are deterministic for a seed.
/// </summary>
public static class BatchOrder
{
    /// <summary>Samples per chunk of a large training set (2^20: 64 MiB of 16 float features).</summary>
    public const int ChunkRows = 1 << 20;

    /// <summary>Shuffles <paramref name="order"/> (positions into the training samples) for the next epoch.</summary>
    public static void Shuffle(int[] order, Random rng, int chunkRows = ChunkRows)
    {
        if (order.Length <= chunkRows)
        {
            Shuffle(order.AsSpan(), rng);
            return;
        }
        int chunks = (int)((order.Length + (long)chunkRows - 1) / chunkRows);
        var chunkOrder = new int[chunks];
        for (int c = 0; c < chunks; c++) chunkOrder[c] = c;
        Shuffle(chunkOrder, rng);
        int at = 0;
        foreach (int c in chunkOrder)
        {
            int start = c * chunkRows, length = Math.Min(chunkRows, order.Length - start);
            Span<int> part = order.AsSpan(at, length);
            for (int i = 0; i < length; i++) part[i] = start + i;
            Shuffle(part, rng);
            at += length;
        }
    }

    private static void Shuffle(Span<int> a, Random rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
