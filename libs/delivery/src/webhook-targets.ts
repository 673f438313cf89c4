import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

export interface IpNetwork {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** `RELAIS_WEBHOOK_ALLOW`: host names and networks that may receive webhooks though internal. */
export interface WebhookAllowList {
  readonly hosts: readonly string[];
  readonly networks: readonly IpNetwork[];
}

export const NOTHING_ALLOWED: WebhookAllowList = { hosts: [], networks: [] };

/**
 * Where no partner's receiver lives, and where a request from Relais would reach what only Relais
 * can: this machine, the cloud's metadata service, the private network behind it. After the IANA
 * special-purpose registries; an IPv4-mapped IPv6 address is judged as its IPv4 address.
 */
const INTERNAL_NETWORKS: readonly IpNetwork[] = (
  [
    ['0.0.0.0', 8], // "this network", 0.0.0.0 included
    ['10.0.0.0', 8], // private
    ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
    ['127.0.0.0', 8], // loopback
    ['169.254.0.0', 16], // link-local, the cloud metadata services included
    ['172.16.0.0', 12], // private
    ['192.0.0.0', 24], // IETF protocol assignments
    ['192.0.2.0', 24], // documentation
    ['192.88.99.0', 24], // 6to4 relay anycast
    ['192.168.0.0', 16], // private
    ['198.18.0.0', 15], // benchmarking
    ['198.51.100.0', 24], // documentation
    ['203.0.113.0', 24], // documentation
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved, the broadcast address included
    ['::', 96], // unspecified, loopback, IPv4-compatible
    ['64:ff9b::', 96], // NAT64: would reach any IPv4 address, private ones too
    ['64:ff9b:1::', 48], // local NAT64
    ['100::', 64], // discard-only
    ['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
    ['2001:db8::', 32], // documentation
    ['2002::', 16], // 6to4: would reach any IPv4 address
    ['3fff::', 20], // documentation
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
    ['fec0::', 10], // site-local (deprecated)
    ['ff00::', 8], // multicast
  ] as const
).map(([address, prefix]) => ({
  address,
  prefix,
  family: address.includes(':') ? 'ipv6' : 'ipv4',
}));

/** Names that never leave the site: judged without asking DNS, which answers later anyway. */
const LOCAL_NAME = /(^|\.)(localhost|local|localdomain|internal|home\.arpa|lan)$/;

function blockListOf(networks: readonly IpNetwork[]): BlockList {
  const list = new BlockList();
  for (const { address, prefix, family } of networks) list.addSubnet(address, prefix, family);
  return list;
}

const INTERNAL = blockListOf(INTERNAL_NETWORKS);

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

/** The host of a URL as a socket takes it: IPv6 literals without their brackets. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** A webhook target refused by address: never connected to. */
export class RefusedWebhookAddress extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
  constructor() {
    super('refused_address');
    this.name = 'RefusedWebhookAddress';
  }
}

/**
 * Which webhook targets Relais connects to: public addresses only, unless the allow-list names the
 * host or a network holding the address. Checked when a webhook is set, by name and literal
 * address, and again on every connection, on each address DNS gave, so a name that resolves to an
 * internal address (or comes to) is refused too.
 */
/** Why a URL cannot receive webhooks: a stable code, and the reason in English. */
export interface WebhookUrlRefusal {
  readonly code:
    | 'WEBHOOK_URL_NOT_ABSOLUTE'
    | 'WEBHOOK_URL_NOT_HTTPS'
    | 'WEBHOOK_URL_CREDENTIALS'
    | 'WEBHOOK_URL_INTERNAL';
  readonly message: string;
}

export class WebhookTargets {
  private readonly allowedHosts: ReadonlySet<string>;
  private readonly allowedNetworks: BlockList;

  constructor(
    allow: WebhookAllowList = NOTHING_ALLOWED,
    private readonly resolve: (host: string) => Promise<readonly LookupAddress[]> = (host) =>
      new Promise((done, fail) =>
        dnsLookup(host, { all: true }, (error, addresses) =>
          error ? fail(error) : done(addresses),
        ),
      ),
  ) {
    this.allowedHosts = new Set(allow.hosts.map((host) => host.toLowerCase()));
    this.allowedNetworks = blockListOf(allow.networks);
  }

  /** Whether Relais may connect to this IP address. */
  permitsAddress(address: string): boolean {
    const family = familyOf(address);
    return !INTERNAL.check(address, family) || this.allowedNetworks.check(address, family);
  }

  /** Whether this host name or IP literal may be connected to whatever it resolves to. */
  allowsHost(host: string): boolean {
    return this.allowedHosts.has(host.toLowerCase());
  }

  /** Why a URL cannot receive webhooks, or undefined when it can (as far as can be told before DNS). */
  urlProblem(value: string): string | undefined {
    return this.urlRefusal(value)?.message;
  }

  /** The same, with the stable code a client words in its user's language. */
  urlRefusal(value: string): WebhookUrlRefusal | undefined {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { code: 'WEBHOOK_URL_NOT_ABSOLUTE', message: 'url must be an absolute URL' };
    }
    const host = hostOf(url);
    const loopbackName = host === 'localhost' || host.endsWith('.localhost');
    const onThisMachine = loopbackName || (isIP(host) !== 0 && isLoopback(host));
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && onThisMachine)) {
      return {
        code: 'WEBHOOK_URL_NOT_HTTPS',
        message: 'url must use https (plain http only on localhost)',
      };
    }
    if (url.username || url.password)
      return {
        code: 'WEBHOOK_URL_CREDENTIALS',
        message: 'url must not carry a user name or password',
      };
    if (this.allowsHost(host)) return undefined;
    const internal = isIP(host)
      ? !this.permitsAddress(host)
      : loopbackName
        ? !this.permitsAddress('127.0.0.1')
        : !host.includes('.') || LOCAL_NAME.test(host);
    return internal
      ? {
          code: 'WEBHOOK_URL_INTERNAL',
          message:
            'url must not point at a loopback, private, link-local or other internal address ' +
            '(an operator may allow one with RELAIS_WEBHOOK_ALLOW)',
        }
      : undefined;
  }

  /**
   * A `lookup` for `http.request`: resolves the name, keeps the addresses Relais may connect to,
   * and fails with RefusedWebhookAddress when none is left. The socket connects only to what this
   * returns, so the name cannot resolve to another address between the check and the connection.
   */
  lookupFor(host: string): LookupFunction {
    const trusted = this.allowsHost(host);
    return (hostname, options, callback) => {
      this.resolve(hostname).then(
        (addresses) => {
          const permitted = trusted
            ? addresses
            : addresses.filter((a) => this.permitsAddress(a.address));
          const first = permitted[0];
          if (first === undefined) return callback(new RefusedWebhookAddress(), '', 0);
          if (options.all === true) return callback(null, [...permitted]);
          callback(null, first.address, first.family);
        },
        (error: NodeJS.ErrnoException) => callback(error, '', 0),
      );
    };
  }
}

const LOOPBACK = blockListOf([
  { address: '127.0.0.0', prefix: 8, family: 'ipv4' },
  { address: '::1', prefix: 128, family: 'ipv6' },
]);

function isLoopback(address: string): boolean {
  return LOOPBACK.check(address, familyOf(address));
}
