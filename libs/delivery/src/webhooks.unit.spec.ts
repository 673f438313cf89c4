import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  newWebhookSecret,
  standardWebhookSignature,
  verifyWebhookSignature,
  webhookSecretProblem,
  webhookSignature,
  webhookUrlRefusal,
} from './webhooks';

describe('webhook signatures', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const body = '{"type":"obligation.opened"}';

  it('is an HMAC-SHA256 over the timestamp, a dot and the body', () => {
    const expected = createHmac('sha256', secret).update(`1795000000.${body}`).digest('hex');
    expect(webhookSignature(secret, 1795000000, body)).toBe(`t=1795000000,v1=${expected}`);
  });

  it('verifies as a receiver would, and refuses another body, secret or a stale timestamp', () => {
    const header = webhookSignature(secret, 1795000000, body);
    expect(verifyWebhookSignature(secret, header, body, 1795000100)).toBe(true);
    expect(verifyWebhookSignature(secret, header, `${body} `, 1795000100)).toBe(false);
    expect(verifyWebhookSignature(`${secret}x`, header, body, 1795000100)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, 1795000301)).toBe(false);
    expect(verifyWebhookSignature(secret, 'garbage', body, 1795000000)).toBe(false);
    expect(
      verifyWebhookSignature(
        secret,
        header.replace('t=1795000000', 't=1795000001'),
        body,
        1795000000,
      ),
    ).toBe(false);
  });
});

describe('webhook addresses', () => {
  it('takes https to public addresses, and plain http only on this machine when it is allowed', () => {
    const loopback = {
      hosts: [],
      networks: [{ address: '127.0.0.0', prefix: 8, family: 'ipv4' as const }],
    };
    expect(webhookUrlRefusal('https://saj-dinant.example.be/hook')).toBeUndefined();
    expect(webhookUrlRefusal('http://127.0.0.1:8080/hook', loopback)).toBeUndefined();
    expect(webhookUrlRefusal('http://localhost/hook', loopback)).toBeUndefined();
    expect(webhookUrlRefusal('http://127.0.0.1:8080/hook')?.message).toMatch(/internal address/);
    expect(webhookUrlRefusal('http://localhost/hook')?.message).toMatch(/internal address/);
    expect(webhookUrlRefusal('http://saj-dinant.example.be/hook')?.message).toMatch(/https/);
    expect(webhookUrlRefusal('ftp://example.be')?.message).toMatch(/https/);
    expect(webhookUrlRefusal('not a url')?.message).toMatch(/absolute URL/);
  });
});

describe('Standard Webhooks signatures', () => {
  const body = '{"type":"obligation.opened"}';
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = (secret: string, id = 'delivery-1') => ({
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardWebhookSignature(secret, id, timestamp, body),
  });

  it('verify with the published verifier under a whsec_ secret, and not under another id', () => {
    const secret = newWebhookSecret();
    expect(new Webhook(secret).verify(body, headers(secret))).toEqual({
      type: 'obligation.opened',
    });
    const moved = { ...headers(secret), 'webhook-id': 'delivery-2' };
    expect(() => new Webhook(secret).verify(body, moved)).toThrow('No matching signature');
  });

  it('sign with the characters of a secret set before the prefix existed (format raw)', () => {
    const legacy = 'a-secret-of-at-least-thirty-two-characters';
    expect(new Webhook(legacy, { format: 'raw' }).verify(body, headers(legacy))).toBeTruthy();
  });

  it('take a given secret in either form, and say what is wrong with one that is not', () => {
    expect(webhookSecretProblem(newWebhookSecret())).toBeUndefined();
    expect(webhookSecretProblem('x'.repeat(32))).toBeUndefined();
    expect(webhookSecretProblem('x'.repeat(31))).toMatch(/at least 32 characters/);
    expect(webhookSecretProblem(`whsec_${'*'.repeat(44)}`)).toMatch(/base64/);
    expect(webhookSecretProblem(`whsec_${Buffer.alloc(16).toString('base64')}`)).toMatch(
      /at least 24 bytes/,
    );
  });
});
