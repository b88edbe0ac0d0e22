"""Hallo's own pre-processing for hallo_reference.py's conditioned run (HALLO_CONDITIONED=1): the identity embedding,
the face region and the region masks from ImageProcessor.preprocess, and the 16 kHz vocals and wav2vec2 features from
AudioProcessor.preprocess, each computed from the portrait and a 44.1 kHz stereo mix instead of being given.

What runs (fetched sources, unchanged):
  * hallo.datasets.image_processor.ImageProcessor (Hallo 8fd7c57): __init__ with insightface 0.7.3's FaceAnalysis over
    a face_analysis/models/ folder holding tests/fixtures/insightface-parity's random SCRFD detector and this fixture's
    random recogniser (glintr100's signature, 16 outputs: hallo-tiny's image projection takes 16), then preprocess();
    its get_mask gets its landmarks from util.get_landmark, replaced here (MediaPipe is not a Debian package) by the
    face mesh's: tests/parity/face_mesh_reference.cjs (MediaPipe's facemesh graph on tfjs, human 3.3.6's own crop and
    mapping code) on FACE_BOX, the face box that framing hands EmoFarm's PortraitAnalyzer. insightface's own largest
    face (a 19-pixel box on an eye: the detector is random) gives the mesh a face flag of 0.03, which PortraitAnalyzer
    drops; a given box is how EmoFarm runs when framing found the face.
  * hallo.datasets.audio_processor.AudioProcessor.preprocess with audio-separator 0.17.2's Separator over
    tests/fixtures/mdx-parity's random Kim_Vocal_2.onnx and mdx_model_data.json, Hallo's resample_audio (ffmpeg) and
    librosa.load (the shim in shims/mdx/), on mdx_reference.mix_samples(SECONDS * 44100): integers only, which the C#
    test makes again (ParityMix).
Stand-ins: onnxruntime (insightface_reference's session for the two identity models, mdx's graph interpreter for the
separator), Wav2Vec2FeatureExtractor (transformers' zero_mean_unit_var_norm, the one step it takes here), mediapipe,
av and moviepy (imported by hallo.utils.util, never reached).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
FACE_BOX = (40.0, 32.0, 48.0, 56.0)    # x, y, width, height in pixels of the 128² portrait
FACE_EXPAND_RATIO = 1.2                # Hallo's inference default, and EmoFarm's
SECONDS = 2                            # 50 frames at 25 fps, as hallo-parity
MIX_RATE = 44100
RECOGNIZER = "random-glintr100-16.onnx"
RECOGNIZER_SEED = 20240901
EMBEDDING = 16


def setup():
    """Shims and paths; call before anything imports hallo.datasets.*. Returns the two processor classes."""
    sys.path[:0] = [os.environ["AUDIO_SEPARATOR_SRC"], str(HERE / "shims" / "mdx"), str(HERE)]
    import torchvision  # noqa: F401  (before the av stub: torchvision uses av when it can import it)
    for name in ("av", "mediapipe"):
        sys.modules[name] = types.ModuleType(name)
    editor = types.ModuleType("moviepy.editor")
    editor.AudioFileClip = editor.VideoClip = None
    sys.modules["moviepy"], sys.modules["moviepy.editor"] = types.ModuleType("moviepy"), editor
    import onnxruntime as mdx_ort                      # shims/mdx: interprets the graph
    import insightface_reference as iref              # its install_shim replaces sys.modules["onnxruntime"]
    iref.install_shim()
    from insightface.app.face_analysis import FaceAnalysis   # the package __init__ is bypassed, so name it here
    sys.modules["insightface.app"].FaceAnalysis = FaceAnalysis
    interpreted = mdx_ort.InferenceSession

    class InferenceSession:
        """insightface_reference's session for a file it exported, mdx's graph interpreter for any other."""

        def __init__(self, path, *a, **k):
            known = iref.sha256(Path(path).read_bytes()) in iref.MODULES_BY_HASH
            self._impl = iref.InferenceSession(path, *a, **k) if known else interpreted(path, *a, **k)

        def __getattr__(self, name):
            return getattr(self._impl, name)

    mdx_ort.InferenceSession = InferenceSession
    sys.modules["onnxruntime"] = mdx_ort
    import transformers

    class Wav2Vec2FeatureExtractor:
        """transformers 4.39's Wav2Vec2FeatureExtractor as Hallo calls it (one unbatched float array, do_normalize):
        float32, then zero_mean_unit_var_norm."""

        def __call__(self, speech, sampling_rate):
            assert sampling_rate == 16000
            x = np.asarray(speech, dtype=np.float32)
            return types.SimpleNamespace(input_values=[(x - x.mean()) / np.sqrt(x.var() + 1e-7)])

    transformers.Wav2Vec2FeatureExtractor = Wav2Vec2FeatureExtractor
    from hallo.datasets.audio_processor import AudioProcessor
    from hallo.datasets.image_processor import ImageProcessor
    return ImageProcessor, AudioProcessor, iref


def identity_models(iref, folder):
    """face_analysis/models/ with insightface-parity's detector (rebuilt from its recorded seed and calibration, and
    checked byte for byte against the committed file) and the 16-output recogniser, written to `folder` too."""
    import torch
    committed = FIXTURES / "insightface-parity" / "models" / iref.DETECTOR
    seed = json.loads((FIXTURES / "insightface-parity" / "reference.json").read_text())["seed"]
    import cv2
    images = [cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR) for _, _, rgb in iref.cases()]
    models = iref.build_models(torch.Generator().manual_seed(seed))
    name, detector, input_name, size, outputs = models[0]
    iref.calibrate(detector, images)
    work = Path(tempfile.mkdtemp())
    iref.export(detector, work / name, input_name, size, outputs)
    if (work / name).read_bytes() != committed.read_bytes():
        sys.exit(f"the rebuilt detector differs from {committed}: insightface_reference.py changed since it was made")
    iref.MODULES_BY_HASH[iref.sha256(committed.read_bytes())] = detector
    arcface = [(3, 16, 3, 2), (16, 16, 3, 2), (16, 16, 3, 2), (16, 4, 3, 2)]
    recognizer = iref.Tiny(torch.Generator().manual_seed(RECOGNIZER_SEED), arcface, 4 * 7 * 7, EMBEDDING, False)
    iref.export(recognizer, folder / RECOGNIZER, "input.1", 112, ["embedding"])
    iref.MODULES_BY_HASH[iref.sha256((folder / RECOGNIZER).read_bytes())] = recognizer
    shutil.rmtree(work)
    root = Path(tempfile.mkdtemp())
    (root / "models").mkdir()
    shutil.copy(committed, root / "models" / iref.DETECTOR)
    shutil.copy(folder / RECOGNIZER, root / "models" / RECOGNIZER)
    return root


def face_mesh(portrait_rgb, work):
    """face_mesh_reference.cjs on FACE_BOX: human's unrounded landmarks (x, y pixels) and the face flag."""
    modules = os.environ.get("FACE_MESH_MODULES", str(ROOT / ".cache" / "face-api" / "node_modules"))
    h, w, _ = portrait_rgb.shape
    (work / "portrait.rgb").write_bytes(portrait_rgb.tobytes())
    x, y, bw, bh = FACE_BOX
    job = {"images": [{"path": str(work / "portrait.rgb"), "width": w, "height": h}],
           "faces": [{"image": 0, "box": {"x": x, "y": y, "width": bw, "height": bh}}]}
    (work / "job.json").write_text(json.dumps(job))
    (work / "mesh").mkdir()
    subprocess.run(["node", str(HERE / "face_mesh_reference.cjs"), modules, str(work / "job.json"),
                    str(work / "mesh.json"), str(work / "mesh")], check=True, stdout=subprocess.DEVNULL)
    face = json.loads((work / "mesh.json").read_text())["faces"][0]
    return face["meshUnrounded"], face["confidence"]


