using System.Buffers.Binary;
using System.Text;

namespace EmoFarm.Model.Tests;

/// <summary>Emits pickle opcodes by hand, to craft the pickles torch.save writes and the ones it never should.</summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public PickleBuilder Op(byte opcode)
    {
        _bytes.Add(opcode);
        return this;
    }

    public PickleBuilder Proto(byte version = 2) => Op(0x80).Op(version);

    public PickleBuilder Mark() => Op((byte)'(');

    public PickleBuilder Tuple() => Op((byte)'t');

    public PickleBuilder EmptyTuple() => Op((byte)')');

    public PickleBuilder Reduce() => Op((byte)'R');

    public PickleBuilder BinPersId() => Op((byte)'Q');

    public PickleBuilder SetItems() => Op((byte)'u');

    public PickleBuilder False() => Op(0x89);

    public PickleBuilder Stop() => Op((byte)'.');

    /// <summary>GLOBAL: "module\nname\n", as protocol 2 spells a class or function reference.</summary>
    public PickleBuilder Global(string module, string name) => Op((byte)'c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    /// <summary>STACK_GLOBAL (protocol 4): module and name as strings on the stack.</summary>
    public PickleBuilder StackGlobal(string module, string name) => String(module).String(name).Op(0x93);

    /// <summary>BINUNICODE.</summary>
    public PickleBuilder String(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Op((byte)'X').Raw(length.ToArray()).Raw(utf8);
    }

    /// <summary>BININT1, BININT or LONG1, whichever pickle would pick.</summary>
    public PickleBuilder Int(long value)
    {
        if (value is >= 0 and < 256)
        {
            return Op((byte)'K').Op((byte)value);
        }

        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return value is >= int.MinValue and <= int.MaxValue
            ? Op((byte)'J').Raw(bytes[..4])
            : Op(0x8a).Op(8).Raw(bytes);
    }

    public PickleBuilder Ints(IEnumerable<long> values)
    {
        Mark();
        foreach (var v in values)
        {
            Int(v);
        }

        return Tuple();
    }

    public PickleBuilder Raw(byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
