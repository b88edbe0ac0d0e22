using EmoFarm.Farm.Api;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Messaging;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tenancy;
using EmoFarm.Farm.Work;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Hosting;

// The data-annotation checks of every section, generated at compile time rather than found by reflection at start.
// Checks that annotations cannot express are separate validators beside their options.

[OptionsValidator] internal sealed partial class RenderDefaultsValidator : IValidateOptions<RenderDefaults>;

[OptionsValidator] internal sealed partial class OrchestratorOptionsValidator : IValidateOptions<OrchestratorOptions>;

[OptionsValidator] internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;

[OptionsValidator] internal sealed partial class RabbitOptionsValidator : IValidateOptions<RabbitOptions>;

[OptionsValidator] internal sealed partial class RetryOptionsValidator : IValidateOptions<RetryOptions>;

[OptionsValidator] internal sealed partial class RedisOptionsValidator : IValidateOptions<RedisOptions>;

[OptionsValidator] internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;

[OptionsValidator] internal sealed partial class S3OptionsValidator : IValidateOptions<S3Options>;

[OptionsValidator] internal sealed partial class FaceOptionsValidator : IValidateOptions<FaceOptions>;

[OptionsValidator] internal sealed partial class QualityOptionsValidator : IValidateOptions<QualityOptions>;

[OptionsValidator] internal sealed partial class ConditioningOptionsValidator : IValidateOptions<ConditioningOptions>;

[OptionsValidator] internal sealed partial class QuotaOptionsValidator : IValidateOptions<QuotaOptions>;


[OptionsValidator] internal sealed partial class SchedulingOptionsAnnotations : IValidateOptions<SchedulingOptions>;

[OptionsValidator] internal sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>;
