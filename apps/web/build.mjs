// Builds the web application into dist/apps/web: one bundle of the app and its libraries, split
// where the app loads code only when it needs it (the other languages' dictionaries, the charts),
// every file named by a hash of its content so browsers may keep it for good, and each file
// stored beside its brotli and gzip compressions for the server to choose from.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild-wasm';

const root = new URL('../..', import.meta.url).pathname;
const out = join(root, 'dist/apps/web');
const assets = join(out, 'assets');

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: ['apps/web/src/main.tsx'],
  tsconfig: 'apps/web/tsconfig.json',
  bundle: true,
  splitting: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  outdir: assets,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
});

const hashed = (name, content) =>
  `${name}-${createHash('sha256').update(content).digest('hex').slice(0, 12)}`;

const css = readFileSync(join(root, 'apps/web/public/styles.css'));
const cssName = `${hashed('styles', css)}.css`;
writeFileSync(join(assets, cssName), css);

const outputs = Object.entries(result.metafile.outputs);
const [entry, main] = outputs.find(([, output]) => output.entryPoint === 'apps/web/src/main.tsx');
const url = (file) => `/${relative(out, join(root, file))}`;
// The chunks the entry imports at once load beside it rather than after it is parsed.
const preloads = main.imports
  .filter((i) => i.kind === 'import-statement')
  .map((i) => `    <link rel="modulepreload" href="${url(i.path)}" />`);

const page = readFileSync(join(root, 'apps/web/public/index.html'), 'utf8')
  .replace('href="/styles.css"', `href="/assets/${cssName}"`)
  .replace(/^(\s*)<script type="module" src="[^"]*"><\/script>/m, (_, indent) =>
    [`${indent}<script type="module" src="${url(entry)}"></script>`, ...preloads].join('\n'),
  );
if (!page.includes(url(entry)) || !page.includes(cssName)) {
  throw new Error('apps/web/public/index.html no longer names the app and its style sheet');
}
writeFileSync(join(out, 'index.html'), page);

/** Every file, compressed once here so that serving one costs no CPU. */
function compressAll(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      compressAll(path);
      continue;
    }
    const content = readFileSync(path);
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  }
}
compressAll(out);
