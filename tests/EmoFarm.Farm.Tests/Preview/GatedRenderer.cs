using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Tests.Scheduling;

namespace EmoFarm.Farm.Tests.Preview;

/// <summary>
/// A test double for the GPU where a test must hold a render part-way at a point it chooses, without timing: every
/// segment renders small deterministic noise at once (<see cref="FixedTimeRenderer"/>), except the one seeded
/// <paramref name="heldSeed"/>, which begins only after <see cref="Release"/>.
/// </summary>
internal sealed class GatedRenderer(ulong heldSeed) : IClipRenderer
{
    private readonly FixedTimeRenderer _inner = new(TimeSpan.Zero);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RendererInfo Info => _inner.Info;

    /// <summary>Completes once the held segment has reached the gate.</summary>
    public Task Held => _held.Task;

    public void Release() => _released.TrySetResult();

    public async Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken)
    {
        if (setup.Seed == heldSeed)
        {
            _held.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }
        return await _inner.BeginAsync(setup, cancellationToken);
    }
}
