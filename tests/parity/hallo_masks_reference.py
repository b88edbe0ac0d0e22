"""Hallo's own mask code makes the committed fixture tests/fixtures/hallo-masks/.

EmoFarm's CI test (tests/EmoFarm.Faces.Tests/HalloMasksParityTests.cs) computes the same masks in C# from the same
landmarks and compares every intermediate image and every final tensor byte for byte. CI never runs this script;
it is how the fixture was made, and how to make it again.

What runs is Hallo's (fudan-generative-vision/hallo 8fd7c57) own code, unchanged:
  * hallo.datasets.image_processor.ImageProcessor: __init__ builds the transforms (cond_transform and
    attn_transform_64/32/16/8) and preprocess() runs the whole chain, with
  * hallo.utils.util.get_mask: get_lip_mask (expand 2.0), get_face_mask (face_expand_ratio), expand_region,
    get_blur_mask / blur_mask (cv2.resize, cv2.GaussianBlur, cv2.normalize), get_background_mask and
    get_sep_face_mask, each writing its PNG into the cache folder exactly as Hallo does at inference.
Two things are fed in instead of run:
  * util.get_landmark is replaced by a function that returns the case's landmarks, as compute_face_landmarks
    gives them (p.x * w, p.y * h in float64 from MediaPipe's float32 normalised coordinates); mediapipe itself is
    an empty stub module, since nothing else of it is reached;
  * insightface.app.FaceAnalysis is a stub whose get() finds no face, so preprocess() takes its "no face" branch;
    the face embedding is not part of this fixture. The source image is a black PNG of the portrait's size (only
    pixel_values_ref_img reads its pixels, and that is not part of this fixture either).
util.expand_region is wrapped (the original runs) to record its results, the lip and face rectangles.
moviepy.editor and einops are stubbed too: util imports them for video writing only.

Environment (Debian 12): /usr/bin/python3 with python3-opencv 4.6.0, python3-pil 9.4, python3-torchvision 0.14,
python3-numpy 1.24 and python3-torch 1.13. The reference ran on an x86-64 CPU with AVX2 and FMA3 (OpenCV's
dispatched convertTo, which cv2.normalize ends in, then uses a fused multiply-add).

Usage:
  HALLO_SRC=/path/to/hallo /usr/bin/python3 tests/parity/hallo_masks_reference.py tests/fixtures/hallo-masks
"""
import contextlib
import gzip
import io
import json
import math
import os
import shutil
import sys
import tempfile
import types

import cv2
import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.environ["HALLO_SRC"], os.path.join(HERE, "shims")]


# ---- stubs for imports the mask path never reaches ----
def _stub(name, **attrs):
    m = types.ModuleType(name)
    for k, v in attrs.items():
        setattr(m, k, v)
    sys.modules[name] = m
    return m


def _never(*_a, **_k):
    raise RuntimeError("not part of the mask path")


class _NoFaces:
    """insightface.app.FaceAnalysis for ImageProcessor.__init__: prepare() does nothing, get() finds no face."""
    def __init__(self, *_a, **_k):
        self.models = {}

    def prepare(self, *_a, **_k):
        pass

    def get(self, *_a, **_k):
        return []


_stub("mediapipe")
_stub("moviepy")
_stub("moviepy.editor", AudioFileClip=_never, VideoClip=_never)
_stub("einops", rearrange=_never)
_stub("insightface")
_stub("insightface.app", FaceAnalysis=_NoFaces)

import hallo.utils.util as util  # noqa: E402
from hallo.datasets.image_processor import ImageProcessor  # noqa: E402
import safetensors.torch  # noqa: E402  (tests/parity/shims: the format only)

OUT = sys.argv[1]
LANDMARKS = 478          # MediaPipe FaceLandmarker v2: the 468-point face mesh plus 10 iris points
SEED = 20240805
PNGS = ["lip_mask", "face_mask", "face_mask_blur", "sep_lip", "sep_background", "sep_face"]


def face(rng, w, h, cx, cy, half_w, half_h, angle, halves=False, noise=0.02):
    """A plausible MediaPipe face in pixels: the silhouette on an ellipse, the outer lips on a smaller one, the
    other points inside; MediaPipe's float32 normalised coordinates, scaled back as compute_face_landmarks does."""
    pts = rng.uniform(-0.8, 0.8, size=(LANDMARKS, 2)) * [half_w, half_h]
    for i, idx in enumerate(util.silhouette_ids):          # the face oval, clockwise from the forehead
        t = -math.pi / 2 + 2 * math.pi * i / len(util.silhouette_ids)
        pts[idx] = [half_w * math.cos(t), half_h * math.sin(t)]
    for i, idx in enumerate(util.lip_ids):                  # 11 upper then 9 lower outer-lip points
        t = math.pi + math.pi * i / 10 if i <= 10 else math.pi - math.pi * (i - 10) / 10
        pts[idx] = [0.38 * half_w * math.cos(t), 0.55 * half_h + 0.14 * half_h * math.sin(t)]
    pts += rng.normal(0, noise, size=pts.shape) * [half_w, half_h]
    c, s = math.cos(angle), math.sin(angle)
    pts = pts @ np.array([[c, s], [-s, c]]) + [cx, cy]
    if halves:          # exact .5 pixels: np.round and round() take their ties-to-even branch
        pts = np.round(pts * 2) / 2
    normalised = (pts / [w, h]).astype(np.float32)          # MediaPipe's NormalizedLandmark x, y
    return [[float(x) * w, float(y) * h] for x, y in normalised]


