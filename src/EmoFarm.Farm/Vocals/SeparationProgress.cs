namespace EmoFarm.Farm.Vocals;

/// <summary>Chunks of the mix the model has run on so far, of all the separation will run.</summary>
public readonly record struct SeparationProgress(int ChunksDone, int ChunksTotal);
