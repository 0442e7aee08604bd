// Writes NAME.br and NAME.gz beside every compressible file in the build output, so the
// server can send them as they are (by Accept-Encoding). Deterministic: fixed settings,
// and gzip headers carry no file name and no time (Node writes mtime 0).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;
export const MIN_BYTES = 1024;

export function brotli(data: Buffer): Buffer {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

export function gzip(data: Buffer): Buffer {
  return gzipSync(data, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Compresses the files of `dir` that qualify; returns the paths it compressed. */
export function precompressDir(dir: string): string[] {
  const done: string[] = [];
  for (const file of walk(dir)) {
    if (!COMPRESSIBLE.test(file) || statSync(file).size <= MIN_BYTES) continue;
    const data = readFileSync(file);
    writeFileSync(`${file}.br`, brotli(data));
    writeFileSync(`${file}.gz`, gzip(data));
    done.push(file);
  }
  return done;
}

/** Vite plugin: precompress the whole output directory once the build is written. */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'order-system:precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      precompressDir(outDir);
    },
  };
}
