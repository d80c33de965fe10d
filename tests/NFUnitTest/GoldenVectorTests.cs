using EdgeNet.GoldenData;
using nanoFramework.TestFramework;

namespace EdgeNet.NFUnitTest
{
    /// <summary>
    /// The golden vectors on the nanoFramework interpreter: the fixed-point kernels, the model reader and
    /// the inference engine of shared/src must give exactly the integers the desktop build wrote into
    /// GoldenVectors.g.cs. The xunit suite (GoldenVectorTests) runs the same vectors in CI.
    /// </summary>
    [TestClass]
    public class GoldenVectorTests
    {
        [TestMethod]
        public void FixedPoint_kernels_give_the_golden_results()
        {
            int checkedCalls = 0;
            for (int i = 0; i < GoldenVectorTable.Count; i++)
            {
                GoldenVector v = GoldenVectorTable.Get(i);
                if (v.Kind == GoldenVector.Model || v.Kind == GoldenVector.WideModel || v.Kind == GoldenVector.Rejected) continue;
                int[] actual = GoldenRunner.RunKernel(v);
                Assert.IsNotNull(actual, v.Name + ": unknown kernel kind");
                Assert.AreEqual(v.Expected.Length, actual.Length, v.Name);
                for (int c = 0; c < actual.Length; c++)
                {
                    Assert.AreEqual(v.Expected[c], actual[c], v.Name + ", call " + c.ToString());
                }
                checkedCalls += actual.Length;
            }
            Assert.IsTrue(checkedCalls > 1000, "only " + checkedCalls.ToString() + " kernel calls checked");
        }

        [TestMethod]
        public void Models_give_the_golden_integers_at_every_layer()
        {
            int models = 0;
            for (int i = 0; i < GoldenVectorTable.Count; i++)
            {
                GoldenVector v = GoldenVectorTable.Get(i);
                if (v.Kind != GoldenVector.Model) continue;
                sbyte[] trace = GoldenRunner.RunTrace(v);
                Assert.IsNotNull(trace, v.Name + ": the reader rejected the model: " + GoldenRunner.RunCheck(v));
                Assert.AreEqual(v.Trace.Length, trace.Length, v.Name + ": trace length");
                for (int t = 0; t < trace.Length; t++)
                {
                    Assert.AreEqual(v.Trace[t], trace[t], v.Name + ", trace value " + t.ToString());
                }
                int[] classes = GoldenRunner.RunClasses(v);
                Assert.AreEqual(v.Classes.Length, classes.Length, v.Name + ": readings");
                for (int r = 0; r < classes.Length; r++)
                {
                    Assert.AreEqual(v.Classes[r], classes[r], v.Name + ", class after reading " + r.ToString());
                }
                models++;
            }
            Assert.IsTrue(models >= 10, "only " + models.ToString() + " model vectors");
        }

        [TestMethod]
        public void Models_with_16_bit_tensors_give_the_golden_integers_at_every_layer()
        {
            int models = 0;
            for (int i = 0; i < GoldenVectorTable.Count; i++)
            {
                GoldenVector v = GoldenVectorTable.Get(i);
                if (v.Kind != GoldenVector.WideModel) continue;
                Assert.IsNull(GoldenRunner.Compare(v), v.Name);
                models++;
            }
            Assert.IsTrue(models >= 3, "only " + models.ToString() + " 16-bit model vectors");
        }

        [TestMethod]
        public void Bad_files_are_rejected_with_the_golden_reason()
        {
            int rejected = 0;
            for (int i = 0; i < GoldenVectorTable.Count; i++)
            {
                GoldenVector v = GoldenVectorTable.Get(i);
                if (v.Kind != GoldenVector.Rejected) continue;
                Assert.AreEqual(v.Error, GoldenRunner.RunCheck(v), v.Name);
                rejected++;
            }
            Assert.IsTrue(rejected >= 10, "only " + rejected.ToString() + " rejected files");
        }

        [TestMethod]
        public void Seed_article_neuron_computes_0_71()
        {
            // Inputs 0.5 and 0.7 quantize to -1 and 50 (scale 1/255, zero point -128); the neuron's output 53
            // is (53 + 128) / 255 = 0.7098, within one step of 0.71.
            GoldenVector seed = null;
            for (int i = 0; i < GoldenVectorTable.Count && seed == null; i++)
            {
                GoldenVector v = GoldenVectorTable.Get(i);
                if (v.Kind == GoldenVector.Model && v.Name.IndexOf("seed-article neuron") == 0) seed = v;
            }
            Assert.IsNotNull(seed, "no seed-article vector");
            sbyte[] trace = GoldenRunner.RunTrace(seed);
            Assert.IsNotNull(trace, "seed-article model rejected");
            Assert.AreEqual(3, trace.Length, "trace length");
            Assert.AreEqual(-1, (int)trace[0], "input 0.5");
            Assert.AreEqual(50, (int)trace[1], "input 0.7");
            Assert.AreEqual(53, (int)trace[2], "output 0.71");
        }
    }
}
