using Microsoft.ML.OnnxRuntime;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// insightface 0.7.3's <c>ModelRouter.get_model</c> and the constructors it calls (RetinaFace, Landmark,
/// Attribute, INSwapper, ArcFaceONNX), reduced to what they decide from a model's signature: its role, task name
/// and input normalisation, or why they would fail.
/// </summary>
internal static class InsightFaceRouter
{
    public static OnnxModelDescription Describe(string path, InferenceSession session)
    {
        var inputs = session.InputNames.Select(n => Tensor(n, session.InputMetadata[n])).ToList();
        var outputs = session.OutputNames.Select(n => Tensor(n, session.OutputMetadata[n])).ToList();
        var description = new OnnxModelDescription(path, inputs, outputs, InsightFaceRole.Unknown, null, null, null, null);
        if (inputs.Count == 0 || inputs[0].Shape.Count < 4)
            return description with { Problem = "insightface reads the first input as N×C×H×W, and this has no such input" };

        var (h, w) = (inputs[0].Dim(2), inputs[0].Dim(3));
        if (outputs.Count >= 5)
            return Detection(description, outputs.Count, inputs[0]);
        if (h == 192 && w == 192)
            return Landmark(description, path, outputs);
        if (h == 96 && w == 96)
            return Attribute(description, path, outputs);
        if (inputs.Count == 2 && h == 128 && w == 128)
        {
            return description with
            {
                Role = InsightFaceRole.Swapper,
                InputMean = 0.0,
                InputStd = 255.0,
                Problem = "inswapper has no task name, and FaceAnalysis fails on it (AttributeError: taskname)",
            };
        }

        if (h is null && w is null && inputs[0].Shape[2].Symbol == inputs[0].Shape[3].Symbol)
            return description with { Problem = "a dynamic H×W model that is no detector: insightface compares its size to 112 and raises TypeError" };
        if (h is { } size && h == w && size >= 112 && size % 16 == 0)
        {
            if (outputs.Count != 1)
                return description with { Role = InsightFaceRole.Recognition, Problem = $"ArcFaceONNX asserts one output; this has {outputs.Count}" };
            var (mean, std) = SubAndMul(path, bnData: false) ? (0.0, 1.0) : (127.5, 127.5);
            return description with { Role = InsightFaceRole.Recognition, TaskName = "recognition", InputMean = mean, InputStd = std };
        }

        return description;
    }

    private static OnnxModelDescription Detection(OnnxModelDescription description, int outputs, OnnxTensorDescription input)
    {
        description = description with { Role = InsightFaceRole.Detection, TaskName = "detection", InputMean = 127.5, InputStd = 128.0 };
        if (outputs is not (6 or 9 or 10 or 15))
            return description with { Problem = $"RetinaFace decodes 6, 9, 10 or 15 outputs (3 or 5 strides, with or without keypoints); this has {outputs}" };
        if (input.Shape[2].IsFixed != input.Shape[3].IsFixed)
            return description with { Problem = $"the input's height and width must be both fixed or both dynamic: [{string.Join(", ", input.Shape)}]" };
        return description;
    }

    private static OnnxModelDescription Landmark(OnnxModelDescription description, string path, List<OnnxTensorDescription> outputs)
    {
        var (mean, std) = SubAndMul(path, bnData: true) ? (0.0, 1.0) : (127.5, 128.0);
        description = description with { InputMean = mean, InputStd = std };
        if (outputs.Count != 1 || outputs[0].Dim(1) is not { } width)
            return description with { Role = InsightFaceRole.Landmark2d, Problem = "Landmark asserts one output with a fixed width" };
        return width == 3309
            ? description with { Role = InsightFaceRole.Landmark3d68, TaskName = "landmark_3d_68" }
            : description with { Role = InsightFaceRole.Landmark2d, TaskName = $"landmark_2d_{width / 2}" };
    }

    private static OnnxModelDescription Attribute(OnnxModelDescription description, string path, List<OnnxTensorDescription> outputs)
    {
        var (mean, std) = SubAndMul(path, bnData: true) ? (0.0, 1.0) : (127.5, 128.0);
        description = description with { InputMean = mean, InputStd = std };
        if (outputs.Count != 1 || outputs[0].Dim(1) is not { } width)
            return description with { Role = InsightFaceRole.Attribute, Problem = "Attribute asserts one output with a fixed width" };
        return width == 3
            ? description with { Role = InsightFaceRole.GenderAge, TaskName = "genderage" }
            : description with { Role = InsightFaceRole.Attribute, TaskName = $"attribute_{width}" };
    }

    // mxnet-converted models normalise inside the graph; insightface spots that by the names of the first 8 nodes
    // (Landmark and Attribute also by a batch norm named bn_data among the first 3).
    private static bool SubAndMul(string path, bool bnData)
    {
        var names = OnnxGraphReader.FirstNodeNames(path, 8);
        var sub = names.Any(n => n.StartsWith("Sub", StringComparison.Ordinal) || n.StartsWith("_minus", StringComparison.Ordinal));
        var mul = names.Any(n => n.StartsWith("Mul", StringComparison.Ordinal) || n.StartsWith("_mul", StringComparison.Ordinal));
        var bn = bnData && names.Take(3).Any(n => n == "bn_data");
        return (sub && mul) || bn;
    }

    private static OnnxTensorDescription Tensor(string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor) return new OnnxTensorDescription(name, metadata.OnnxValueType.ToString(), []);
        var dims = metadata.Dimensions.Select((d, i) => d >= 0
            ? new OnnxDimension(d, null)
            : new OnnxDimension(null, metadata.SymbolicDimensions is { } s && i < s.Length && s[i].Length > 0 ? s[i] : null));
        return new OnnxTensorDescription(name, $"tensor({metadata.ElementDataType.ToString().ToLowerInvariant()})", [.. dims]);
    }
}
