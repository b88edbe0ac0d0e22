using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Hosting;

/// <summary>
/// Binds one configuration section to its options and validates it when the host starts, so a bad setting stops
/// the process at once with a message naming the section, the key and the limit, not at first use.
/// </summary>
public static class SectionOptions
{
    public static OptionsBuilder<T> AddSection<T, TValidator>(this IServiceCollection services, string section)
        where T : class
        where TValidator : class, IValidateOptions<T>, new()
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section, new TValidator()));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Puts the section in front of each failure, which the generated validators name by member only.</summary>
    private sealed class SectionValidator<T>(string section, IValidateOptions<T> inner) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var result = inner.Validate(name, options);
            return result.Failed ? ValidateOptionsResult.Fail(result.Failures!.Select(f => $"configuration section '{section}': {f}")) : result;
        }
    }
}
