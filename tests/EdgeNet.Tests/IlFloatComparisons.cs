using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace EdgeNet.Tests;

/// <summary>
/// Finds every comparison of floating-point values in a compiled assembly. The comparison opcodes (ceq, cgt,
/// clt, beq, bge, ..., and their .un forms) are the same for int and float, so the IL is walked with the type
/// of every evaluation-stack slot (float/double or not), taken from the method, local and field signatures
/// and the opcodes' stack behaviour. The stack at a merge point is the one recorded by the branch to it;
/// after an unconditional branch with no recorded state it is empty (ECMA-335 III.1.7.5).
/// </summary>
internal sealed class IlFloatComparisons
{
    /// <summary>One float comparison: where it is, and where its opcode byte lies in the file (for patching).</summary>
    public sealed record Site(string Method, int IlOffset, OpCode Op, int FileOffset);

    private static readonly Dictionary<short, OpCode> Codes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static readonly HashSet<OpCode> Comparisons = new()
    {
        OpCodes.Ceq, OpCodes.Cgt, OpCodes.Cgt_Un, OpCodes.Clt, OpCodes.Clt_Un,
        OpCodes.Beq, OpCodes.Beq_S, OpCodes.Bne_Un, OpCodes.Bne_Un_S,
        OpCodes.Bge, OpCodes.Bge_S, OpCodes.Bge_Un, OpCodes.Bge_Un_S, OpCodes.Bgt, OpCodes.Bgt_S, OpCodes.Bgt_Un, OpCodes.Bgt_Un_S,
        OpCodes.Ble, OpCodes.Ble_S, OpCodes.Ble_Un, OpCodes.Ble_Un_S, OpCodes.Blt, OpCodes.Blt_S, OpCodes.Blt_Un, OpCodes.Blt_Un_S,
    };

    private readonly PEReader _pe;
    private readonly MetadataReader _md;

    public IlFloatComparisons(PEReader pe)
    {
        _pe = pe;
        _md = pe.GetMetadataReader();
    }

    /// <summary>"Namespace.Type.Method" of every method with a body.</summary>
    public IEnumerable<(string Name, MethodDefinitionHandle Handle)> Methods()
    {
        foreach (MethodDefinitionHandle h in _md.MethodDefinitions)
        {
            if (_md.GetMethodDefinition(h).RelativeVirtualAddress != 0) yield return (Name(h), h);
        }
    }

    public string Name(MethodDefinitionHandle h)
    {
        MethodDefinition m = _md.GetMethodDefinition(h);
        TypeDefinition t = _md.GetTypeDefinition(m.GetDeclaringType());
        string type = _md.GetString(t.Name);
        if (t.GetDeclaringType() is { IsNil: false } outer) type = _md.GetString(_md.GetTypeDefinition(outer).Name) + "+" + type;
        string ns = _md.GetString(t.Namespace);
        if (t.GetDeclaringType() is { IsNil: false } o2) ns = _md.GetString(_md.GetTypeDefinition(o2).Namespace);
        return ns + "." + type + "." + _md.GetString(m.Name);
    }

    /// <summary>Every float comparison in the assembly.</summary>
    public List<Site> All() => Methods().SelectMany(m => In(m.Handle)).ToList();

    /// <summary>The float comparisons of one method.</summary>
    public List<Site> In(MethodDefinitionHandle handle)
    {
        string name = Name(handle);
        MethodDefinition def = _md.GetMethodDefinition(handle);
        MethodBodyBlock body = _pe.GetMethodBody(def.RelativeVirtualAddress);
        var provider = new FloatTypes();
        MethodSignature<Slot> signature = def.DecodeSignature(provider, null);
        var args = new List<bool>();
        if (signature.Header.IsInstance) args.Add(false);
        args.AddRange(signature.ParameterTypes.Select(t => t == Slot.Float));
        ImmutableArray<bool> locals = body.LocalSignature.IsNil
            ? ImmutableArray<bool>.Empty
            : _md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null).Select(t => t == Slot.Float).ToImmutableArray();

        var saved = new Dictionary<int, List<bool>>();
        foreach (ExceptionRegion region in body.ExceptionRegions)
        {
            saved[region.HandlerOffset] = region.Kind is ExceptionRegionKind.Catch or ExceptionRegionKind.Filter ? [false] : [];
            if (region.Kind == ExceptionRegionKind.Filter) saved[region.FilterOffset] = [false];
        }

        int ilStart = IlFileOffset(handle);
        var sites = new List<Site>();
        var stack = new List<bool>();
        bool unreachable = false;
        BlobReader il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            if (saved.TryGetValue(offset, out var state)) stack = new List<bool>(state);
            else if (unreachable) stack = new List<bool>();
            unreachable = false;

