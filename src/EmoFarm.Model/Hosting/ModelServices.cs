using EmoFarm.Contracts.Rendering;
using EmoFarm.Model.Loading;
using EmoFarm.Model.Rendering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Model.Hosting;

public static class ModelServices
{
    /// <summary>Registers the EMO renderer. The model loads when the renderer is first resolved; hosts resolve it at
    /// start-up, so a missing or broken checkpoint stops the process before it takes any work.</summary>
    public static IServiceCollection AddEmoRenderer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>();
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.Section)).ValidateOnStart();
        services.AddSingleton(sp => new InferenceThread("emofarm-inference"));
        services.AddSingleton(sp =>
        {
            var thread = sp.GetRequiredService<InferenceThread>();
            var options = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger<EmoModel>();
            // Loaded on the inference thread: the model's tensors and every later call share that thread.
            return thread.RunAsync(() => EmoModel.Load(options, logger)).GetAwaiter().GetResult();
        });
        services.AddSingleton<IClipRenderer>(sp => new EmoClipRenderer(
            sp.GetRequiredService<EmoModel>(), sp.GetRequiredService<InferenceThread>(), sp.GetRequiredService<IOptions<ModelOptions>>().Value));
        services.AddHostedService<ModelStartup>();
        return services;
    }
}
