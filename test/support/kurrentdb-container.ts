import {
  GenericContainer,
  getContainerRuntimeClient,
  StartedTestContainer,
  Wait,
} from 'testcontainers';
import { KURRENTDB_IMAGE, KurrentDbTestTarget } from './kurrentdb';

export interface KurrentDbForTests {
  readonly target: KurrentDbTestTarget;
  stop(): Promise<void>;
}

/**
 * For the global setup (plain Node: testcontainers does not load in jest's sandbox): the server in
 * `KURRENTDB_URL`; else, when `start` (the integration tests run) and testcontainers finds a
 * container runtime, a single-node KurrentDB in a container; else the reason there is none.
 */
export async function kurrentDbForTests(
  env: NodeJS.ProcessEnv,
  start: boolean,
): Promise<KurrentDbForTests> {
  const none = (reason: string, runtimeError?: string): KurrentDbForTests => ({
    target: { kind: 'none', reason, runtimeError },
    stop: () => Promise.resolve(),
  });
  const url = env.KURRENTDB_URL?.trim();
  if (url) return { target: { kind: 'url', url }, stop: () => Promise.resolve() };
  if (!start) return none('KURRENTDB_URL is not set and the integration tests are not selected');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    const message = (error as Error).message;
    return none(
      `KURRENTDB_URL is not set and testcontainers found no container runtime (${message})`,
      message,
    );
  }
  const container: StartedTestContainer = await new GenericContainer(KURRENTDB_IMAGE)
    .withExposedPorts(2113)
    .withEnvironment({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_TELEMETRY_OPTOUT: 'true',
    })
    .withStartupTimeout(120_000)
    .withWaitStrategy(Wait.forHealthCheck())
    .start();
  return {
    target: {
      kind: 'container',
      url: `kurrentdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
      image: KURRENTDB_IMAGE,
    },
    stop: async () => {
      await container.stop();
    },
  };
}
