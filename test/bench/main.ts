// `npm run bench -- <name>`: builds, then runs one benchmark against a fresh database.
import { runAccessLogBench } from './access-log';
import { runComplianceBench } from './compliance';
import { runNotifyBench } from './notify';
import { runReadLoggingBench } from './read-logging';
import { runSearchBench } from './search';
import { runStoreBench } from './store';
import { runWebBench } from './web';

const benches = new Map<string, () => Promise<void>>([
  ['store', runStoreBench],
  ['notify', runNotifyBench],
  ['compliance', runComplianceBench],
  ['access-log', runAccessLogBench],
  ['read-logging', runReadLoggingBench],
  ['search', runSearchBench],
  ['web', runWebBench],
]);

async function main(name: string | undefined): Promise<number> {
  const bench = name === undefined ? undefined : benches.get(name);
  if (!bench) {
    console.error(`Usage: npm run bench -- <name>, one of: ${[...benches.keys()].join(', ')}`);
    return 2;
  }
  await bench();
  return 0;
}

main(process.argv[2]).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
