// Runs @vladmandic/face-api's own JavaScript pipeline on the pure-JS TensorFlow.js CPU backend and prints JSON:
// the reference the TorchSharp face nets are compared with (tests/EmoFarm.Faces.Tests/FaceApiParityTests.cs).
//
//   node face_api_reference.cjs <node_modules dir> <job.json> <result.json>
//
// job.json: { "images": [ { "path": "x.rgb", "width": W, "height": H } ], "minConfidence": 0.5 }
// Each .rgb file holds W·H·3 bytes of 8-bit RGB, rows top to bottom: both sides read the same pixels, so image
// decoding is not part of the comparison.
'use strict';
const path = require('path');
const fs = require('fs');

const [modules, jobPath, resultPath] = process.argv.slice(2);
const faceapi = require(path.join(modules, '@vladmandic/face-api/dist/face-api.node-wasm.js'));
const tf = faceapi.tf;
const modelDir = path.join(modules, '@vladmandic/face-api/model');

function load(net, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(modelDir, `${name}-weights_manifest.json`)));
  const buffer = Buffer.concat(manifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(modelDir, p))));
  const bytes = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  net.loadFromWeightMap(tf.io.decodeWeights(bytes, manifest.flatMap((g) => g.weights)));
}

const box = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });

(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  load(faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model');
  load(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  load(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  load(faceapi.nets.faceRecognitionNet, 'face_recognition_model');

  const job = JSON.parse(fs.readFileSync(jobPath));
  const minConfidence = job.minConfidence ?? 0.5;
  const images = [];
  for (const image of job.images) {
    const pixels = new Uint8Array(fs.readFileSync(image.path));
    const input = tf.tensor3d(pixels, [image.height, image.width, 3], 'int32');
    const started = Date.now();
    const faces = await faceapi
      .detectAllFaces(input, new faceapi.SsdMobilenetv1Options({ minConfidence }))
      .withFaceLandmarks()
      .withFaceDescriptors();
    const tiny = await faceapi.detectAllFaces(input, new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: minConfidence }));
    images.push({
      path: image.path,
      ms: Date.now() - started,
      faces: faces.map((f) => ({
        box: box(f.detection.box),
        score: f.detection.score,
        landmarks: f.landmarks.positions.map((p) => [p.x, p.y]),
        alignedBox: box(f.landmarks.align(null, { useDlibAlignment: true })),
        descriptor: Array.from(f.descriptor),
      })),
      tinyFaces: tiny.map((d) => ({ box: box(d.box), score: d.score })),
    });
    input.dispose();
  }
  fs.writeFileSync(resultPath, JSON.stringify({ tfjs: tf.version_core, backend: tf.getBackend(), images }));
})().catch((e) => { console.error(e); process.exit(1); });
