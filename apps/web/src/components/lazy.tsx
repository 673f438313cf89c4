import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { LoadError, Loading } from './page.js';

const loaded = new Map<() => Promise<unknown>, unknown>();

/**
 * A workspace's code, fetched the first time one of its pages opens (esbuild splits each
 * `import()` into its own file), then kept. A file that cannot be fetched — a new version
 * deployed since the page loaded — says so, with a way to reload.
 */
export function Lazy<M>({
  load,
  render,
}: {
  load: () => Promise<M>;
  render: (module: M) => ComponentChildren;
}) {
  // Keyed by the loader: the same <Lazy> may be handed another workspace's loader.
  const module = loaded.get(load) as M | undefined;
  const [, setLoadedCount] = useState(0);
  const [failed, setFailed] = useState<{ load: () => Promise<unknown>; error: unknown }>();
  useEffect(() => {
    if (loaded.has(load)) return undefined;
    let live = true;
    load().then(
      (m) => {
        loaded.set(load, m);
        if (live) setLoadedCount((n) => n + 1);
      },
      (error: unknown) => live && setFailed({ load, error }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (failed?.load === load)
    return <LoadError error={failed.error} retry={() => location.reload()} />;
  return module ? <>{render(module)}</> : <Loading />;
}
