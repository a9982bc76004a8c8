// The embed bundle in wasm parts (feature `split`, src/cards/part.rs), run by
// shrink-bundle.mjs before it shrinks the files.
//
// Trunk runs wasm-bindgen on the whole module; a module with split points imports from
// a placeholder that only wasm-split resolves, and wasm-split must read rustc's output
// (with the linker's relocations, build.rs) before wasm-bindgen. So, when the staged
// glue imports the placeholder: split rustc's module (wasm_split_cli_support, installed
// by scripts/install.sh), run wasm-bindgen again on the start, and stage the parts
// (`split_*.wasm`, the `chunk_*.wasm` parts share, and `__wasm_split.js`, which fetches
// them beside itself: under /widget/ on the chat server).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const PLACEHOLDER = '__wasm_split_placeholder__';

/** Whether a name must keep its spelling: the parts and `__wasm_split.js` link by it. */
export const linksParts = (name) => name.startsWith('__wasm_split') || name === '__indirect_function_table' || name === '__stack_pointer';

/**
 * The parts' loader, with each part's fetch marked as handled: a part is fetched beside
 * the chunks it needs, and when a chunk fails first its own fetch is never awaited, so
 * its failure would reach the host page as an unhandled rejection. The failure still
 * reaches the widget (Try again) through the chunk's.
 */
function handled(loader) {
  const marked = loader.replace(/const src = (fetch\([^;]+\));/g, 'const src = $1; src.catch(() => {});');
  if (marked === loader) throw new Error('__wasm_split.js: no part fetch found to mark (wasm-split-cli changed?)');
  return marked;
}

/** Splits the staged bundle in `dir` when it has split points; returns whether it did. */
export function split(dir, root) {
  const glue = readdirSync(dir).find((f) => f.endsWith('.js') && readFileSync(join(dir, f), 'utf8').includes(PLACEHOLDER));
  if (!glue) return false;
  const stem = glue.replace(/\.js$/, '');
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const raw = join(target, 'wasm32-unknown-unknown', 'release', `${stem}.wasm`);
  const out = mkdtempSync(join(tmpdir(), 'chinwag-split-'));
  try {
    execFileSync('wasm-split-cli', [raw, out, '--out-name', stem, '--target', 'web'], { stdio: 'inherit' });
    rmSync(join(dir, glue));
    rmSync(join(dir, `${stem}_bg.wasm`));
    rmSync(join(dir, 'snippets'), { recursive: true, force: true });
    // Trunk's own flags, and the two that keep what the parts link against.
    execFileSync('wasm-bindgen', [join(out, `${stem}.wasm`), '--target', 'web', '--no-typescript', '--keep-lld-exports', '--no-demangle', '--out-dir', dir, '--out-name', stem], { stdio: 'inherit' });
    for (const file of readdirSync(out).filter((f) => /^(split_.*|chunk_.*)\.wasm$/.test(f))) {
      copyFileSync(join(out, file), join(dir, file));
    }
    writeFileSync(join(dir, '__wasm_split.js'), handled(readFileSync(join(out, '__wasm_split.js'), 'utf8')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return true;
}
