using System.Buffers.Binary;
using System.Text;

namespace EmoFarm.Model.Checkpoints;

/// <summary>
/// Reads the pickle of a <c>torch.save</c> state dict as data. It implements only the opcodes such a pickle uses and
/// resolves only the globals in <see cref="TorchPickleCalls"/>; anything else is refused before it is ever pushed.
/// Nothing is imported, called or constructed: a "call" of an allowed global is recognised and turned into a record.
/// </summary>
internal sealed class TorchUnpickler
{
    private readonly string _file;
    private readonly byte[] _data;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private readonly TorchPickleCalls _calls;
    private int _pos;

    private TorchUnpickler(string file, byte[] data)
    {
        _file = file;
        _data = data;
        _calls = new TorchPickleCalls(file);
    }

    /// <summary>The tensors of a flat state dict (string keys, tensor values), in the dict's order.</summary>
    public static IReadOnlyList<(string Name, TorchPickleCalls.TensorView Tensor)> ReadStateDict(string file, byte[] pickle)
    {
        var root = new TorchUnpickler(file, pickle).Run();
        if (root is not TorchPickleCalls.PickleDict dict)
        {
            throw new InvalidDataException($"{file}: the pickle holds a {TorchPickleCalls.Describe(root)}, not a state dict of tensors.");
        }

        var tensors = new List<(string, TorchPickleCalls.TensorView)>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
            {
                throw new InvalidDataException($"{file}: a state-dict key is a {TorchPickleCalls.Describe(key)}, not a string.");
            }

            tensors.Add(value is TorchPickleCalls.TensorView tensor
                ? (name, tensor)
                : throw new InvalidDataException(
                    $"{file}: '{name}' holds a {TorchPickleCalls.Describe(value)}, not a tensor; only a flat state dict of tensors is read."));
        }

        return tensors;
    }

    private object? Run()
    {
        while (true)
        {
            var at = _pos;
            var op = Byte();
            switch (op)
            {
                case 0x80: Byte(); break; // PROTO: any version; the opcodes themselves are checked
                case 0x95: Bytes(8); break; // FRAME: a length hint only
                case (byte)'.': return _stack.Count == 1 ? Pop() : throw Corrupt(at, $"STOP with {_stack.Count} values on the stack");
                case (byte)'(': _marks.Push(_stack.Count); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopMark(at); break;
                case (byte)'}': Push(new TorchPickleCalls.PickleDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case (byte)'t': Push(PopMark(at).ToArray()); break;
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); Push(new[] { Pop(), b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); Push(new[] { Pop(), b, c }); break; }
                case (byte)'q': _memo[Byte()] = Top(at); break;
                case (byte)'r': _memo[UInt32()] = Top(at); break;
                case 0x94: _memo[_memo.Count] = Top(at); break;
                case (byte)'h': Push(Memo(at, Byte())); break;
                case (byte)'j': Push(Memo(at, UInt32())); break;
                case 0x8c: Push(Utf8(Byte())); break;
                case (byte)'X': Push(Utf8(UInt32())); break;
                case 0x8d: Push(Utf8(checked((long)BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8))))); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break;
                case (byte)'K': Push((long)Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break;
                case 0x8a: Push(Long1(at)); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;
                case (byte)'c': Push(_calls.Global(Line(), Line())); break;
                case 0x93: { var name = PopString(at); Push(_calls.Global(PopString(at), name)); break; }
                case (byte)'R': { var args = Pop(); Push(_calls.Reduce(Pop(), args)); break; }
                case (byte)'Q': Push(_calls.PersistentLoad(Pop())); break;
                case (byte)'b': { var state = Pop(); TorchPickleCalls.Build(_file, Top(at), state); break; }
                case (byte)'s': { var value = Pop(); var key = Pop(); Dict(at).Set(key, value); break; }
                case (byte)'u': SetItems(at); break;
                case (byte)'a': { var value = Pop(); List(at).Add(value); break; }
                case (byte)'e': { var items = PopMark(at); List(at).AddRange(items); break; }
                default: throw Refuse(at, op);
            }
        }
    }

    private void SetItems(int at)
    {
        var items = PopMark(at);
        if (items.Count % 2 != 0)
        {
            throw Corrupt(at, "SETITEMS with an odd number of values");
        }

        var dict = Dict(at);
        for (var i = 0; i < items.Count; i += 2)
        {
            dict.Set(items[i], items[i + 1]);
        }
    }

    private Exception Refuse(int at, byte op)
    {
        var name = op switch
        {
            (byte)'i' => "INST",
            (byte)'o' => "OBJ",
            0x81 => "NEWOBJ",
            0x92 => "NEWOBJ_EX",
            0x82 or 0x83 or 0x84 => "EXT",
            (byte)'P' => "PERSID",
            _ => null,
        };
        return name is null
            ? Corrupt(at, $"opcode 0x{op:x2} is not one a tensor state dict uses")
            : new UnsafePickleException($"{_file}: pickle uses {name} (object construction) at byte {at}, which a tensor state dict never needs; refusing to load it");
    }

    private InvalidDataException Corrupt(int at, string problem) => new($"{_file}: corrupt pickle at byte {at}: {problem}.");

    private void Push(object? value) => _stack.Add(value);

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() == _stack.Count))
        {
            throw Corrupt(_pos - 1, "pop from an empty stack");
        }

        var value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object? Top(int at) =>
        _stack.Count > 0 && (_marks.Count == 0 || _marks.Peek() < _stack.Count) ? _stack[^1] : throw Corrupt(at, "empty stack");

    private List<object?> PopMark(int at)
    {
        if (_marks.Count == 0)
        {
            throw Corrupt(at, "no MARK");
        }

        var start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private string PopString(int at) => Pop() as string ?? throw Corrupt(at, "STACK_GLOBAL needs two strings");

    private TorchPickleCalls.PickleDict Dict(int at) => Top(at) as TorchPickleCalls.PickleDict ?? throw Corrupt(at, "SETITEM on something other than a dict");

    private List<object?> List(int at) => Top(at) as List<object?> ?? throw Corrupt(at, "APPEND on something other than a list");

    private object? Memo(int at, long index) => _memo.TryGetValue(index, out var value) ? value : throw Corrupt(at, $"memo {index} was never set");

    private byte Byte() => Bytes(1)[0];

    private long UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    private ReadOnlySpan<byte> Bytes(long count)
    {
        if (count > _data.Length - _pos)
        {
            throw Corrupt(_pos, $"{count} bytes wanted, {_data.Length - _pos} left");
        }

        var span = _data.AsSpan(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private string Utf8(long length) => Encoding.UTF8.GetString(Bytes(length));

    private string Line()
    {
        var end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0)
        {
            throw Corrupt(_pos, "GLOBAL without a newline");
        }

        var text = Encoding.Latin1.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return text;
    }

    private long Long1(int at)
    {
        var n = Byte();
        if (n > 8)
        {
            throw Corrupt(at, $"a {n}-byte integer does not fit in 64 bits");
        }

        var bytes = Bytes(n);
        long value = 0;
        for (var i = n - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[i];
        }

        // Little-endian two's complement: sign-extend from the top byte.
        return n is 0 or 8 || (bytes[n - 1] & 0x80) == 0 ? value : value - (1L << (8 * n));
    }
}
