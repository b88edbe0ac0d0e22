using System.CommandLine;
using EmoFarm.Api.V1;
using Spectre.Console;

namespace EmoFarm.Cli.Remote;

/// <summary>`emofarm tenants …`: tenants and their API keys, for administrators.</summary>
internal static class TenantCommands
{
    public static Command Create(FarmClient client) => new("tenants", "Manage tenants and their API keys (administrators only)")
    {
        CreateTenant(client),
        AddKey(client),
        List(client),
        Revoke(client),
        Rotate(client),
    };

    private static Command CreateTenant(FarmClient client)
    {
        var name = new Argument<string>("name") { Description = "Tenant name: 1 to 63 lowercase letters, digits and inner dashes" };
        var admin = new Option<bool>("--admin") { Description = "Its first key is an administrator's: it sees every tenant" };
        var description = new Option<string?>("--description") { Description = "What the key is for, shown by `tenants list`" };
        var active = new Option<uint?>("--max-active-renders") { Description = "Renders not yet finished (default: Quotas:Default)" };
        var queued = new Option<double?>("--max-queued-audio-seconds") { Description = "Audio seconds in unfinished renders (default: Quotas:Default)" };
        var perRender = new Option<double?>("--max-audio-seconds-per-render") { Description = "Longest track in one render (default: Quotas:Default)" };
        var rate = new Option<uint?>("--creates-per-minute") { Description = "Renders it may create per minute (default: Quotas:Default)" };
        var command = new Command("create", "Create a tenant and its first API key, shown once") { name, admin, description, active, queued, perRender, rate };
        command.SetAction(async (result, ct) =>
        {
            var quota = new QuotaLimits();
            if (result.GetValue(active) is { } a)
                quota.MaxActiveRenders = a;
            if (result.GetValue(queued) is { } q)
                quota.MaxQueuedAudioSeconds = q;
            if (result.GetValue(perRender) is { } p)
                quota.MaxAudioSecondsPerRender = p;
            if (result.GetValue(rate) is { } r)
                quota.CreatesPerMinute = r;
            var issued = await client.Tenants(result).CreateTenantAsync(new CreateTenantRequest
            {
                Name = result.GetValue(name)!,
                Admin = result.GetValue(admin),
                Description = result.GetValue(description) ?? "",
                Quota = quota,
            }, cancellationToken: ct);
            return Show(issued);
        });
        return command;
    }

    private static Command AddKey(FarmClient client)
    {
        var tenant = new Argument<string>("tenant") { Description = "An existing tenant" };
        var admin = new Option<bool>("--admin") { Description = "An administrator's key" };
        var description = new Option<string?>("--description") { Description = "What the key is for" };
        var command = new Command("add-key", "Issue another API key for a tenant, shown once") { tenant, admin, description };
        command.SetAction(async (result, ct) => Show(await client.Tenants(result).CreateApiKeyAsync(new CreateApiKeyRequest
        {
            Tenant = result.GetValue(tenant)!,
            Admin = result.GetValue(admin),
            Description = result.GetValue(description) ?? "",
        }, cancellationToken: ct)));
        return command;
    }

    private static Command List(FarmClient client)
    {
        var command = new Command("list", "List tenants, their quotas and their keys (never the keys themselves)");
        command.SetAction(async (result, ct) =>
        {
            var response = await client.Tenants(result).ListTenantsAsync(new ListTenantsRequest(), cancellationToken: ct);
            var tenants = new Table().AddColumns("tenant", "created", "max active", "max queued s", "max s per render", "creates/min");
            foreach (var t in response.Tenants)
            {
                tenants.AddRow(t.Name, t.CreatedAt.ToDateTimeOffset().ToString("u"),
                    t.Quota.HasMaxActiveRenders ? $"{t.Quota.MaxActiveRenders}" : "default",
                    t.Quota.HasMaxQueuedAudioSeconds ? $"{t.Quota.MaxQueuedAudioSeconds:F0}" : "default",
                    t.Quota.HasMaxAudioSecondsPerRender ? $"{t.Quota.MaxAudioSecondsPerRender:F0}" : "default",
                    t.Quota.HasCreatesPerMinute ? $"{t.Quota.CreatesPerMinute}" : "default");
            }

            AnsiConsole.Write(tenants);
            var keys = new Table().AddColumns("key id", "tenant", "admin", "created", "revoked", "description");
            foreach (var k in response.Keys)
            {
                keys.AddRow(k.Id, k.Tenant, k.Admin ? "yes" : "", k.CreatedAt.ToDateTimeOffset().ToString("u"),
                    k.RevokedAt is null ? "" : k.RevokedAt.ToDateTimeOffset().ToString("u"), Markup.Escape(k.Description));
            }

            AnsiConsole.Write(keys);
            return 0;
        });
        return command;
    }

    private static Command Revoke(FarmClient client)
    {
        var id = new Argument<string>("key-id") { Description = "The key's id, as `tenants list` shows it" };
        var command = new Command("revoke", "Revoke an API key; it is refused from the next call on") { id };
        command.SetAction(async (result, ct) =>
        {
            var key = await client.Tenants(result).RevokeApiKeyAsync(new RevokeApiKeyRequest { Id = result.GetValue(id)! }, cancellationToken: ct);
            Console.WriteLine($"revoked {key.Id} of tenant {key.Tenant}");
            return 0;
        });
        return command;
    }

    private static Command Rotate(FarmClient client)
    {
        var id = new Argument<string>("key-id") { Description = "The key to replace" };
        var command = new Command("rotate", "Issue a new key with the same tenant and role, shown once, and revoke the old one") { id };
        command.SetAction(async (result, ct) =>
            Show(await client.Tenants(result).RotateApiKeyAsync(new RotateApiKeyRequest { Id = result.GetValue(id)! }, cancellationToken: ct)));
        return command;
    }

    private static int Show(IssuedKey issued)
    {
        if (issued.Revoked is { } old)
            Console.Error.WriteLine($"revoked {old.Id}");
        Console.Error.WriteLine($"key {issued.Key.Id} of tenant {issued.Key.Tenant}{(issued.Key.Admin ? " (admin)" : "")}; it is shown only this once:");
        // The secret alone on stdout, so that `KEY=$(emofarm tenants create acme)` captures exactly it.
        Console.WriteLine(issued.Secret);
        return 0;
    }
}
