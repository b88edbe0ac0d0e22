using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>The temporal step shared by all blocks, with Hallo's inference-branch rules in one place.</summary>
internal static class UnetBlockSteps
{
    /// <summary>
    /// Runs motion module <paramref name="index"/> if the block has one. Under HalloInferenceCompat (Hallo's
    /// training+checkpointing branch, which its inference takes) plain blocks skip their motion modules and
    /// cross-attention blocks prepend the motion-frame reference features; otherwise (Hallo's eval branch) every
    /// motion module runs on the clip frames alone. The mid block always prepends (Hallo has no branch there).
    /// </summary>
    public static Tensor Motion(
        ModuleList<MotionModule> modules, int index, Tensor hidden, Tensor? motionFeatures, UnetRun run, int depth,
        bool crossAttention, bool alwaysPrepend = false)
    {
        if (modules.Count == 0)
        {
            return hidden;
        }

        if (run.HalloInferenceCompat && !crossAttention)
        {
            return hidden;
        }

        var prepend = alwaysPrepend || (run.HalloInferenceCompat && crossAttention) ? motionFeatures : null;
        var speed = run.Speed is null ? null : run.Speed[depth];
        return modules[index].Forward(hidden, prepend, speed, run.Batch, run.Frames);
    }
}
