#!/usr/bin/env python3
"""Trains the command parser's intent model: which edit families a request means.

    cargo build --release -p retouch-parse --example parser_eval
    python3 engine/parse/intent/train.py [TRAIN.jsonl] --rules target/release/examples/parser_eval --rules-only -

TRAIN.jsonl defaults to $RETOUCH_SHARED/data/edit-requests-train.jsonl. The command after
`--rules` is the rules-only parser (one request per line in, one {"toolCalls"} per line out): the
blend's thresholds are chosen against what the rules find in the training requests. Without it
the blend thresholds are the model's own (add at the model threshold, never drop).

Reads only the training file (GIER training split: `{request, operators, pair}` per line). Writes,
next to this script:
  model.txt      the weights: one line per feature, its int8 weight for every family (see FORMAT)
  manifest.json  feature spec, sha256 of the training file and of model.txt, thresholds, CV scores
  golden.jsonl   requests with the scores this script computes from model.txt, for the Rust test

Pure Python 3 standard library, deterministic (fixed seeds, sorted iteration), one core, a few
minutes. The model: one logistic output per family over word uni- and bigrams and character
n-grams of the words; thresholds per family picked on out-of-fold predictions of a 5-fold
cross-validation grouped by `pair` (requests about the same image never straddle folds).
The Rust reader is engine/parse/src/intent.rs; its feature extractor must stay identical to
`features()` here (the golden test checks it).
"""
import hashlib, json, math, os, random, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TRAIN = os.path.join(os.environ.get('RETOUCH_SHARED') or os.path.join(HERE, '..', '..', '..', '..', 'shared'),
                             'data', 'edit-requests-train.jsonl')

# The scoring families and how the data set's operators map to them: the same mapping as
# ../shared/tools/score-parser.py (LABEL there).
LABEL = {'brightness': 'light', 'lightness': 'light', 'exposure': 'light', 'contrast': 'contrast',
         'saturation': 'saturation', 'hue': 'color', 'tint': 'color', 'sharpness': 'sharpen',
         'gaussain_blur': 'blur', 'radial_blur': 'blur', 'facet_blur': 'blur', 'black&white': 'bw',
         'crop': 'crop', 'rotate': 'rotate', 'flip': 'flip', 'inpaint_obj': 'generative',
         'color_bg': 'generative', 'deform_obj': 'generative', 'rotate_obj': 'generative',
         'flip_obj': 'generative', 'denoise': 'denoise', 'dehaze': 'dehaze'}
FAMILIES = sorted(set(LABEL.values()))

# Feature spec (mirrored in Rust).
MAX_BYTES = 8192      # the parser reads the first 8192 bytes of a command
MAX_TOKENS = 256      # words past this are ignored
CHAR_N = (4,)         # character n-grams of each word padded with '#', for misspellings
MIN_PAIRS = 2         # a feature must occur in requests about at least this many images
EPOCHS = 3
ALPHA = 0.1           # FTRL learning rate
L1 = 3.0              # FTRL regularisation
L2 = 1.0
FOLDS = 5
MIN_PRECISION = 0.90  # threshold rule, see pick_thresholds
FAMILY_PRECISION = 0.75
RAISED_PRECISION = 0.80
BLEND_FAMILY_PRECISION = 0.70
KEEP_PRECISION = 0.5   # blend, see pick_blend


def tokens(text):
    """Lower-case ASCII words of letters and digits; apostrophes (' and U+2019) are dropped inside
    words ("don't" -> "dont"); any other character separates words; a word of digits only is
    "0"."""
    raw = text.encode('utf-8')[:MAX_BYTES].decode('utf-8', 'ignore')
    out, word = [], []
    for ch in raw:
        if ch.isascii() and ch.isalnum():
            word.append(ch.lower())
        elif ch in "'\u2019":
            continue
        elif word:
            out.append(''.join(word)); word = []
        if len(out) >= MAX_TOKENS:
            break
    if word and len(out) < MAX_TOKENS:
        out.append(''.join(word))
    return ['0' if w.isdigit() else w for w in out]


