// The peer pipeline: sharp (libvips) decodes, resizes the shorter side to 256 and centre-crops 224;
// onnxruntime-node runs the same model on the same files, batch 1, ImageNet normalisation.
// Usage: node peer.mjs <file listing image paths, one a line> <model.onnx>
// Prints one JSON line: images, seconds for the whole path, and for its parts measured apart.
import fs from 'node:fs/promises';
import ort from 'onnxruntime-node';
import sharp from 'sharp';

const [listFile, modelPath] = process.argv.slice(2);
const files = (await fs.readFile(listFile, 'utf8')).split('\n').filter(Boolean);
const bytes = await Promise.all(files.map((f) => fs.readFile(f)));
const session = await ort.InferenceSession.create(modelPath);
const mean = [0.485, 0.456, 0.406];
const std = [0.229, 0.224, 0.225];

async function prepare(buf) {
  // shorter side to 256 (as Viewfold's resize), then the centre 224×224, in one libvips pipeline
  const meta = await sharp(buf).metadata();
  const scale = 256 / Math.min(meta.width, meta.height);
  const w = Math.max(224, Math.round(meta.width * scale));
  const h = Math.max(224, Math.round(meta.height * scale));
  const { data } = await sharp(buf).resize(w, h, { fit: 'fill' })
    .extract({ left: (w - 224) >> 1, top: (h - 224) >> 1, width: 224, height: 224 })
    .removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const plane = 224 * 224;
  const channels = data.length / plane;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const v = data[i * channels + (channels === 1 ? 0 : c)] / 255;
      out[c * plane + i] = (v - mean[c]) / std[c];
    }
  }
  return out;
}

async function infer(tensor) {
  const result = await session.run({ input: new ort.Tensor('float32', tensor, [1, 3, 224, 224]) }, ['embedding']);
  return result.embedding.data;
}

// warm up
for (let i = 0; i < 10; i++) await infer(await prepare(bytes[i % bytes.length]));

let t0 = performance.now();
const tensors = [];
for (const b of bytes) tensors.push(await prepare(b));
const prepareSeconds = (performance.now() - t0) / 1000;

t0 = performance.now();
for (const t of tensors) await infer(t);
const inferSeconds = (performance.now() - t0) / 1000;

// the whole path: decode the next 32 concurrently (libvips threads) while inferring one by one
t0 = performance.now();
for (let from = 0; from < bytes.length; from += 32) {
  const batch = await Promise.all(bytes.slice(from, from + 32).map(prepare));
  for (const t of batch) await infer(t);
}
const wholeSeconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ images: bytes.length, wholeSeconds, prepareSeconds, inferSeconds }));
