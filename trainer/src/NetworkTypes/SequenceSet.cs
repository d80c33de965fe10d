using EdgeNet.Trainer.Data;
using EdgeNet.Trainer.Training;

namespace EdgeNet.Trainer.NetworkTypes;

/// <summary>
/// Samples made of the last N readings of a stream: sample r is rows r-N+1 .. r of its segment, normalized,
/// laid out [step][feature] oldest first, labelled with row r's class. Readings before the segment's start
/// are real 0 after normalization (the feature mean) — exactly what the device's input window holds after
/// a reset (the input zero point). A segment is a run of consecutive rows recorded together (e.g. one day);
/// windows never cross segments.
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

    /// <summary>Segment id per row from a text column (consecutive rows with equal value form a segment).</summary>
    public static bool[] SegmentsByColumn(Dataset data, string column)
    {
        var starts = new bool[data.Count];
        string[] values = column != null && data.OtherColumns.TryGetValue(column, out var v) ? v : null;
        for (int r = 0; r < data.Count; r++) starts[r] = r == 0 || (values != null && values[r] != values[r - 1]);
        return starts;
    }

    public static SequenceSet Build(Dataset data, Normalization norm, int window, bool[] segmentStart)
    {
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