def separator_models(work):
    """audio-separator's model folder: mdx-parity's model and data, and the files it would otherwise download."""
    models = work / "audio_separator"
    models.mkdir()
    for name in ("Kim_Vocal_2.onnx", "mdx_model_data.json"):
        shutil.copy(FIXTURES / "mdx-parity" / name, models / name)
    (models / "vr_model_data.json").write_text("{}")
    (models / "download_checks.json").write_text(json.dumps({
        "vr_download_list": {}, "mdx_download_list": {"MDX-Net Model: Kim Vocal 2": "Kim_Vocal_2.onnx"},
        "mdx_download_vip_list": {}, "demucs_download_list": {}, "mdx23c_download_list": {},
        "mdx23c_download_vip_list": {}, "roformer_download_list": {}}))
    dist = work / "site" / "audio_separator-0.17.2.dist-info"   # audio-separator reads its version from here
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: audio-separator\nVersion: 0.17.2\n")
    sys.path.insert(0, str(work / "site"))
    return models


def preprocess(processors, portrait_path, audio_encoder, clip_length, size, fps, out):
    """Hallo's ImageProcessor.preprocess and AudioProcessor.preprocess, as scripts/inference.py calls them. Returns
    what inference.py's step 5 takes, and the records for the fixture."""
    import torch
    from PIL import Image
    import hallo.utils.util as util
    from audio_separator.separator import Separator
    import librosa
    ImageProcessor, AudioProcessor, iref = processors
    out = Path(out)
    work = Path(tempfile.mkdtemp(prefix="hallo-conditioned-"))
    try:
        root = identity_models(iref, out)
        rgb = np.asarray(Image.open(portrait_path).convert("RGB"))
        landmarks, confidence = face_mesh(rgb, work)
        assert confidence >= 0.2, f"the face mesh's flag on {FACE_BOX} is {confidence}, which PortraitAnalyzer drops"
        h, w, _ = rgb.shape
        util.get_landmark = lambda _file: (np.array(landmarks), h, w)     # compute_face_landmarks' pixels
        (work / "cache").mkdir()   # inference.py makes its cache folder before preprocess
        faces_seen = {}
        with ImageProcessor((size, size), str(root)) as image_processor:
            get = image_processor.face_analysis.get

            def recording_get(img):
                faces = get(img)
                faces_seen["faces"] = [{"bbox": [float(v) for v in f.bbox], "score": float(f.det_score)} for f in faces]
                return faces
            image_processor.face_analysis.get = recording_get
            pixels, face_region, face_emb, full, face, lip = image_processor.preprocess(
                str(portrait_path), str(work / "cache"), FACE_EXPAND_RATIO)

        # AudioProcessor.__init__ less its from_pretrained loads: the tiny encoder is hallo_reference's.
        models = separator_models(work)
        audio = AudioProcessor.__new__(AudioProcessor)
        audio.sample_rate, audio.fps, audio.device, audio.only_last_features = 16000, fps, "cpu", False
        audio.audio_encoder = audio_encoder
        audio.audio_separator = Separator(output_dir=str(work / "audio"), output_single_stem="vocals",
                                          model_file_dir=str(models))
        audio.audio_separator.load_model("Kim_Vocal_2.onnx")
        audio.wav2vec_feature_extractor = sys.modules["transformers"].Wav2Vec2FeatureExtractor()
        import mdx_reference
        mix = mdx_reference.mix_samples(SECONDS * MIX_RATE)
        mdx_reference.write_wav16(str(work / "mix.wav"), mix)
        loads = []
        load = librosa.load

        def recording_load(path, **k):
            y, sr = load(path, **k)
            loads.append(y.copy())
            return y, sr
        librosa.load = recording_load
        audio_emb, audio_length = audio.preprocess(str(work / "mix.wav"), clip_length)
        vocals = loads[-1]         # the last: audio-separator loads the mix with librosa too
        records = {"faces": faces_seen["faces"], "landmarks": landmarks, "mesh_confidence": confidence,
                   "face_box": list(FACE_BOX), "face_expand_ratio": FACE_EXPAND_RATIO, "mix_seconds": SECONDS,
                   "mix_rate": MIX_RATE, "recognizer": RECOGNIZER, "recognizer_seed": RECOGNIZER_SEED,
                   "detector": "../insightface-parity/models/" + iref.DETECTOR,
                   "separator": "../mdx-parity/Kim_Vocal_2.onnx"}
        return (pixels, face_region, torch.from_numpy(np.asarray(face_emb, dtype=np.float32)), full, face, lip,
                vocals, audio_emb, audio_length, records)
    finally:
        shutil.rmtree(work)
