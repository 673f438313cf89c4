import { createHmac } from 'node:crypto';
import { verifyWebhookSignature, webhookSignature, webhookUrlRefusal } from './webhooks';

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
