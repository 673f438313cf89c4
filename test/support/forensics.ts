import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { open, unpack } from '../../libs/vault/src/aes-gcm';

/** Every heap and WAL file of a PostgreSQL cluster, as bytes: what a copy of its data folder holds. */
export async function clusterFiles(clusterDir: string): Promise<Buffer[]> {
  const files: Buffer[] = [];
  for (const folder of ['base', 'pg_wal']) {
    for (const entry of await readdir(join(clusterDir, folder), {
      recursive: true,
      withFileTypes: true,
    })) {
      if (entry.isFile()) files.push(await readFile(join(entry.parentPath, entry.name)));
    }
  }
  return files;
}

/**
 * The audit's attack: a wrapped subject key is stored as a short bytea (a 0x7b length byte, then
 * iv, tag and ciphertext), so every such 61-byte run in the files is tried with every key left.
 */
export function recoverDataKeys(
  files: readonly Buffer[],
  subjectId: string,
  keys: readonly Buffer[],
): Buffer[] {
  const dataKeys: Buffer[] = [];
  const aad = Buffer.from(subjectId);
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // millions of failed opens: no stack traces
  try {
    for (const file of files) {
      for (let at = file.indexOf(0x7b); at !== -1; at = file.indexOf(0x7b, at + 1)) {
        if (at + 61 > file.length) break;
        const candidate = unpack(file.subarray(at + 1, at + 61));
        for (const key of keys) {
          try {
            dataKeys.push(open(key, candidate, aad));
          } catch {
            // not a key of this subject under this key
          }
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return dataKeys;
}