# name, width, height, face_expand_ratio, img_size, face centre/half sizes as fractions of w/h, angle, halves
CASES = [
    ("square512", 512, 512, 1.2, 512, (0.50, 0.52, 0.22, 0.30), 0.05, False),
    ("square512_r10", 512, 512, 1.0, 512, (0.47, 0.50, 0.25, 0.32), -0.10, False),
    ("square512_r15", 512, 512, 1.5, 512, (0.53, 0.49, 0.18, 0.24), 0.20, False),
    ("landscape", 640, 480, 1.2, 512, (0.45, 0.55, 0.15, 0.28), 0.0, False),
    ("portrait", 480, 640, 1.5, 512, (0.50, 0.40, 0.30, 0.20), -0.15, False),
    ("large", 1024, 768, 1.2, 512, (0.60, 0.45, 0.12, 0.20), 0.08, False),
    ("halves", 512, 512, 1.2, 512, (0.50, 0.50, 0.20, 0.27), 0.0, True),
    ("bottom", 512, 512, 1.2, 512, (0.50, 0.88, 0.20, 0.25), 0.0, False),
    ("left", 512, 512, 1.5, 512, (0.08, 0.50, 0.20, 0.28), 0.0, False),
    ("small128", 128, 128, 1.2, 128, (0.50, 0.50, 0.25, 0.33), 0.1, False),
    ("small_nonsquare", 300, 400, 1.0, 128, (0.52, 0.47, 0.28, 0.22), 0.0, False),
    ("tiny", 48, 80, 1.2, 128, (0.50, 0.50, 0.30, 0.25), 0.0, False),
    ("exact64", 64, 64, 1.2, 128, (0.50, 0.50, 0.28, 0.33), -0.05, False),
    ("scale4", 256, 256, 1.5, 128, (0.44, 0.56, 0.20, 0.26), 0.12, False),
    ("right", 640, 480, 1.2, 128, (0.93, 0.50, 0.12, 0.24), 0.0, False),
    ("top", 480, 640, 1.5, 128, (0.50, 0.06, 0.25, 0.15), 0.0, False),
    ("outside_top_left", 400, 300, 1.5, 128, (-0.02, 0.03, 0.20, 0.30), 0.3, False),
    ("wider_than_image", 256, 200, 1.5, 128, (0.50, 0.50, 0.45, 0.48), 0.0, False),
    # the face box is the whole image: the blurred mask is constant, so cv2.normalize's scale is 0 (all zeros)
    ("covers_image", 200, 200, 1.0, 128, (0.45, 0.45, 0.50, 0.50), 0.0, "exact"),
]


def run_case(rng, name, w, h, ratio, img, params, angle, halves, work):
    cx, cy, fw, fh = params
    exact = halves == "exact"   # no noise: the silhouette's extremes are exactly the ellipse's
    landmarks = face(rng, w, h, cx * w, cy * h, fw * w, fh * h, angle, bool(halves), 0.0 if exact else 0.02)
    util.get_landmark = lambda _file: (np.array(landmarks), h, w)      # get_landmark's return: (array, h, w)
    regions = []
    expand = util.expand_region

    def recording_expand(*a, **k):
        r = expand(*a, **k)
        regions.append(list(r))
        return r
    util.expand_region = recording_expand

    cache = os.path.join(work, name)
    os.makedirs(cache)
    source = os.path.join(cache, f"{name}.png")
    Image.new("RGB", (w, h)).save(source)
    # scripts/inference.py: img_size = (source_image.width, source_image.height), here square
    with contextlib.redirect_stdout(io.StringIO()):
        with ImageProcessor((img, img), "unused") as processor:
            _, face_mask, _, full, face_masks, lip = processor.preprocess(source, cache, ratio)
    util.expand_region = expand

    folder = os.path.join(OUT, name)
    os.makedirs(folder)
    for png in PNGS:
        shutil.copyfile(os.path.join(cache, f"{name}_{png}.png"), os.path.join(folder, f"{png}.png"))
    tensors = {"face_region": face_mask}
    for i in range(4):
        tensors[f"mask_full_{i}"] = full[i]
        tensors[f"mask_face_{i}"] = face_masks[i]
        tensors[f"mask_lip_{i}"] = lip[i]
    assert all(t.dtype == torch.float32 for t in tensors.values())
    with open(os.path.join(folder, "tensors.safetensors.gz"), "wb") as f:
        f.write(gzip.compress(safetensors.torch.save(tensors), compresslevel=9, mtime=0))
    assert len(regions) == 2, regions           # get_lip_mask first, then get_face_mask
    return {"name": name, "width": w, "height": h, "face_expand_ratio": ratio, "img_size": img,
            "lip_region": regions[0], "face_region": regions[1], "landmarks": landmarks}


def main():
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    rng = np.random.RandomState(SEED)
    with tempfile.TemporaryDirectory() as work:
        cases = [run_case(rng, *c, work) for c in CASES]
    kernels = {str(n): [float(v) for v in cv2.getGaussianKernel(n, 0, ktype=cv2.CV_64F).ravel()] for n in (31, 51)}
    manifest = {"hallo": "8fd7c57", "opencv": cv2.__version__, "pillow": Image.__version__,
                "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                "region_order": "min_x, max_x, min_y, max_y (expand_region's return)",
                "gaussian_kernels": kernels, "cases": cases}
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", len(cases), "cases to", OUT)


main()
