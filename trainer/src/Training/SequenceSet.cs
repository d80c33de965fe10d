using EdgeNet.Trainer.Data;

namespace EdgeNet.Trainer.Training;

/// <summary>
/// The samples a network sees: sample r is rows r-N+1 .. r of its session, normalized, laid out
/// [step][feature] oldest first, labelled with row r's class (N = 1: the row itself, an MLP's input).
/// Readings before the session's start are real 0 after normalization (the feature mean) — exactly what the
/// device's input window holds after a reset (the input zero point). A session is a run of consecutive rows
/// recorded together (one recording, one day: <see cref="Dataset.SessionStarts"/>); windows never cross
/// sessions, and a streaming model's state is cleared at each session start.
/// </summary>
public sealed class SequenceSet
{
    public int Window;
    public int Features;
    public int Count;

    /// <summary>Count x Window x Features normalized values.</summary>
    public float[] X;
    public int[] Y;

    /// <summary>Per sample: true when its row starts a new segment (a streaming model resets its state there).</summary>
    public bool[] SegmentStart;

    /// <summary>The normalized rows themselves (one reading per sample), for streaming evaluation.</summary>
    public float[] Readings;

    public int SampleLength => Window * Features;

    // A set over rows (Over): samples are made when asked for, from the rows (a store) without copying them.
    private IFeatureRows _rows;
    private Normalization _norm;

    /// <summary>
    /// The same samples as <see cref="Build"/>, made one at a time by <see cref="CopySample"/> from the
    /// dataset's rows (no X, no Readings): what training reads, so a memory-mapped store is never copied.
    /// </summary>
    public static SequenceSet Over(Dataset data, Normalization norm, int window, bool[] segmentStart)
    {
        segmentStart ??= data.SessionStarts(null);
        if (segmentStart.Length != data.Count) throw new ArgumentException("one session flag per row");
        return new SequenceSet
        {
            Window = window, Features = data.FeatureCount, Count = data.Count, Y = data.Labels,
            SegmentStart = segmentStart, _rows = data.Features, _norm = norm,
        };
    }

    /// <summary>Sample r (Window x Features values, oldest reading first) into dest: exactly X's sample r.</summary>
    public void CopySample(int r, Span<float> dest)
    {
        int n = SampleLength, f = Features;
        if (_rows == null)
        {
            X.AsSpan(r * n, n).CopyTo(dest);
            return;
        }
        // The session's first row within the window: readings before it are 0 (the feature mean).
        int first = r;
        while (first > 0 && first > r - Window + 1 && !SegmentStart[first]) first--;
        for (int s = 0; s < Window; s++)
        {
            int src = r - (Window - 1) + s;
            Span<float> step = dest.Slice(s * f, f);
            if (src < first) step.Clear();
            else _norm.Apply(_rows.Row(src), step);
        }
    }

    /// <summary>Row r's normalized reading (Features values) into dest: exactly <see cref="Readings"/>' row r.</summary>
    public void CopyReading(int r, Span<float> dest)
    {
        if (_rows == null) Readings.AsSpan(r * Features, Features).CopyTo(dest);
        else _norm.Apply(_rows.Row(r), dest);
    }

    public static SequenceSet Build(Dataset data, Normalization norm, int window, bool[] segmentStart)
    {
        segmentStart ??= data.SessionStarts(null);
        if (segmentStart.Length != data.Count) throw new ArgumentException("one session flag per row");
        int f = data.FeatureCount;
        var set = new SequenceSet
        {
            Window = window, Features = f, Count = data.Count,
            X = new float[data.Count * window * f], Y = (int[])data.Labels.Clone(),
            SegmentStart = segmentStart, Readings = new float[data.Count * f],
        };
        for (int r = 0; r < data.Count; r++) norm.Apply(data.Rows[r], set.Readings.AsSpan(r * f, f));
        int segmentFirst = 0;
        for (int r = 0; r < data.Count; r++)
        {
            if (segmentStart[r]) segmentFirst = r;
            for (int s = 0; s < window; s++)
            {
                int src = r - (window - 1) + s;
                if (src < segmentFirst) continue; // stays 0: before the segment
                Array.Copy(set.Readings, src * f, set.X, (r * window + s) * f, f);
            }
        }
        return set;
    }
}
