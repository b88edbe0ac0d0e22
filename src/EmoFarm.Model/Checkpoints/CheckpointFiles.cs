using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>Opens a checkpoint file by what it holds, not by its name (a torch.save zip archive or safetensors), and reads its tensors.</summary>
public static class CheckpointFiles
{
    /// <summary>Reads one tensor of either file kind into a new contiguous CPU tensor of its stored dtype (tools, tests).</summary>
    public static Tensor Read(this ICheckpointFile file, TensorEntry entry)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(entry);
        var result = torch.empty([.. entry.Shape], entry.ScalarType);
        try
        {
            file.CopyTo(entry, result);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public static ICheckpointFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> head = stackalloc byte[9];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        // safetensors: an 8-byte header length, then the JSON header.
        if (read == 9 && head[8] == (byte)'{')
        {
            return new SafeTensorsFile(path);
        }

        if (read >= 4 && head[..4].SequenceEqual("PK\x03\x04"u8))
        {
            return new TorchArchiveFile(path);
        }

        // The legacy torch.save format (torch < 1.6, or _use_new_zipfile_serialization=False) is a bare pickle stream.
        if (read >= 2 && head[0] == 0x80 && head[1] <= 5)
        {
            throw new InvalidDataException(
                $"{path}: a legacy (pre-1.6) torch.save file, which EmoFarm does not read; re-save it with torch >= 1.6 or convert it to safetensors.");
        }

        return new SafeTensorsFile(path);
    }
}
