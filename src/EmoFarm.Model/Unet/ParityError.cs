namespace EmoFarm.Model.Unet;

/// <summary>One compared output: max |ours − reference| and that divided by max |reference|.</summary>
public sealed record ParityError(string Name, double MaxAbs, double MaxRel);