def features(text):
    """The request's features, each once, in first-seen order: "w:WORD", "b:WORD WORD",
    "c:NGRAM" (n-grams of "#WORD#")."""
    toks = tokens(text)
    seen, out = set(), []
    def add(f):
        if f not in seen:
            seen.add(f); out.append(f)
    for i, t in enumerate(toks):
        add('w:' + t)
        if i > 0:
            add('b:' + toks[i - 1] + ' ' + t)
    for t in toks:
        p = '#' + t + '#'
        for n in CHAR_N:
            for i in range(len(p) - n + 1):
                add('c:' + p[i:i + n])
    return out


def labels(ops):
    return [1 if f in {LABEL[o] for o in ops if o in LABEL} else 0 for f in FAMILIES]


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def train(rows, vocab, seed):
    """FTRL-proximal logistic regression (McMahan et al. 2013), one output per family; rows are
    (feature ids, labels). The L1 term makes most weights exactly zero."""
    k = len(FAMILIES)
    fams = range(k)
    z = [[0.0] * k for _ in range(len(vocab))]
    n = [[0.0] * k for _ in range(len(vocab))]
    w = [[0.0] * k for _ in range(len(vocab))]
    zb, nb, b = [0.0] * k, [0.0] * k, [0.0] * k
    order = list(range(len(rows)))
    rng = random.Random(seed)
    a, beta, l1, l2 = ALPHA, 1.0, L1, L2

    def weight(zi, ni, reg1):
        if abs(zi) <= reg1:
            return 0.0
        return -(zi - math.copysign(reg1, zi)) / ((beta + math.sqrt(ni)) / a + l2)

    for _ in range(EPOCHS):
        rng.shuffle(order)
        for r in order:
            ids, y = rows[r]
            s = b[:]
            for i in ids:
                wi = w[i]
                for f in fams:
                    s[f] += wi[f]
            for f in fams:
                g = sigmoid(s[f]) - y[f]
                if g == 0.0:
                    continue
                g2 = g * g
                sig = (math.sqrt(nb[f] + g2) - math.sqrt(nb[f])) / a
                zb[f] += g - sig * b[f]
                nb[f] += g2
                b[f] = weight(zb[f], nb[f], 0.0)
                for i in ids:
                    ni = n[i]
                    sig = (math.sqrt(ni[f] + g2) - math.sqrt(ni[f])) / a
                    z[i][f] += g - sig * w[i][f]
                    ni[f] += g2
                    w[i][f] = weight(z[i][f], ni[f], l1)
    return w, b


def build_vocab(data):
    pairs = {}
    for feats, _, pair in data:
        for f in feats:
            pairs.setdefault(f, set()).add(pair)
    return sorted(f for f, p in pairs.items() if len(p) >= MIN_PAIRS)


def fit(data, seed):
    vocab = build_vocab(data)
    index = {f: i for i, f in enumerate(vocab)}
    rows = [([index[f] for f in feats if f in index], y) for feats, y, _ in data]
    w, b = train(rows, vocab, seed)
    return vocab, index, w, b


def scores(index, w, b, feats):
    z = b[:]
    for f in feats:
        i = index.get(f)
        if i is not None:
            for j in range(len(z)):
                z[j] += w[i][j]
    return [sigmoid(v) for v in z]


def fold_of(pair):
    return int(hashlib.sha256(pair.encode()).hexdigest(), 16) % FOLDS