            short value = il.ReadByte();
            if (value == 0xFE) value = unchecked((short)(0xFE00 | il.ReadByte()));
            OpCode op = Codes[value];
            int operand = 0;
            var targets = new List<int>();
            switch (op.OperandType)
            {
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget: operand = il.ReadSByte(); targets.Add(il.Offset + operand); break;
                case OperandType.InlineBrTarget: operand = il.ReadInt32(); targets.Add(il.Offset + operand); break;
                case OperandType.ShortInlineI: case OperandType.ShortInlineVar: operand = il.ReadByte(); break;
                case OperandType.InlineVar: operand = il.ReadUInt16(); break;
                case OperandType.InlineI8: case OperandType.InlineR: il.ReadInt64(); break;
                case OperandType.ShortInlineR: il.ReadSingle(); break;
                case OperandType.InlineSwitch:
                    int n = il.ReadInt32();
                    int[] deltas = new int[n];
                    for (int i = 0; i < n; i++) deltas[i] = il.ReadInt32();
                    foreach (int d in deltas) targets.Add(il.Offset + d);
                    break;
                default: operand = il.ReadInt32(); break;
            }

            if (Comparisons.Contains(op) && stack.Count >= 2 && (stack[^1] || stack[^2]))
                sites.Add(new Site(name, offset, op, ilStart + offset));

            int pops = Pops(op, operand, stack.Count);
            if (pops > stack.Count) throw new InvalidOperationException($"{name} IL_{offset:X4} {op.Name}: stack underflow in the analysis");
            bool poppedFloat = false;
            for (int i = 0; i < pops; i++) { poppedFloat |= stack[^1]; stack.RemoveAt(stack.Count - 1); }
            Push(op, operand, poppedFloat, stack, args, locals);

