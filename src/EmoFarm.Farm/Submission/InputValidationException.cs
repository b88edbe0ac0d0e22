namespace EmoFarm.Farm.Submission;

public sealed class InputValidationException(IReadOnlyList<FieldViolation> violations)
    : Exception("invalid render request: " + string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}")))
{
    public IReadOnlyList<FieldViolation> Violations { get; } = violations;
}
