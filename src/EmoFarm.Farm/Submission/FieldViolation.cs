namespace EmoFarm.Farm.Submission;

/// <summary>One invalid input: the field's path as the client sent it, and what limit it broke.</summary>
public sealed record FieldViolation(string Field, string Description);
