using EmoFarm.Model.Checkpoints;

namespace EmoFarm.Model.Loading;

/// <summary>How one component of a model folder loaded.</summary>
/// <param name="Component">net, vae or audio_encoder.</param>
/// <param name="File">The file, relative to the model folder.</param>
/// <param name="Format">The file's kind (<see cref="ICheckpointFile.Format"/>).</param>
/// <param name="Report">Keys loaded, missing, unexpected, ignored and mis-shaped.</param>
public sealed record ComponentReport(string Component, string File, string Format, LoadReport Report);
