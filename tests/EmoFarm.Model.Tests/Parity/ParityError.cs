namespace EmoFarm.Model.Tests.Parity;

/// <summary>Largest absolute and relative differences between our output and a reference tensor.</summary>
public sealed record ParityError(string Name, double MaxAbs, double MaxRel)
{
    public override string ToString() => $"{Name}: max abs {MaxAbs:E3}, max rel {MaxRel:E3}";
}
