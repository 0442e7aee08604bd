import { mkdtempSync, readFileSync, existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { gzip, precompressDir } from './precompress';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'precompress-'));
  dirs.push(d);
  return d;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('precompressDir', () => {
  it('writes .br and .gz beside text files over 1 KB, and only those', () => {
    const d = tmp();
    mkdirSync(join(d, 'assets'));
    const big = 'console.log("订单");\n'.repeat(200);
    writeFileSync(join(d, 'assets', 'a.js'), big);
    writeFileSync(join(d, 'index.html'), '<p>small</p>');
    writeFileSync(join(d, 'logo.png'), Buffer.alloc(4096));
    writeFileSync(join(d, 'data.json'), JSON.stringify({ x: 'y'.repeat(2000) }));
    const done = precompressDir(d).map((f) => f.slice(d.length));
    expect(done).toEqual(['/assets/a.js', '/data.json']);
    expect(existsSync(join(d, 'index.html.gz'))).toBe(false);
    expect(existsSync(join(d, 'logo.png.br'))).toBe(false);
    expect(brotliDecompressSync(readFileSync(join(d, 'assets', 'a.js.br'))).toString()).toBe(big);
    expect(gunzipSync(readFileSync(join(d, 'assets', 'a.js.gz'))).toString()).toBe(big);
  });

  it('is deterministic: no time or file name in the gzip header', () => {
    const data = Buffer.from('x'.repeat(5000));
    const a = gzip(data);
    const b = gzip(data);
    expect(a.equals(b)).toBe(true);
    expect(a.readUInt32LE(4)).toBe(0); // MTIME
    expect((a[3] ?? 0xff) & 0x08).toBe(0); // FLG.FNAME not set
  });
});
