import type { LookupAddress } from 'node:dns';
import { RefusedWebhookAddress, WebhookAllowList, WebhookTargets } from './webhook-targets';

/** Names resolve from this table only: no test asks DNS, nor connects anywhere. */
const resolver =
  (table: Record<string, readonly LookupAddress[]>) =>
  (host: string): Promise<readonly LookupAddress[]> =>
    Promise.resolve(table[host] ?? []);

function lookedUp(targets: WebhookTargets, host: string, all: boolean) {
  return new Promise<{ error: Error | null; address: unknown }>((resolve) =>
    targets.lookupFor(host)(host, { all }, (error, address) => resolve({ error, address })),
  );
}

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

describe('webhook targets', () => {
  const targets = new WebhookTargets();

  it.each([
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.5/hook',
    'https://172.16.3.4/hook',
    'https://172.31.255.255/hook',
    'https://192.168.1.10/hook',
    'https://100.64.0.1/hook',
    'https://127.0.0.1/hook',
    'http://127.0.0.1:5432/',
    'http://127.8.9.10:9/relais/webhook',
    'http://[::1]:8080/hook',
    'http://localhost:5432/',
    'http://relais.localhost/',
    'https://0.0.0.0/',
    'https://0/',
    'https://2130706433/',
    'https://0x7f.0.0.1/',
    'https://224.0.0.1/',
    'https://255.255.255.255/',
    'https://[::]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://[fd12:3456::1]/',
    'https://[fc00::1]/',
    'https://[fe80::1]/',
    'https://[ff02::1]/',
    'https://[64:ff9b::a00:1]/',
    'https://[2002:a00:1::]/',
    'https://metadata/computeMetadata',
    'https://metadata.google.internal/',
    'https://printer.local/',
    'https://nas.home.arpa/',
  ])('refuses %s without an allow-list', (url) => {
    expect(targets.urlProblem(url)).toMatch(/url must/);
  });

  it('takes https to a public name or address, and says why it refuses the rest', () => {
    expect(targets.urlProblem('https://saj-dinant.example.be/hook')).toBeUndefined();
    expect(targets.urlProblem('https://8.8.8.8/hook')).toBeUndefined();
    expect(targets.urlProblem('https://[2a02:2788::1]/hook')).toBeUndefined();
    expect(targets.urlProblem('https://172.32.0.1/hook')).toBeUndefined();
    expect(targets.urlProblem('http://saj-dinant.example.be/hook')).toMatch(/https/);
    expect(targets.urlProblem('ftp://example.be')).toMatch(/https/);
    expect(targets.urlProblem('not a url')).toMatch(/absolute URL/);
    expect(targets.urlProblem('https://user:pw@saj-dinant.example.be/')).toMatch(/password/);
    expect(targets.urlProblem('https://10.0.0.5/')).toMatch(
      /loopback, private, link-local .*RELAIS_WEBHOOK_ALLOW/,
    );
  });

  it('takes what the allow-list names, and nothing beside it', () => {
    const allow: WebhookAllowList = {
      hosts: ['hooks.intranet'],
      networks: [
        { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
        { address: '10.20.0.0', prefix: 16, family: 'ipv4' },
      ],
    };
    const allowed = new WebhookTargets(allow);
    expect(allowed.urlProblem('http://127.0.0.1:9/relais/webhook')).toBeUndefined();
    expect(allowed.urlProblem('http://localhost:9/relais/webhook')).toBeUndefined();
    expect(allowed.urlProblem('https://10.20.1.2/hook')).toBeUndefined();
    expect(allowed.urlProblem('https://hooks.intranet/hook')).toBeUndefined();
    expect(allowed.urlProblem('https://HOOKS.intranet/hook')).toBeUndefined();
    expect(allowed.urlProblem('http://127.0.0.2:9/relais/webhook')).toMatch(/internal/);
    expect(allowed.urlProblem('https://10.21.0.1/hook')).toMatch(/internal/);
    expect(allowed.urlProblem('https://169.254.169.254/')).toMatch(/internal/);
    expect(allowed.urlProblem('https://other.intranet.local/')).toMatch(/internal/);
    expect(allowed.urlProblem('http://hooks.intranet/hook')).toMatch(/https/);
  });

  describe('when connecting', () => {
    const table = {
      'rebound.example.be': [v4('127.0.0.1')],
      'metadata.example.be': [v4('169.254.169.254')],
      'mixed.example.be': [v6('fd00::1'), v4('10.0.0.1'), v4('93.184.215.14')],
      'public.example.be': [v6('2a02:2788::1'), v4('93.184.215.14')],
      'hooks.intranet': [v4('10.9.9.9')],
    };

    it('refuses a name that resolves to an internal address', async () => {
      const connecting = new WebhookTargets(undefined, resolver(table));
      for (const host of ['rebound.example.be', 'metadata.example.be', 'nowhere.example.be']) {
        for (const all of [true, false]) {
          const { error } = await lookedUp(connecting, host, all);
          expect(error).toBeInstanceOf(RefusedWebhookAddress);
        }
      }
    });

    it('connects only to the public addresses a name resolves to', async () => {
      const connecting = new WebhookTargets(undefined, resolver(table));
      expect(await lookedUp(connecting, 'mixed.example.be', true)).toEqual({
        error: null,
        address: [v4('93.184.215.14')],
      });
      expect(await lookedUp(connecting, 'mixed.example.be', false)).toEqual({
        error: null,
        address: '93.184.215.14',
      });
      expect(await lookedUp(connecting, 'public.example.be', true)).toEqual({
        error: null,
        address: table['public.example.be'],
      });
    });

    it('lets an allowed host or network through', async () => {
      const connecting = new WebhookTargets(
        {
          hosts: ['hooks.intranet'],
          networks: [{ address: '127.0.0.0', prefix: 8, family: 'ipv4' }],
        },
        resolver(table),
      );
      expect(await lookedUp(connecting, 'hooks.intranet', false)).toEqual({
        error: null,
        address: '10.9.9.9',
      });
      expect(await lookedUp(connecting, 'rebound.example.be', false)).toEqual({
        error: null,
        address: '127.0.0.1',
      });
      expect((await lookedUp(connecting, 'metadata.example.be', false)).error).toBeInstanceOf(
        RefusedWebhookAddress,
      );
    });

    it('passes a resolver’s failure on', async () => {
      const failing = new WebhookTargets(undefined, () =>
        Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
      );
      const { error } = await lookedUp(failing, 'gone.example.be', false);
      expect((error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
    });
  });
});
