using System.Text;

namespace EmoFarm.Faces.Identity;

/// <summary>
/// Reads the names of an ONNX graph's first nodes straight from the protobuf, without loading the weights:
/// insightface inspects <c>onnx.load(file).graph.node[:8]</c> to choose a model's input normalisation, and ONNX
/// Runtime does not expose node names.
/// </summary>
internal static class OnnxGraphReader
{
    private const int ModelGraph = 7, GraphNode = 1, NodeName = 3;

    public static IReadOnlyList<string> FirstNodeNames(string path, int count)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var names = new List<string>(count);
        var fileEnd = stream.Length;
        while (stream.Position < fileEnd && names.Count < count)
        {
            var (field, wire) = ReadTag(stream, path);
            if (field == ModelGraph && wire == 2)
            {
                var graphEnd = ReadLength(stream, path, fileEnd);
                while (stream.Position < graphEnd && names.Count < count)
                {
                    var (graphField, graphWire) = ReadTag(stream, path);
                    if (graphField == GraphNode && graphWire == 2)
                        names.Add(ReadNodeName(stream, path, ReadLength(stream, path, graphEnd)));
                    else
                        Skip(stream, path, graphWire, graphEnd);
                }

                break;
            }

            Skip(stream, path, wire, fileEnd);
        }

        return names;
    }

    private static string ReadNodeName(Stream stream, string path, long end)
    {
        var name = "";
        while (stream.Position < end)
        {
            var (field, wire) = ReadTag(stream, path);
            if (field == NodeName && wire == 2)
            {
                var length = ReadLength(stream, path, end) - stream.Position;
                var bytes = new byte[length];
                stream.ReadExactly(bytes);
                name = Encoding.UTF8.GetString(bytes);
            }
            else
            {
                Skip(stream, path, wire, end);
            }
        }

        return name;
    }

    private static (int Field, int Wire) ReadTag(Stream stream, string path)
    {
        var tag = ReadVarint(stream, path);
        return ((int)(tag >> 3), (int)(tag & 7));
    }

    // The end position of a length-delimited field that starts here, checked against its container.
    private static long ReadLength(Stream stream, string path, long containerEnd)
    {
        var length = ReadVarint(stream, path);
        var end = stream.Position + (long)length;
        if (length > long.MaxValue / 2 || end > containerEnd)
            throw new InvalidDataException($"{path}: not an ONNX model (a field runs past its message at byte {stream.Position})");
        return end;
    }

    private static void Skip(Stream stream, string path, int wire, long containerEnd)
    {
        switch (wire)
        {
            case 0: ReadVarint(stream, path); break;
            case 1: stream.Seek(8, SeekOrigin.Current); break;
            case 2: stream.Seek(ReadLength(stream, path, containerEnd), SeekOrigin.Begin); break;
            case 5: stream.Seek(4, SeekOrigin.Current); break;
            default: throw new InvalidDataException($"{path}: not an ONNX model (protobuf wire type {wire} at byte {stream.Position})");
        }
    }

    private static ulong ReadVarint(Stream stream, string path)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0) throw new InvalidDataException($"{path}: not an ONNX model (truncated at byte {stream.Position})");
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }

        throw new InvalidDataException($"{path}: not an ONNX model (a varint longer than 10 bytes at byte {stream.Position})");
    }
}
