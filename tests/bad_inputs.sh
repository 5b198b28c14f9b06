#!/usr/bin/env bash
# Feeds fewdata-cli the bad inputs a researcher meets (broken configs, messy image folders,
# damaged run folders and files, a full disk, a read-only folder) and prints one Markdown row
# each: what was tried, the exit code, the first line of the message, and what is on disk
# afterwards. The README's table of bad inputs is this script's output:
#   bash tests/bad_inputs.sh build/app/fewdata-cli
# The disk-full case needs root (a 2 MiB tmpfs); it is reported as skipped otherwise. The
# read-only case uses a read-only mount as root, a mode-555 folder otherwise.
set -uo pipefail
cli="$(realpath "$1")"
tmp="$(mktemp -d)"
trap 'umount "$tmp/full" "$tmp/ro" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
tiny=(--image-size 16 --epochs 1 --batch 16 --max-test 50 --threads 2)

row() {  # row "what" "on disk afterwards" command...
  local what="$1" after="$2"
  shift 2
  "$@" >out.txt 2>err.txt
  local code=$?
  # The message: stderr's first line, else stdout's last (a run that reports and goes on).
  local msg
  msg="$( (grep -m1 -v -E '^\s*$' err.txt || tail -n 1 out.txt) | sed 's/|/\\|/g' | cut -c1-170)"
  printf '| %s | %s | %s | %s |\n' "$what" "$code" "${msg:-(none)}" "$(eval "$after")"
}
exists() { [ -e "$1" ] && echo "$1 exists" || echo "nothing written"; }
files() {
  local list
  list="$(cd "$1" 2>/dev/null && ls | tr '\n' ' ')" || { echo "no folder"; return; }
  echo "${list:-nothing written}"
}