def pick_thresholds(probs, ys):
    """Thresholds on out-of-fold probabilities. The probabilities are calibrated, so one cut-off
    for all families is where the marginal precision is the same for all: the one of highest
    micro F1 with micro precision >= MIN_PRECISION. A family whose precision there is below
    FAMILY_PRECISION (over >= 20 predictions) gets the lowest threshold at which it reaches
    RAISED_PRECISION, or none (never predicted)."""
    k = len(FAMILIES)
    cells = sorted(((p[j], y[j]) for p, y in zip(probs, ys) for j in range(k)), reverse=True)
    total = sum(map(sum, ys))
    tp = fp = 0
    best = (0.0, 1.0)
    for i, (p, y) in enumerate(cells):
        tp += y; fp += 1 - y
        if i + 1 < len(cells) and cells[i + 1][0] == p:
            continue
        prec, rec = tp / (tp + fp), tp / max(total, 1)
        f1 = 2 * prec * rec / max(prec + rec, 1e-9)
        if prec >= MIN_PRECISION and f1 > best[0]:
            best = (f1, p)
    common = round(best[1], 4)
    out = {}
    for j, fam in enumerate(FAMILIES):
        col = sorted(((p[j], y[j]) for p, y in zip(probs, ys)), reverse=True)
        above = [y for p, y in col if p >= common]
        if len(above) < 20 or sum(above) / len(above) >= FAMILY_PRECISION:
            out[fam] = common
            continue
        out[fam] = None
        tp = n = 0
        for i, (p, y) in enumerate(col):
            tp += y; n += 1
            if i + 1 < len(col) and col[i + 1][0] == p:
                continue
            if n >= 20 and tp / n >= RAISED_PRECISION:
                out[fam] = max(common, round(p, 4))
    return common, out


# The families the blend can add as a step of its own (the others need numbers or a side the
# words must give: crop, rotate, flip; denoise and dehaze have no tool).
ADDABLE = ('blur', 'bw', 'color', 'contrast', 'light', 'saturation', 'sharpen')
# Words that name a family outright: a rule detection of the family in a request that has one of
# them is never dropped (for generative: the object-level verbs and the background) (the model cannot know better than "sharpen it"; the data set's labels
# for these are inconsistent, e.g. black and white often done as desaturation). Crop, rotate and
# flip are found from their own words only, so they are never dropped. Mirrored in blend.rs.
NAMING = {'sharpen': ('sharpen', 'sharpened', 'sharpening', 'sharper', 'sharpness', 'sharp'),
          'bw': ('grayscale', 'greyscale', 'monochrome', 'black and white', 'b w', 'bw'),
          'blur': ('blur', 'blurred', 'bokeh'),
          'generative': ('remove', 'removed', 'removing', 'erase', 'delete', 'replace', 'rid',
                         'add', 'background', 'backround', 'photoshop', 'colorize', 'colourize',
                         'colorise', 'colourise'),
          'crop': None, 'rotate': None, 'flip': None}


def names_family(fam, toks):
    """Whether the request's words name `fam` outright (NAMING)."""
    if fam not in NAMING:
        return False
    words = NAMING[fam]
    if words is None:
        return True
    joined = ' ' + ' '.join(toks) + ' '
    return any(' ' + w + ' ' in joined for w in words)


