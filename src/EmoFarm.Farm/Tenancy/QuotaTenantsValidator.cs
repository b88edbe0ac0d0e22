using EmoFarm.Farm.State;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Tenancy;

/// <summary>What the generated checks of <see cref="QuotaOptions"/> cannot reach: each tenant's name and limits.</summary>
internal sealed class QuotaTenantsValidator : IValidateOptions<QuotaOptions>
{
    private readonly TenantQuotaValidator _quota = new();

    public ValidateOptionsResult Validate(string? name, QuotaOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        foreach (var (tenant, quota) in options.Tenants)
        {
            var path = $"{QuotaOptions.Section}:Tenants:{tenant}";
            if (TenantName.Problem(tenant) is { } problem)
                result.AddError(problem, path);
            result.AddResult(_quota.Validate(path, quota));
        }
        return result.Build();
    }
}

[OptionsValidator] internal sealed partial class TenantQuotaValidator : IValidateOptions<TenantQuota>;
