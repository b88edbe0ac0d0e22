using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EmoFarm.Farm.Vocals;

/// <summary>
/// What MDXSeparator needs of the ONNX file: one input named "input" (it feeds {"input": spek}) and a first output
/// (it takes run(None, …)[0]), both float tensors [batch, 4, dim_f, dim_t]; a symbolic dimension matches anything.
/// </summary>
internal static class MdxOnnxSignature
{
    public const string InputName = "input";

    /// <summary>The name of the output to read; throws <see cref="InvalidDataException"/> naming the file, the hash and the mismatch.</summary>
    public static string Check(InferenceSession session, string modelPath, MdxModelParameters parameters)
    {
        var inputs = session.InputMetadata;
        if (inputs.Count != 1 || !inputs.ContainsKey(InputName))
        {
            throw Mismatch(modelPath, parameters,
                $"its inputs are [{string.Join(", ", inputs.Keys)}]; audio-separator feeds exactly one, named \"{InputName}\"");
        }
        CheckTensor(inputs[InputName], $"input \"{InputName}\"", modelPath, parameters);
        var output = session.OutputNames[0];
        CheckTensor(session.OutputMetadata[output], $"output \"{output}\"", modelPath, parameters);
        return output;
    }

    private static void CheckTensor(NodeMetadata node, string what, string modelPath, MdxModelParameters parameters)
    {
        if (!node.IsTensor || node.ElementDataType != TensorElementType.Float)
            throw Mismatch(modelPath, parameters, $"its {what} is not a float32 tensor");
        var dims = node.Dimensions;
        string Shape() => "[" + string.Join(", ", dims.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : node.SymbolicDimensions[i])) + "]";
        if (dims.Length != 4)
            throw Mismatch(modelPath, parameters, $"its {what} has shape {Shape()}, not [batch, 4, dim_f, dim_t]");
        (int Expected, string Name)[] wanted = [(1, "batch"), (4, "channels (L.re, L.im, R.re, R.im)"), (parameters.DimF, "dim_f"), (parameters.DimT, "dim_t")];
        for (var i = 0; i < 4; i++)
        {
            if (dims[i] >= 0 && dims[i] != wanted[i].Expected)
            {
                throw Mismatch(modelPath, parameters,
                    $"its {what} has shape {Shape()}: dimension {i} ({wanted[i].Name}) is {dims[i]}, the json says {wanted[i].Expected}");
            }
        }
    }

    private static InvalidDataException Mismatch(string modelPath, MdxModelParameters parameters, string detail) =>
        new($"{modelPath} (hash {parameters.Hash}) does not fit its mdx_model_data.json entry (dim_f {parameters.DimF}, " +
            $"dim_t {parameters.DimT}, n_fft {parameters.NFft}): {detail}");
}
