namespace EmoFarm.Farm.Submission;

/// <summary>One invalid input: the field's path as the client sent it, and what limit it broke.</summary>
/// <param name="TimedOut">
/// The field could not be judged within its time limit, so it may well be valid (a busy orchestrator runs out of time
/// on a valid file too): a request refused only for timeouts is DEADLINE_EXCEEDED, which a client may retry, not
/// INVALID_ARGUMENT.
/// </param>
public sealed record FieldViolation(string Field, string Description, bool TimedOut = false);
