"""Every output decodes with Pillow (libjpeg-turbo, libwebp) to the pixels our decoder saw.

Reads WORK/scores.tsv (mean absolute error per channel value against the reference frame, as
decoded by the engine) and recomputes that error with Pillow: a file our decoder misreads (or
Pillow cannot open) shows up as an error that differs by more than TOLERANCE.
  python3 pillow_check.py WORK
"""
import sys
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

TOLERANCE = 1.0  # per channel value; decoders differ by ~0.1-0.5 in IDCT and chroma upsampling

work = Path(sys.argv[1])
refs = {}
bad = []
checked = 0
for line in (work / "scores.tsv").read_text().splitlines():
    encoder, photo, q, _size, _score, mae = line.split("\t")
    ext = "webp" if "webp" in encoder else "jpg"
    path = work / "out" / encoder / f"{photo}.q{q}.{ext}"
    if photo not in refs:
        refs[photo] = Image.open(work / "ref" / f"{photo}.png").convert("RGB")
    try:
        with Image.open(path) as im:
            pillow = im.convert("RGB")
    except Exception as e:  # noqa: BLE001 - any failure to decode is the finding
        bad.append(f"{path.name} ({encoder}): Pillow cannot decode it: {e}")
        continue
    checked += 1
    diff = ImageStat.Stat(ImageChops.difference(refs[photo], pillow)).mean
    theirs = sum(diff) / len(diff)
    if abs(theirs - float(mae)) > TOLERANCE:
        bad.append(f"{path.name} ({encoder}): error {theirs:.2f} with Pillow, {mae} with ours")
for b in bad:
    print("MISMATCH", b)
print(f"Pillow check: {checked} outputs decoded, {len(bad)} disagree with our decoder")
sys.exit(1 if bad else 0)
