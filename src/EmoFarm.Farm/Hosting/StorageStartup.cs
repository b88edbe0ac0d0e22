using EmoFarm.Farm.Storage;
using Microsoft.Extensions.Hosting;

namespace EmoFarm.Farm.Hosting;

/// <summary>Creates the bucket before the bus starts delivering work that writes to it.</summary>
internal sealed class StorageStartup(IBlobStore blobs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => blobs.EnsureReadyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
