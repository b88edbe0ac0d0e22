namespace EmoFarm.Farm.Tests.Corpus;

/// <summary>What a hostile input's mutation demands of the orchestrator.</summary>
internal enum Expectation
{
    /// <summary>No valid file or parameter can come out of this mutation: it must be refused.</summary>
    Refuse,

    /// <summary>The content is valid (only its name lies): it must be accepted as a normal render.</summary>
    Accept,

    /// <summary>The mutation may or may not leave a valid file; a refusal must still be clean.</summary>
    Either,
}