# A small image folder: 2 classes of 12 PNGs, made from Fashion-MNIST by the CLI's own reader
# would need OpenCV here; python3 writes tiny PGM-in-PNG-free files instead: 8x8 grey BMPs.
python3 - <<'EOF'
import os, struct, random
random.seed(0)
def bmp(path, v):
    w = h = 8
    row = bytes([v, v, v] * w)
    pixels = row * h
    size = 54 + len(pixels)
    hdr = b'BM' + struct.pack('<IHHI', size, 0, 0, 54)
    info = struct.pack('<IiiHHIIiiII', 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    open(path, 'wb').write(hdr + info + pixels)
for c in ('cat', 'dog'):
    os.makedirs(f'folder/{c}', exist_ok=True)
    for i in range(12):
        bmp(f'folder/{c}/{i}.bmp', random.randrange(256))
open('folder/cat/truncated.bmp', 'wb').write(open('folder/cat/0.bmp', 'rb').read()[:30])
open('folder/dog/notes.png', 'w').write('not an image')
os.makedirs('empty', exist_ok=True)
os.makedirs('short/a', exist_ok=True); os.makedirs('short/b', exist_ok=True)
for i in range(12): bmp(f'short/a/{i}.bmp', i * 20)
for i in range(3): bmp(f'short/b/{i}.bmp', i * 20)
os.makedirs('mnist', exist_ok=True)
os.makedirs('one/only', exist_ok=True)
for i in range(12): bmp(f'one/only/{i}.bmp', i * 20)
import shutil, zlib
shutil.copytree('folder', 'fifo-folder')
os.mkfifo('fifo-folder/cat/zz.png')
shutil.copytree('folder', 'huge-folder')
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d))
w = h = 10000  # 100 megapixels of one grey: a 100 KB file
rows = zlib.compress((b'\x00' + b'\x80' * w) * h, 9)
open('huge-folder/cat/huge.png', 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', rows) + chunk(b'IEND', b''))
open('deep.json', 'w').write('{"epochs": ' + '[' * 100000 + ']' * 100000 + '}')
os.mkfifo('fifo.json')
os.makedirs('config-folder.json', exist_ok=True)
open('mnist/train-images-idx3-ubyte.gz', 'wb').write(b'\x00\x00\x08\x03' + struct.pack('>III', 60000, 28, 28) + b'\x00' * 100)
EOF
echo '{"epochs": 2, "learning_rate": 0.1}' >unknown-key.json
echo '{"epochs": "ten"}' >ill-typed.json
echo '{"epochs": 2, "per_class": ' >truncated.json
echo '{"per_class": 0}' >out-of-range.json
printf 'Image IDs,Predictions\nimg_0.JPEG,3\n' >truth.csv
printf 'Image,Label\nimg_0.JPEG,3\n' >bad-header.csv
printf 'Image IDs,Predictions\nimg_0.JPEG,3\nimg_0.JPEG,4\n' >twice.csv
printf 'Image IDs,Predictions\nimg_0.JPEG,cat\n' >not-a-label.csv
printf 'Image IDs,Predictions\n' >header-only.csv

echo "| bad input | exit | what the user sees (first line) | on disk afterwards |"
echo "| --- | --- | --- | --- |"
row "unknown flag \`--epoch 3\`" "exists r" "$cli" train --epoch 3 --out r
row "config: unknown key \`learning_rate\`" "exists r" "$cli" train --config unknown-key.json --out r
row "config: \`\"epochs\": \"ten\"\`" "exists r" "$cli" train --config ill-typed.json --out r
row "config: truncated JSON" "exists r" "$cli" train --config truncated.json --out r
row "config: \`per_class\` 0" "exists r" "$cli" train --config out-of-range.json --out r
row "config file missing" "exists r" "$cli" train --config nowhere.json --out r
row "\`--lr nan\` (a flag can carry what JSON cannot)" "exists r" "$cli" train --lr nan --out r
row "dataset folder missing" "exists r" "$cli" train --dataset nowhere --out r
row "dataset folder without class folders" "exists r" "$cli" train --dataset empty --out r
row "a class with fewer images than K" "exists r" "$cli" train --dataset short "${tiny[@]}" --per-class 5 --out r
row "truncated BMP and a text file named .png among the images" "files r-folder" \
  "$cli" train --dataset folder "${tiny[@]}" --per-class 4 --out r-folder
row "Fashion-MNIST IDX file shorter than its header says" "exists r" \
  env FEWDATA_FASHION_MNIST_DIR="$tmp/mnist" "$cli" train "${tiny[@]}" --per-class 10 --out r
row "\`--out\` an existing, non-empty folder" "files r-folder" "$cli" train "${tiny[@]}" --per-class 10 --out r-folder
# Read-only: a read-only mount as root (root ignores permissions), a mode-555 folder otherwise.
mkdir -p ro
if ! mount -t tmpfs -o ro,size=1m tmpfs ro 2>/dev/null; then chmod 555 ro; fi
row "\`--out\` in a read-only folder" "files ro" "$cli" train "${tiny[@]}" --per-class 10 --out ro/r
umount ro 2>/dev/null
if mkdir -p full && mount -t tmpfs -o size=2m tmpfs full 2>/dev/null; then
  row "disk full while saving the model (2 MiB tmpfs)" "files full/r" "$cli" train "${tiny[@]}" --per-class 10 --out full/r
else
  echo "| disk full while saving the model | (skipped: needs root for a tmpfs) | | |"
fi
cp -r r-folder unfinished && rm unfinished/result.json
row "\`--features-from\` a run that did not finish" "exists r" \
  "$cli" train "${tiny[@]}" --per-class 10 --method reptile --features-from unfinished --out r
mkdir -p runs && cp -r r-folder runs/baseline-seed0 && cp -r r-folder runs/baseline-seed1
printf '{"status": "finished", "val_acc' >runs/baseline-seed1/result.json
row "export: a run folder with a truncated result.json" "grep -c 'baseline-seed1' t.md | sed 's/^/t.md written, the run listed as left out: /'" \
  "$cli" export runs --format md --output t.md
row "export: \`--output\` an existing file" "echo kept" "$cli" export runs --format md --output t.md
row "resume: a finished run" "files r-folder" "$cli" train --resume r-folder
cp -r r-folder crashed && rm crashed/result.json
row "resume: another \`--epochs\`" "files crashed" "$cli" train --resume crashed --epochs 9
head -c 1000 crashed/training_state.pt >crashed/t && mv crashed/t crashed/training_state.pt
row "resume: a truncated training_state.pt" "files crashed" "$cli" train --resume crashed
head -c 1000 runs/baseline-seed0/features.pt >features.pt && cp features.pt runs/baseline-seed0/
row "a truncated features.pt" "exists r" \
  "$cli" train "${tiny[@]}" --dataset folder --per-class 4 --method reptile --features-from runs/baseline-seed0 --out r
row "predict: a run folder without best_model.pt" "exists p.csv" \
  "$cli" predict empty --images folder/cat --output p.csv
row "score: a submission with another header" "echo -" "$cli" score truth.csv bad-header.csv
row "score: an id given twice" "echo -" "$cli" score truth.csv twice.csv
row "score: a label that is not a number" "echo -" "$cli" score truth.csv not-a-label.csv
row "config: a FIFO named \`fifo.json\`" "exists r" timeout 60 "$cli" train --config fifo.json --out r
row "config: a folder" "exists r" "$cli" train --config config-folder.json --out r
row "config: nested 100,000 levels deep" "exists r" "$cli" train --config deep.json --out r
row "a FIFO named \`zz.png\` among the images" "files r-fifo" \
  timeout 120 "$cli" train --dataset fifo-folder "${tiny[@]}" --per-class 4 --out r-fifo
row "a 10000 x 10000 PNG (100 KB) among the images" "files r-huge" \
  "$cli" train --dataset huge-folder "${tiny[@]}" --per-class 4 --out r-huge
row "a dataset of one class" "exists r" "$cli" train --dataset one "${tiny[@]}" --per-class 4 --out r
row "\`--threads 1024\` on $(nproc) cores" "files r-threads" \
  "$cli" train --image-size 16 --epochs 1 --batch 16 --max-test 50 --per-class 10 --threads 1024 --out r-threads
row "\`--out\` a dangling symbolic link" "echo kept" bash -c "ln -s nowhere dangling && '$cli' train --out dangling"
row "\`--out\` a name longer than the system allows, in a missing folder" "exists missing" \
  "$cli" train --out "missing/$(printf 'a%.0s' $(seq 300))"
cp -r r-folder manifest-run && rm manifest-run/result.json
rm "$(python3 -c 'import json; print(json.load(open("manifest-run/manifest.json"))["train"][0]["id"])')"
row "resume: a drawn image deleted since the run began" "files manifest-run" "$cli" train --resume manifest-run
echo secret >victim.txt && ln -s victim.txt link.md
row "export: \`--output\` a symbolic link" "cat victim.txt | sed 's/^/target kept: /'" \
  "$cli" export runs --format md --output link.md
row "export: \`--output\` in a missing folder" "exists nodir" "$cli" export runs --format md --output nodir/x.md
mkdir -p runs/dir-result && mkdir runs/dir-result/result.json
cp -r runs/baseline-seed0 runs/fifo-result && rm runs/fifo-result/result.json && mkfifo runs/fifo-result/result.json
row "export: a folder named result.json, a FIFO as result.json" "grep -c -E 'dir-result|fifo-result' t2.md | sed 's/^/t2.md written, runs listed as left out: /'" \
  timeout 60 "$cli" export runs --format md --output t2.md
row "compare: \`--seeds 2000000000\`" "exists c" "$cli" compare --methods baseline --seeds 2000000000 --out c
row "compare: \`--seed 2147483647 --seeds 2\`" "exists c" "$cli" compare --methods baseline --seed 2147483647 --seeds 2 --out c
row "score: a submission with a header and no rows" "echo -" "$cli" score truth.csv header-only.csv