def families_of_call(call):
    """How ../shared/tools/score-parser.py counts a tool call (the same rules)."""
    tool = str(call.get('tool', '')).lower()
    params = call.get('params') or {}
    text = json.dumps(params).lower()
    fam = set()
    if 'generate' in tool: return {'generative'}
    if tool in ('crop', 'rotate', 'flip'): return {tool}
    if 'denois' in tool or 'noise' in tool: return {'denoise'}
    if 'dehaz' in tool or 'haze' in tool: return {'dehaze'}
    if 'auto' in tool or 'enhance' in tool: return {'light', 'contrast'}
    if tool == 'apply_filter':
        f = str(params.get('filter', '')).lower()
        return {'grayscale': {'bw'}, 'greyscale': {'bw'}, 'sepia': {'color'}, 'blur': {'blur'},
                'sharpen': {'sharpen'}, 'normalize': {'contrast'}, 'denoise': {'denoise'}, 'dehaze': {'dehaze'},
                'auto_enhance': {'light', 'contrast'}}.get(f, {'other'})
    for keys, f in ((('bright', 'expos', 'lightness', 'gamma', 'shadow', 'highlight', 'whites', 'blacks', 'level'), 'light'),
                    (('contrast', 'clarity'), 'contrast'), (('saturat', 'vibran'), 'saturation'),
                    (('hue', 'tint', 'temperature', 'warmth', 'white_balance', 'whitebalance'), 'color'),
                    (('sharp',), 'sharpen'), (('blur',), 'blur'), (('denois', 'noise'), 'denoise'), (('dehaz', 'haze'), 'dehaze')):
        if any(k in tool or re.search(r'"[a-z_]*%s[a-z_]*"\s*:' % k, text) for k in keys): fam.add(f)
    return fam or {'other'}


def rules_families(cmd, requests):
    """Runs the rules-only parser on the requests; the families of its calls per request."""
    out = subprocess.run(cmd, input='\n'.join(r.replace('\n', ' ') for r in requests) + '\n',
                         capture_output=True, text=True, check=True)
    lines = [l for l in out.stdout.splitlines() if l.strip()]
    if len(lines) != len(requests):
        sys.exit(f'the rules command wrote {len(lines)} lines for {len(requests)} requests')
    fams = []
    for l in lines:
        calls = json.loads(l).get('toolCalls') or []
        fams.append(set().union(*[families_of_call(c) for c in calls]) if calls else set())
    return fams, hashlib.sha256(out.stdout.encode()).hexdigest()


def blend_predict(p, rules, j, fam, add, drop, named=frozenset()):
    """The blend's decision for family j (mirrors engine/parse/src/blend.rs)."""
    if fam in rules:
        return fam in named or p[j] >= drop[fam]
    if fam == 'blur' and 'generative' in rules:
        return False  # a blur the rules sent to the generative edit is a local one
    return add[fam] is not None and p[j] >= add[fam]


def family_table(ys, predicted):
    """Per-family and overall (micro) precision/recall of `predicted(i, j, fam)` against `ys`."""
    out, tot = {}, [0, 0, 0]
    for j, fam in enumerate(FAMILIES):
        tp = fp = fn = 0
        for i, y in enumerate(ys):
            pred = predicted(i, j, fam)
            tp += pred and y[j]; fp += pred and not y[j]; fn += (not pred) and y[j]
        out[fam] = {'precision': round(tp / max(tp + fp, 1), 3), 'recall': round(tp / max(tp + fn, 1), 3),
                    'predicted': tp + fp, 'support': tp + fn}
        tot[0] += tp; tot[1] += fp; tot[2] += fn
    P, R = tot[0] / max(tot[0] + tot[1], 1), tot[0] / max(tot[0] + tot[2], 1)
    out['overall'] = {'precision': round(P, 3), 'recall': round(R, 3), 'f1': round(2 * P * R / max(P + R, 1e-9), 3)}
    return out


def blend_table(probs, ys, rules, add, drop, named):
    return family_table(ys, lambda i, j, fam: blend_predict(probs[i], rules[i], j, fam, add, drop, named[i]))


