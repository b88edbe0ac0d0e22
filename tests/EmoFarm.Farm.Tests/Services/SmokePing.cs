using Xunit;

namespace EmoFarm.Farm.Tests.Services;

/// <summary>A message for the broker smoke test; MassTransit needs it public and inside a namespace.</summary>
public sealed record SmokePing(Guid Id, string Text);
