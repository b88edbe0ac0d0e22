namespace EmoFarm.Farm.Media;

/// <summary>ffmpeg could not read an input; the message says why in words a client can act on.</summary>
public sealed class MediaException(string message, Exception? inner = null) : Exception(message, inner);
