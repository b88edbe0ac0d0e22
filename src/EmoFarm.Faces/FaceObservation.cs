using EmoFarm.Faces.Landmarks;

namespace EmoFarm.Faces;

/// <summary>One face in one image: where it is, how sure the detector is, its 68 points and its 128-d identity.</summary>
public sealed record FaceObservation(FaceBox Box, double Score, FaceLandmarks Landmarks, float[] Descriptor);
