using System.Collections.Generic;

namespace EdgeNet.Golden
{
    /// <summary>
    /// The reader keeps reading every v1 file: the seed article's neuron and one model of each layer kind
    /// written in format v1, with the traces and classes that the same models give in v2 (the golden runner
    /// holds both builds, and the interpreter, to them).
    /// </summary>
    public static class FormatV1Cases
    {
        public static IEnumerable<GoldenCase> All(IModelReference reference)
        {
            var seed = DenseCases.SeedArticleNeuron();
            yield return Same(GoldenCase.ForModel("format v1: seed-article neuron", seed, DenseCases.SeedArticleReadings(seed), 1, reference, version: 1),
                GoldenCase.ForModel("v2", seed, DenseCases.SeedArticleReadings(seed), 1, reference));
            foreach (GoldenStream s in NetworkTypeGoldens.All())
            {
                yield return Same(GoldenCase.ForModel("format v1: " + s.Name, s.Model, s.Raw, s.Readings, reference, version: 1),
                    GoldenCase.ForModel("v2", s.Model, s.Raw, s.Readings, reference));
            }
        }

        /// <summary>The v1 case, after checking that the v2 file of the same model computes the same integers.</summary>
        private static GoldenCase Same(GoldenCase v1, GoldenCase v2)
        {
            if (!System.Linq.Enumerable.SequenceEqual(v1.Trace, v2.Trace) || !System.Linq.Enumerable.SequenceEqual(v1.Classes, v2.Classes))
                throw new System.InvalidOperationException("golden '" + v1.Name + "': the v1 and v2 files of the same model compute different integers");
            return v1;
        }
    }
}
