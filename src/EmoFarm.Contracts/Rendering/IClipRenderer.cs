namespace EmoFarm.Contracts.Rendering;

/// <summary>
/// The seam between the farm and the diffusion model. The farm plans, stores and schedules; the renderer turns a
/// portrait, an audio slice and the previous clip's motion frames into the next clip's frames.
/// </summary>
public interface IClipRenderer
{
    RendererInfo Info { get; }

    /// <summary>Prepares one segment: encodes the audio slice and the reference portrait once.</summary>
    Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken);
}
