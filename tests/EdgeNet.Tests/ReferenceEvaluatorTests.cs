using System.Reflection;
using System.Reflection.Emit;
using EdgeNet.Engine;
using EdgeNet.Format;
using EdgeNet.Golden;
using EdgeNet.Quantization;
using EdgeNet.Reference;
using EdgeNet.Trainer.Device;

namespace EdgeNet.Tests;

/// <summary>
/// tests/Reference (<see cref="IntegerReference"/>), the evaluator of the documented rule the golden model vectors
/// take their integers from: it agrees with the engine of both builds on every golden model and on random
/// models of every layer kind, it disagrees with a device build whose kernel was altered, and it calls no code
/// of the engine, kernels or reader.
/// </summary>
public class ReferenceEvaluatorTests
{
    private static readonly IntegerReference Reference = IntegerReference.Instance;

    private static List<GoldenCase> ModelCases() => GoldenCatalog.All(Reference).Where(c => c.Kind == GoldenKind.Model).ToList();

    [Fact]
    public void Engine_of_both_builds_equals_the_reference_on_every_golden_model()
    {
        var deviceTrace = DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");
        var deviceClassify = DeviceBuild.Method<Func<byte[], int[], int, int[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Classify");
        List<GoldenCase> cases = ModelCases();
        Assert.True(cases.Count >= 20, $"only {cases.Count} model vectors");
        foreach (GoldenCase c in cases)
        {
            Assert.True(c.Trace.AsSpan().SequenceEqual(DeviceProbe.Trace(c.File, c.Raw, c.Readings)), $"{c.Name}: desktop engine differs from the reference");
            Assert.True(c.Trace.AsSpan().SequenceEqual(deviceTrace(c.File, c.Raw, c.Readings)), $"{c.Name}: nanoFramework build differs from the reference");
            Assert.Equal(c.Classes, DeviceProbe.Classify(c.File, c.Raw, c.Readings));
            Assert.Equal(c.Classes, deviceClassify(c.File, c.Raw, c.Readings));
        }
    }

    public static TheoryData<string> Families => new() { "dense", "cnn", "direct", "lateral", "complete", "indirect" };

    [Theory]
    [MemberData(nameof(Families))]
    public void Engine_of_both_builds_equals_the_reference_on_random_models(string family)
    {
        var deviceTrace = DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");
        var deviceClassify = DeviceBuild.Method<Func<byte[], int[], int, int[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Classify");
        var rng = new Random(4242 + family.Length * 7 + family[0]);
        int compared = 0, binary = 0;
        for (int n = 0; n < 250; n++)
        {
            Model model = family == "dense"
                ? RandomModels.Dense(rng, rng.Next(1, 7), Enumerable.Range(0, rng.Next(1, 4)).Select(_ => rng.Next(1, 9)).ToArray(), window: rng.Next(1, 4))
                : RandomLayers.Model(rng, family);
            byte[] file = ModelWriter.Write(model);
            Assert.Null(DeviceProbe.Check(file, int.MaxValue));
            int readings = rng.Next(1, 8);
            int[] raw = RandomModels.Readings(rng, readings * model.FeatureCount);
            sbyte[] expected = Reference.Trace(model, raw, readings);
            int[] classes = Reference.Classes(model, raw, readings);
            Assert.True(expected.AsSpan().SequenceEqual(DeviceProbe.Trace(file, raw, readings)), $"{family} model {n}: desktop engine differs from the reference");
            Assert.True(expected.AsSpan().SequenceEqual(deviceTrace(file, raw, readings)), $"{family} model {n}: nanoFramework build differs from the reference");
            Assert.Equal(classes, DeviceProbe.Classify(file, raw, readings));
            Assert.Equal(classes, deviceClassify(file, raw, readings));
            compared += expected.Length;
            if (model.OutputLayer.OutputLength == 1) binary++;
        }
        Assert.True(compared > 3_000, $"compared only {compared} values");
        if (family == "dense") Assert.True(binary > 20, $"only {binary} single-output models (the threshold rule)");
    }

    [Fact]
    public void A_device_build_with_an_altered_kernel_disagrees_with_the_reference()
    {
        // The same alteration as the demo's divergent-build test (requantization subtracts the zero point):
        // the golden models expect the reference's integers, so that build must miss them.
        string folder = Path.Combine(Cli.CliRunner.TempFolder(), "nf-altered");
        Directory.CreateDirectory(folder);
        foreach (string dll in Directory.GetFiles(DeviceBuild.Folder, "*.dll")) File.Copy(dll, Path.Combine(folder, Path.GetFileName(dll)));
        Assert.Equal(1, Cli.DemoTests.AlterKernel(Path.Combine(folder, "EdgeNet.Shared.dll")));
        var altered = new DeviceAssembly(folder).Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");
        var unaltered = DeviceBuild.Method<Func<byte[], int[], int, sbyte[]>>("EdgeNet.Probe", "EdgeNet.Engine.DeviceProbe", "Trace");

        List<GoldenCase> cases = ModelCases();
        int differ = cases.Count(c => !c.Trace.AsSpan().SequenceEqual(altered(c.File, c.Raw, c.Readings)));
        Assert.All(cases, c => Assert.True(c.Trace.AsSpan().SequenceEqual(unaltered(c.File, c.Raw, c.Readings)), c.Name));
        Console.WriteLine($"altered kernel: {differ} of {cases.Count} golden models differ from the reference");
        Assert.True(differ >= 12, $"only {differ} of {cases.Count} golden models caught the altered kernel");
    }

    [Fact]
    public void The_reference_calls_no_engine_kernel_or_reader_code()
    {
        // It may read fields of EdgeNet.Shared's Model and Layer objects and test their types, nothing else:
        // no call into that assembly at all (not even a property getter), so none of the code it checks.
        Assembly reference = typeof(IntegerReference).Assembly;
        Assembly shared = typeof(Model).Assembly;
        var calls = new List<string>();
        int methods = 0;
        foreach (Type t in reference.GetTypes())
        {
            foreach (MethodBase m in t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                         .Cast<MethodBase>().Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)))
            {
                byte[]? il = m.GetMethodBody()?.GetILAsByteArray();
                if (il == null) continue;
                methods++;
                foreach (MethodBase target in CalledMethods(m.Module, il, t, m))
                {
                    if (target.DeclaringType?.Assembly == shared) calls.Add($"{t.Name}.{m.Name} calls {target.DeclaringType.FullName}.{target.Name}");
                }
            }
        }
        Assert.True(methods >= 15, $"scanned only {methods} methods");
        Assert.Empty(calls);
    }

    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The targets of every call, callvirt, newobj, ldftn and ldvirtftn in a method body.</summary>
    private static IEnumerable<MethodBase> CalledMethods(Module module, byte[] il, Type type, MethodBase method)
    {
        Type[]? typeArgs = type.IsGenericType ? type.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            OpCode op = Codes[value];
            i += op.Size;
            int operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj || op == OpCodes.Ldftn || op == OpCodes.Ldvirtftn)
            {
                MethodBase? target = module.ResolveMethod(BitConverter.ToInt32(il, i), typeArgs, methodArgs);
                if (target != null) yield return target;
            }
            i += operand;
        }
    }
}