def pick_blend(probs, ys, rules, named, thresholds):
    """Blend thresholds on out-of-fold probabilities and the rules' own detections.
    add[f]: where the rules found nothing of f, the model adds it from its own threshold (ADDABLE
    families only). drop[f]: the rules' detections of f in requests that do not name f outright
    (NAMING) are cut into bins by the model's probability (about 5 % of them, at least 40 cells),
    each bin's precision made non-increasing from the top; a detection stays where its bin's
    precision is at least KEEP_PRECISION (below it, the model contradicts it strongly): `drop` is
    the lowest probability kept (above 1: none kept). Last, a family whose blend precision is
    below BLEND_FAMILY_PRECISION (over >= 20 predictions) keeps the rules' detections only from
    the lowest bin boundary at which it reaches that (or only those named outright)."""
    bins = []
    named = [{f for f in FAMILIES if names_family(f, t)} for t in named]
    for j, fam in enumerate(FAMILIES):
        col = sorted(((p[j], y[j]) for p, y, r, nm in zip(probs, ys, rules, named)
                      if fam in r and fam not in nm), reverse=True)
        size = max(40, len(col) // 20)
        ceiling = 1.0
        i = 0
        while i < len(col):
            k = min(i + size, len(col))
            while k < len(col) and col[k][0] == col[k - 1][0]:
                k += 1
            tp = sum(y for _, y in col[i:k])
            prec = min(ceiling, tp / (k - i))
            ceiling = prec
            bins.append((prec, fam, True, col[k - 1][0], tp, k - i))
            i = k
    # The rules' detections stay unless their bin is more often wrong than right (a strong
    # contradiction).
    drop = {f: 2.0 for f in FAMILIES}
    add = {f: None for f in FAMILIES}
    for prec, fam, found, low, btp, bn in bins:
        if prec >= KEEP_PRECISION:
            drop[fam] = min(drop[fam], low)
    # The model's additions: where the rules found nothing, at the model's own thresholds.
    for fam in ADDABLE:
        add[fam] = thresholds[fam]
    # A family below BLEND_FAMILY_PRECISION keeps only the rules' detections the model backs
    # most, down to where the family reaches it (or none of them but those named outright).
    for j, fam in enumerate(FAMILIES):
        table = blend_table(probs, ys, rules, add, drop, named)[fam]
        if table['predicted'] < 20 or table['precision'] >= BLEND_FAMILY_PRECISION:
            continue
        lows = sorted({b[3] for b in bins if b[1] == fam and b[2]}, reverse=True)
        drop[fam] = 2.0
        for low in lows:
            trial = dict(drop, **{fam: low})
            t = blend_table(probs, ys, rules, add, trial, named)[fam]
            if t['predicted'] >= 20 and t['precision'] >= BLEND_FAMILY_PRECISION:
                drop[fam] = low
    return add, drop


def quantise(vocab, w, b):
    """int8 weights with one scale per family: weight = q * scale."""
    k = len(FAMILIES)
    scale = [max(abs(w[i][f]) for i in range(len(vocab))) / 127 or 1.0 for f in range(k)]
    scale = [float('%.6g' % s) for s in scale]
    q = [[max(-127, min(127, round(w[i][f] / scale[f]))) for f in range(k)] for i in range(len(vocab))]
    keep = [i for i in range(len(vocab)) if any(q[i])]
    return ([vocab[i] for i in keep], [q[i] for i in keep], [float('%.6g' % v) for v in b], scale)


def write_model(path, feats, q, bias, scale, thresholds, add, drop):
    """FORMAT: lines starting with '#' are comments; then `families NAME...`, `bias V...`,
    `scale V...`, `threshold P...`, `add P...`, `drop P...` (decimal floats, one per family; a
    threshold above 1 means never), then one line per feature with a weight,
    `FEATURE<TAB>FAMILY=Q FAMILY=Q...` listing its non-zero int8 weights, features sorted by
    their UTF-8 bytes."""
    with open(path, 'w', newline='\n') as out:
        out.write('# Retouch intent model, written by engine/parse/intent/train.py; do not edit.\n')
        out.write('# logit[f] = bias[f] + scale[f] * sum of the weights of the features present.\n')
        out.write('families ' + ' '.join(FAMILIES) + '\n')
        out.write('bias ' + ' '.join(repr(v) for v in bias) + '\n')
        out.write('scale ' + ' '.join(repr(v) for v in scale) + '\n')
        out.write('threshold ' + ' '.join(repr(2.0 if thresholds[f] is None else thresholds[f])
                                          for f in FAMILIES) + '\n')
        out.write('add ' + ' '.join(repr(2.0 if add[f] is None else add[f]) for f in FAMILIES) + '\n')
        out.write('drop ' + ' '.join(repr(drop[f]) for f in FAMILIES) + '\n')
        for f, row in sorted(zip(feats, q), key=lambda x: x[0].encode()):
            out.write(f + '\t' + ' '.join(f'{FAMILIES[j]}={v}' for j, v in enumerate(row) if v) + '\n')


def read_model(path):
    model = {}
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line or line.startswith('#'):
            continue
        if '\t' in line:
            f, vals = line.split('\t')
            row = [0] * len(model['families'])
            for kv in vals.split(' '):
                fam, v = kv.split('=')
                row[model['families'].index(fam)] = int(v)
            model.setdefault('w', {})[f] = row
        else:
            key, *vals = line.split(' ')
            model[key] = vals if key == 'families' else [float(v) for v in vals]
    return model


def model_scores(model, text):
    """Scores exactly as the Rust reader computes them: integer sums, then f64."""
    k = len(model['families'])
    sums = [0] * k
    for f in features(text):
        row = model['w'].get(f)
        if row:
            for j in range(k):
                sums[j] += row[j]
    return [sigmoid(model['bias'][j] + model['scale'][j] * sums[j]) for j in range(k)]


GOLDEN = [
    "Significantly increase the lighting",
    "Is it possible to reduce any of the shadows?",
    "Enhance the colors and make them more vivid",
    "crop out the left side",
    "cut off the bottom",
    "Please make it a bit brighter, then rotate left and save as webp at 80",
    "remove the man in the background",
    "make it black and white",
    "Sharpen the image, it's blurry",
    "flip it horizontally",
    "Can someone straighten this photo? It's tilted 5 degrees",
    "blur the background please",
    "brigthness and saturnation up",
    "too much noise, please denoise",
    "remove the haze from the sky",
    "make it look better",
    "fix this old photo",
    "Don\u2019t change the colours, just increase contrast a LOT!!!",
    "caf\u00e9 photo \u2014 warmer tones \U0001F600 please",
    "",
    "&lt;3 resize to 1200x800 px and 50 %",
]


def score_table(probs, ys, thresholds):
    return family_table(ys, lambda i, j, fam: thresholds[fam] is not None and probs[i][j] >= thresholds[fam])


def main():
    args = sys.argv[1:]
    rules_cmd = None
    if '--rules' in args:
        rules_cmd = args[args.index('--rules') + 1:]
        args = args[:args.index('--rules')]
    path = args[0] if args else DEFAULT_TRAIN
    blob = open(path, 'rb').read()
    lines = [json.loads(l) for l in blob.decode('utf-8').splitlines() if l.strip()]
    data = [(features(d['request']), labels(d['operators']), d['pair']) for d in lines]
    print(f'{len(data)} requests, {len({d[2] for d in data})} images', file=sys.stderr)

    # Out-of-fold probabilities, folds grouped by image pair.
    oof = [None] * len(data)
    for k in range(FOLDS):
        tr = [d for d in data if fold_of(d[2]) != k]
        _, index, w, b = fit(tr, seed=k)
        for i, d in enumerate(data):
            if fold_of(d[2]) == k:
                oof[i] = scores(index, w, b, d[0])
        print(f'fold {k + 1}/{FOLDS} done', file=sys.stderr)
    ys = [d[1] for d in data]
    common, thresholds = pick_thresholds(oof, ys)
    cv = score_table(oof, ys, thresholds)
    blend = None
    if rules_cmd:
        rules, rules_sha = rules_families(rules_cmd, [d['request'] for d in lines])
        toks = [tokens(d['request']) for d in lines]
        add, drop = pick_blend(oof, ys, rules, toks, thresholds)
        named = [{f for f in FAMILIES if names_family(f, t)} for t in toks]
        none = {f: None for f in FAMILIES}
        blend = {'rules_command': ' '.join(rules_cmd), 'rules_output_sha256': rules_sha,
                 'add': add, 'drop': drop,
                 'rule': pick_blend.__doc__.split('\n', 1)[1].strip().replace('\n    ', ' '),
                 'naming_words': NAMING,
                 'cv': {'rules_only': blend_table(oof, ys, rules, none, {f: 0.0 for f in FAMILIES}, named),
                        'blend': blend_table(oof, ys, rules, add, drop, named)}}
    else:
        print('no --rules: the blend adds at the model thresholds and never drops', file=sys.stderr)
        add, drop = thresholds, {f: 0.0 for f in FAMILIES}

    vocab, index, w, b = fit(data, seed=FOLDS)
    feats, q, bias, scale = quantise(vocab, w, b)
    model_path = os.path.join(HERE, 'model.txt')
    write_model(model_path, feats, q, bias, scale, thresholds, add, drop)
    model = read_model(model_path)
    with open(os.path.join(HERE, 'golden.jsonl'), 'w', newline='\n') as out:
        for text in GOLDEN:
            out.write(json.dumps({'request': text, 'features': len(features(text)),
                                  'scores': [repr(s) for s in model_scores(model, text)]}) + '\n')
    manifest_path = os.path.join(HERE, 'manifest.json')
    old = json.load(open(manifest_path)) if os.path.exists(manifest_path) else {}
    manifest = {
        'model': 'model.txt',
        'model_sha256': hashlib.sha256(open(model_path, 'rb').read()).hexdigest(),
        'train_file': os.path.basename(path),
        'train_sha256': hashlib.sha256(blob).hexdigest(),
        'train_requests': len(data),
        'families': FAMILIES,
        'label_map': LABEL,
        'features': {
            'text': f'first {MAX_BYTES} bytes of UTF-8',
            'tokens': 'maximal runs of ASCII letters/digits, lower-cased; \' and U+2019 dropped; '
                      f'all-digit words become "0"; at most {MAX_TOKENS} words',
            'kinds': ['w:WORD', 'b:WORD WORD (adjacent)', 'c:NGRAM of "#WORD#", n in %s' % list(CHAR_N)],
            'presence': 'binary, each feature counted once',
            'vocabulary': f'features in requests about >= {MIN_PAIRS} images; rows all zero after quantisation dropped',
        },
        'training': {'loss': 'logistic per family', 'optimiser': 'FTRL-proximal', 'alpha': ALPHA, 'beta': 1.0, 'l1': L1,
                     'l2': L2, 'epochs': EPOCHS, 'seed': FOLDS},
        'quantisation': 'int8 per weight, one scale per family (max |w| / 127); bias as float',
        'weights': sum(1 for row in q for v in row if v),
        'rows': len(feats),
        'thresholds': thresholds,
        'threshold_rule': f'on out-of-fold CV probabilities: one cut-off, highest micro F1 with micro '
                          f'precision >= {MIN_PRECISION} ({common}); a family below {FAMILY_PRECISION} precision there '
                          f'gets the lowest threshold reaching {RAISED_PRECISION}, or none',
        'cv': {'folds': FOLDS, 'grouped_by': 'pair (sha256 of pair mod folds)', 'scores': cv},
        'blend': blend,
    }
    if 'dev' in old:
        manifest['dev'] = old['dev']
    with open(manifest_path, 'w', newline='\n') as out:
        json.dump(manifest, out, indent=1)
        out.write('\n')
    print('CV model only:', cv['overall'], file=sys.stderr)
    if blend:
        print('CV rules only:', blend['cv']['rules_only']['overall'], file=sys.stderr)
        print('CV blend:', blend['cv']['blend']['overall'], file=sys.stderr)


if __name__ == '__main__':
    main()
