using System;
using System.Collections.Generic;

namespace EdgeNet.Golden
{
    /// <summary>
    /// Every golden case, in a fixed order. A group is a method returning cases; to add cases for a new layer
    /// kind, write a group (e.g. Conv1dCases.All in its own file) and append it to <see cref="Groups"/>.
    /// Names must be unique: the generated source and test messages identify a case by name. Model cases take
    /// their expected integers from the reference evaluator passed in (<see cref="IModelReference"/>).
    /// </summary>
    public static class GoldenCatalog
    {
        public static readonly Func<IModelReference, IEnumerable<GoldenCase>>[] Groups =
        {
            reference => FixedPointCases.All(),
            DenseCases.All,
            reference => RejectedCases.All(),
            NetworkTypeGoldens.Cases,
            FormatV1Cases.All,
            WideWeightCases.All,
        };

        public static List<GoldenCase> All(IModelReference reference)
        {
            var cases = new List<GoldenCase>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var group in Groups)
            {
                foreach (GoldenCase c in group(reference))
                {
                    if (!names.Add(c.Name)) throw new InvalidOperationException($"two golden cases are named '{c.Name}'");
                    cases.Add(c);
                }
            }
            return cases;
        }
    }
}
