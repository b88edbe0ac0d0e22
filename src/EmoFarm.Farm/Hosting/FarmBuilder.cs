using EmoFarm.Farm.Storage;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// A farm process being composed: the roles it runs add their services here and their consumers to the one bus
/// that <see cref="FarmServices.AddFarm"/> builds after them. Choices that shape the container itself (which
/// store, which transport) are made from the settings read once here; every section is still validated at start.
/// </summary>
public sealed class FarmBuilder
{
    private readonly List<Action<IBusRegistrationConfigurator>> _consumers = [];
    private readonly List<Action<IRabbitMqBusFactoryConfigurator>> _topology = [];
    private readonly HashSet<string> _roles = [];

    internal FarmBuilder(IServiceCollection services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
        Redis = Read<RedisOptions>(RedisOptions.Section);
        Rabbit = Read<RabbitOptions>(RabbitOptions.Section);
        S3 = Read<S3Options>(S3Options.Section);
    }

    public IServiceCollection Services { get; }

    public IConfiguration Configuration { get; }

    /// <summary>Redis as configured: state there when set, in memory otherwise.</summary>
    public RedisOptions Redis { get; }

    /// <summary>The broker as configured: RabbitMQ when a host is set, the in-memory transport otherwise.</summary>
    public RabbitOptions Rabbit { get; }

    /// <summary>The bucket as configured: S3 when an endpoint is set, a local folder otherwise.</summary>
    public S3Options S3 { get; }

    internal IReadOnlyCollection<string> Roles => _roles;

    /// <summary>Claims a role once: composing the same role twice would register its consumers twice.</summary>
    public void ClaimRole(string role)
    {
        if (!_roles.Add(role))
            throw new InvalidOperationException($"the {role} role is composed twice");
    }

    public FarmBuilder Consumer<TConsumer, TDefinition>()
        where TConsumer : class, IConsumer
        where TDefinition : class, IConsumerDefinition<TConsumer>
    {
        _consumers.Add(x => x.AddConsumer<TConsumer, TDefinition>());
        return this;
    }

    /// <summary>RabbitMQ topology a role declares beyond its own endpoints (ignored on the in-memory transport).</summary>
    public FarmBuilder RabbitTopology(Action<IRabbitMqBusFactoryConfigurator> declare)
    {
        _topology.Add(declare);
        return this;
    }

    internal void AddConsumersTo(IBusRegistrationConfigurator bus) => _consumers.ForEach(add => add(bus));

    internal void DeclareTopology(IRabbitMqBusFactoryConfigurator bus) => _topology.ForEach(declare => declare(bus));

    private T Read<T>(string section) where T : new() => Configuration.GetSection(section).Get<T>() ?? new T();
}
