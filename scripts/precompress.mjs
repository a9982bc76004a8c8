// Writes `.gz` (gzip -9) and `.br` (brotli -11) beside every text, wasm, JSON and SVG file
// of a built bundle; the server sends them to browsers that accept them (tower-http's
// `precompressed_br`/`precompressed_gzip`), so the visitor downloads the compressed
// size without the server compressing on every request.
// As a trunk post-build hook it compresses the staging directory of release builds.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export function precompress(dir) {
  for (const file of readdirSync(dir).filter((f) => /\.(wasm|js|css|html|json|ts|svg)$/.test(f))) {
    const bytes = readFileSync(join(dir, file));
    writeFileSync(join(dir, `${file}.gz`), gzipSync(bytes, { level: 9 }));
    writeFileSync(join(dir, `${file}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.env.TRUNK_STAGING_DIR;
  if (dir && process.env.TRUNK_PROFILE === 'release') precompress(dir);
}
