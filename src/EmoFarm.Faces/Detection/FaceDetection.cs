namespace EmoFarm.Faces.Detection;

/// <summary>A detected face: its box in image pixels and the detector's confidence, 0..1.</summary>
public readonly record struct FaceDetection(FaceBox Box, double Score);