            bool leave = op == OpCodes.Leave || op == OpCodes.Leave_S;
            foreach (int t in targets) saved.TryAdd(t, leave ? new List<bool>() : new List<bool>(stack));
            if (op == OpCodes.Br || op == OpCodes.Br_S || leave || op == OpCodes.Ret || op == OpCodes.Throw || op == OpCodes.Rethrow
                || op == OpCodes.Endfinally || op == OpCodes.Endfilter || op == OpCodes.Jmp)
                unreachable = true;
        }
        return sites;
    }

    private int Pops(OpCode op, int operand, int depth)
    {
        switch (op.StackBehaviourPop)
        {
            case StackBehaviour.Pop0: return 0;
            case StackBehaviour.Pop1: case StackBehaviour.Popi: case StackBehaviour.Popref: return 1;
            case StackBehaviour.Pop1_pop1: case StackBehaviour.Popi_pop1: case StackBehaviour.Popi_popi: case StackBehaviour.Popi_popi8:
            case StackBehaviour.Popi_popr4: case StackBehaviour.Popi_popr8: case StackBehaviour.Popref_pop1: case StackBehaviour.Popref_popi:
                return 2;
            case StackBehaviour.Varpop:
                if (op == OpCodes.Ret) return depth; // whatever is left; nothing follows
                if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Newobj)
                {
                    var (parameters, instance, _) = Callee(operand);
                    return parameters + (instance && op != OpCodes.Newobj ? 1 : 0);
                }
                throw new NotSupportedException("variable pop of " + op.Name);
            default: return 3; // the three-operand stores (stelem, stind, cpblk, initblk)
        }
    }

    private void Push(OpCode op, int operand, bool poppedFloat, List<bool> stack, List<bool> args, ImmutableArray<bool> locals)
    {
        switch (op.StackBehaviourPush)
        {
            case StackBehaviour.Push0: return;
            case StackBehaviour.Pushi: case StackBehaviour.Pushi8: case StackBehaviour.Pushref: stack.Add(false); return;
            case StackBehaviour.Pushr4: case StackBehaviour.Pushr8: stack.Add(true); return;
            case StackBehaviour.Push1_push1: stack.Add(poppedFloat); stack.Add(poppedFloat); return; // dup
            case StackBehaviour.Varpush:
                if (op == OpCodes.Newobj) { stack.Add(false); return; }
                var (_, _, returns) = Callee(operand);
                if (returns is bool r) stack.Add(r);
                return;
        }
        // Push1: a load, or arithmetic whose result has its operands' type.
        bool isFloat = op.Value switch
        {
            0x02 or 0x03 or 0x04 or 0x05 => args[op.Value - 0x02],                     // ldarg.0..3
            0x06 or 0x07 or 0x08 or 0x09 => locals[op.Value - 0x06],                   // ldloc.0..3
            _ when op == OpCodes.Ldarg_S || op == OpCodes.Ldarg => args[operand],
            _ when op == OpCodes.Ldloc_S || op == OpCodes.Ldloc => locals[operand],
            _ when op == OpCodes.Ldfld || op == OpCodes.Ldsfld => FieldIsFloat(operand),
            _ when op == OpCodes.Ldelem || op == OpCodes.Ldobj || op == OpCodes.Unbox_Any => TypeIsFloat(operand),
            _ => poppedFloat,
        };
        stack.Add(isFloat);
    }

    /// <summary>Parameter count, whether it has this, and whether it returns a float (null for void).</summary>
    private (int Parameters, bool Instance, bool? ReturnsFloat) Callee(int token)
    {
        EntityHandle h = MetadataTokens.EntityHandle(token);
        var provider = new FloatTypes();
        MethodSignature<Slot> sig = h.Kind switch
        {
            HandleKind.MethodDefinition => _md.GetMethodDefinition((MethodDefinitionHandle)h).DecodeSignature(provider, null),
            HandleKind.MemberReference => _md.GetMemberReference((MemberReferenceHandle)h).DecodeMethodSignature(provider, null),
            _ => throw new NotSupportedException("call through " + h.Kind),
        };
        return (sig.ParameterTypes.Length, sig.Header.IsInstance, sig.ReturnType == Slot.Void ? null : sig.ReturnType == Slot.Float);
    }

    private bool FieldIsFloat(int token)
    {
        EntityHandle h = MetadataTokens.EntityHandle(token);
        var provider = new FloatTypes();
        return h.Kind switch
        {
            HandleKind.FieldDefinition => _md.GetFieldDefinition((FieldDefinitionHandle)h).DecodeSignature(provider, null) == Slot.Float,
            HandleKind.MemberReference => _md.GetMemberReference((MemberReferenceHandle)h).DecodeFieldSignature(provider, null) == Slot.Float,
            _ => false,
        };
    }

    private bool TypeIsFloat(int token)
    {
        EntityHandle h = MetadataTokens.EntityHandle(token);
        if (h.Kind != HandleKind.TypeReference) return false;
        TypeReference t = _md.GetTypeReference((TypeReferenceHandle)h);
        return _md.GetString(t.Namespace) == "System" && _md.GetString(t.Name) is "Single" or "Double";
    }

    /// <summary>Where the method's IL (after its tiny or fat header) starts in the file, and its length.</summary>
    public int IlFileOffset(MethodDefinitionHandle handle)
    {
        int at = FileOffset(_md.GetMethodDefinition(handle).RelativeVirtualAddress);
        return at + ((_pe.GetEntireImage().GetContent()[at] & 3) == 2 ? 1 : 12);
    }

    public int IlLength(MethodDefinitionHandle handle) => _pe.GetMethodBody(_md.GetMethodDefinition(handle).RelativeVirtualAddress).Size;

    private int FileOffset(int rva)
    {
        foreach (SectionHeader s in _pe.PEHeaders.SectionHeaders)
        {
            if (rva >= s.VirtualAddress && rva < s.VirtualAddress + s.VirtualSize) return rva - s.VirtualAddress + s.PointerToRawData;
        }
        throw new InvalidOperationException("RVA outside every section");
    }

    /// <summary>What a signature type means on the evaluation stack.</summary>
    private enum Slot { Other, Float, Void }

    /// <summary>Decodes a signature into float/double, void, or anything else.</summary>
    private sealed class FloatTypes : ISignatureTypeProvider<Slot, object?>
    {
        public Slot GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Single or PrimitiveTypeCode.Double => Slot.Float,
            PrimitiveTypeCode.Void => Slot.Void,
            _ => Slot.Other,
        };
        public Slot GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => Slot.Other;
        public Slot GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Slot.Other;
        public Slot GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => Slot.Other;
        public Slot GetSZArrayType(Slot elementType) => Slot.Other;
        public Slot GetArrayType(Slot elementType, ArrayShape shape) => Slot.Other;
        public Slot GetByReferenceType(Slot elementType) => Slot.Other;
        public Slot GetPointerType(Slot elementType) => Slot.Other;
        public Slot GetPinnedType(Slot elementType) => elementType;
        public Slot GetModifiedType(Slot modifier, Slot unmodifiedType, bool isRequired) => unmodifiedType;
        public Slot GetGenericInstantiation(Slot genericType, ImmutableArray<Slot> typeArguments) => Slot.Other;
        public Slot GetGenericMethodParameter(object? genericContext, int index) => Slot.Other;
        public Slot GetGenericTypeParameter(object? genericContext, int index) => Slot.Other;
        public Slot GetFunctionPointerType(MethodSignature<Slot> signature) => Slot.Other;
    }
}
