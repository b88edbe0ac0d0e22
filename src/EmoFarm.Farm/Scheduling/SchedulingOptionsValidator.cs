using EmoFarm.Farm.State;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Scheduling;

/// <summary>Checks what data annotations cannot: the tenants' names, each share's range, and that shares fit the window.</summary>
public sealed class SchedulingOptionsValidator : IValidateOptions<SchedulingOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulingOptions options)
    {
        var errors = new List<string>();
        Check("Scheduling:Default", options.Default, errors);
        foreach (var (tenant, share) in options.Tenants)
        {
            if (!TenantName.IsValid(tenant))
                errors.Add($"Scheduling:Tenants:{tenant}: not a tenant name");
            Check($"Scheduling:Tenants:{tenant}", share, errors);
        }
        var shares = options.Tenants.Values.Sum(t => t.Share);
        if (shares > 1 + 1e-9)
            errors.Add($"Scheduling:Tenants: the shares add up to {shares:F3}, over the whole window (1)");
        if (options.SweepInterval <= TimeSpan.Zero)
            errors.Add($"Scheduling:SweepInterval: {options.SweepInterval} must be positive");
        if (options.PublishGrace <= TimeSpan.Zero)
            errors.Add($"Scheduling:PublishGrace: {options.PublishGrace} must be positive");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(string path, TenantShare share, List<string> errors)
    {
        if (!(share.Weight is >= 0.001 and <= 1000))
            errors.Add($"{path}:Weight: {share.Weight} is outside 0.001..1000");
        if (!(share.Share is >= 0 and <= 1))
            errors.Add($"{path}:Share: {share.Share} is outside 0..1");
        if (!(share.Burst is > 0 and <= 1))
            errors.Add($"{path}:Burst: {share.Burst} is outside (0, 1]");
        if (share.Burst < share.Share)
            errors.Add($"{path}:Burst: {share.Burst} is below its Share ({share.Share})");
    }
}
