using System.Net.Sockets;
using Minio.Exceptions;
using StackExchange.Redis;

namespace EmoFarm.Farm.Messaging;

/// <summary>
/// Which exceptions mean "a service the farm depends on is briefly unreachable" (Redis, the bucket, the broker
/// restarting) rather than "this work cannot be done". The first kind is retried in memory without using up one of
/// a segment's attempts; the second counts as a failed attempt.
/// </summary>
public static class TransientFaults
{
    public static bool Is(Exception e) => e switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        ConnectionException or InternalServerException => true,
        HttpRequestException or SocketException or TimeoutException => true,
        MassTransit.RabbitMqConnectionException => true,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(Is),
        _ => e.InnerException is { } inner && Is(inner),
    };
}
