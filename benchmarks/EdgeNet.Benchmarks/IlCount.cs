using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace EdgeNet.Benchmarks;

/// <summary>
/// Counts the IL instructions a kernel's innermost loop executes per multiply-accumulate, read from the
/// nanoFramework-compiled assembly: the interpreter pays per instruction, so this is a proxy for its cost.
/// A loop is the range from a backward branch's target to the branch; innermost loops contain no other;
/// MACs per iteration = the number of `mul` instructions in it.
/// </summary>
public static class IlCount
{
    public sealed record Loop(int Start, int End, int Instructions, int Multiplies)
    {
        public double PerMac => Multiplies == 0 ? double.NaN : (double)Instructions / Multiplies;
    }

    public sealed record Result(string Method, int BodyBytes, int BodyInstructions, IReadOnlyList<Loop> InnerLoops)
    {
        /// <summary>The loop doing most of the MACs (the unrolled one, if any).</summary>
        public Loop Main => InnerLoops.OrderByDescending(l => l.Multiplies).ThenBy(l => l.Start).First();
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static Result Analyze(string assemblyPath, string typeFullName, string methodName)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        MetadataReader md = pe.GetMetadataReader();
        foreach (TypeDefinitionHandle th in md.TypeDefinitions)
        {
            TypeDefinition t = md.GetTypeDefinition(th);
            string full = md.GetString(t.Namespace) + "." + md.GetString(t.Name);
            if (full != typeFullName) continue;
            foreach (MethodDefinitionHandle mh in t.GetMethods())
            {
                MethodDefinition m = md.GetMethodDefinition(mh);
                if (md.GetString(m.Name) != methodName) continue;
                byte[] il = pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes()!;
                return Analyze(typeFullName + "." + methodName, il);
            }
        }
        throw new MissingMethodException(typeFullName, methodName);
    }

    public static Result Analyze(string name, byte[] il)
    {
        var starts = new List<int>();
        var names = new List<string>();
        var branches = new List<(int At, int Target)>();
        int pc = 0;
        while (pc < il.Length)
        {
            int at = pc;
            short value = il[pc] == 0xFE ? (short)(0xFE00 | il[pc + 1]) : il[pc];
            OpCode op = OpCodesByValue[value];
            pc += op.Size;
            int operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pc),
                _ => 4,
            };
            if (op.OperandType == OperandType.ShortInlineBrTarget) branches.Add((at, pc + 1 + (sbyte)il[pc]));
            if (op.OperandType == OperandType.InlineBrTarget) branches.Add((at, pc + 4 + BitConverter.ToInt32(il, pc)));
            pc += operand;
            starts.Add(at);
            names.Add(op.Name!);
        }
        var loops = branches.Where(b => b.Target <= b.At).Select(b => (Start: b.Target, End: b.At)).ToList();
        var inner = loops.Where(l => !loops.Any(o => o != l && o.Start >= l.Start && o.End <= l.End)).ToList();
        var result = new List<Loop>();
        foreach (var (s, e) in inner)
        {
            int count = 0, muls = 0;
            for (int k = 0; k < starts.Count; k++)
            {
                if (starts[k] < s || starts[k] > e) continue;
                count++;
                if (names[k] == "mul") muls++;
            }
            result.Add(new Loop(s, e, count, muls));
        }
        return new Result(name, il.Length, starts.Count, result);
    }
}
