import { describe, expect, it } from 'vitest';
import { lookup } from 'node:dns';
import { checkTarget, classifyAddress, isLocalhostName, parseV6, urlProblem, type ResolvedAddress } from './targets.js';
import { pinnedLookup } from './send.js';
import { checkReceiverUrl } from './service.js';
import { loadConfig } from '../../platform/config.js';

const strict = { allowPrivateTargets: false };
const lax = { allowPrivateTargets: true };

describe('classifyAddress: IPv4', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['192.168.255.255', 'private'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['1.1.1.1', '8.8.8.8', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '126.255.255.255', '128.0.0.0',
    '169.253.255.255', '169.255.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '192.169.0.0', '203.0.113.7', '223.255.255.255'])(
    '%s is public (the edges of every range)',
    (ip) => {
      expect(classifyAddress(ip)).toBeUndefined();
    },
  );

  it.each(['127.1', '0x7f.0.0.1', '2130706433', '127.0.0.01', '256.0.0.1', '1.2.3', '', 'localhost', '1.2.3.4.5'])(
    '%s is not an IP it accepts (the URL parser normalises such hosts first)',
    (text) => {
      expect(classifyAddress(text)).toBe('not-an-ip');
    },
  );
});

describe('classifyAddress: IPv6', () => {
  it.each([
    ['::', 'unspecified'],
    ['0:0:0:0:0:0:0:0', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['FD00::ABCD', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b:1::1', 'reserved'],
    ['::8.8.8.8', 'reserved'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::FFFF:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:100.64.0.1', 'cgnat'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['0:0:0:0:0:ffff:192.168.1.1', 'private'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:c0a8:101::1', 'private'],
  ])('%s, IPv4 inside IPv6, is judged by its IPv4 address: %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it.each(['2001:db8::1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '2002:808:808::1', 'fbff::1', 'fe7f::1', 'ff::1'])(
    '%s is public',
    (ip) => {
      expect(classifyAddress(ip)).toBeUndefined();
    },
  );

  it.each(['1::2::3', ':::1', '12345::1', 'g::1', '1:2:3:4:5:6:7:8:9', '::ffff:1.2.3.256', '1.2.3.4::'])('%s is not an IP', (text) => {
    expect(classifyAddress(text)).toBe('not-an-ip');
  });

  it('expands every form to eight groups', () => {
    expect(parseV6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseV6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseV6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parseV6('1::8')).toEqual([1, 0, 0, 0, 0, 0, 0, 8]);
    expect(parseV6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseV6('1:2:3:4:5:6:1.2.3.4')).toEqual([1, 2, 3, 4, 5, 6, 0x0102, 0x0304]);
  });
});

describe('host names and receiver URLs', () => {
  it.each(['localhost', 'LOCALHOST', 'localhost.', 'a.localhost', 'x.y.localhost.'])('%s is a localhost name', (name) => {
    expect(isLocalhostName(name)).toBe(true);
  });
  it.each(['localhost.example', 'notlocalhost', 'mylocalhost', 'example.com'])('%s is not', (name) => {
    expect(isLocalhostName(name)).toBe(false);
  });

  it.each([
    'http://spoke.example/hooks',
    'https://localhost/hooks',
    'https://sub.localhost:8443/x',
    'https://127.0.0.1/x',
    'https://0x7f.1/x',
    'https://2130706433/x',
    'https://[::1]/x',
    'https://[::ffff:127.0.0.1]/x',
    'https://10.0.0.5/x',
    'https://172.20.1.1/x',
    'https://192.168.1.10/x',
    'https://169.254.169.254/latest/meta-data',
    'https://100.100.100.200/x',
    'https://0.0.0.0/x',
    'https://[fe80::1]/x',
    'https://[fd00::1]/x',
  ])('refuses %s when private targets are not allowed, and accepts it when they are', (raw) => {
    expect(urlProblem(new URL(raw), strict)).toBeDefined();
    expect(urlProblem(new URL(raw), lax)).toBeUndefined();
    let caught: unknown;
    try {
      checkReceiverUrl(raw, strict);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'validation', issues: [{ field: 'body/url' }] });
  });

  it.each(['https://spoke.example/hooks', 'https://8.8.8.8/x', 'https://[2001:db8::1]:8443/x', 'https://localhost.example/x'])(
    'accepts %s in both modes',
    (raw) => {
      expect(urlProblem(new URL(raw), strict)).toBeUndefined();
      expect(checkReceiverUrl(raw, strict)).toBe(new URL(raw).toString());
    },
  );

  it('says why in words, and still refuses other schemes when private targets are allowed', () => {
    expect(urlProblem(new URL('http://spoke.example/'), strict)).toBe('must use https');
    expect(urlProblem(new URL('https://localhost/'), strict)).toBe('must not name localhost');
    expect(urlProblem(new URL('https://10.1.1.1/'), strict)).toMatch(/private/);
    expect(urlProblem(new URL('ftp://spoke.example/'), lax)).toBe('must use http or https');
  });
});

describe('checkTarget at delivery time', () => {
  const resolver = (answers: Record<string, ResolvedAddress[]>) => async (host: string) => {
    const found = answers[host];
    if (!found) throw Object.assign(new Error(`not found: ${host}`), { code: 'ENOTFOUND' });
    return found;
  };
  const dns = resolver({
    'public.example': [{ address: '203.0.113.10', family: 4 }, { address: '2001:db8::10', family: 6 }],
    'inside.example': [{ address: '10.0.0.7', family: 4 }],
    'mixed.example': [{ address: '203.0.113.10', family: 4 }, { address: '::ffff:127.0.0.1', family: 6 }],
    'v6-local.example': [{ address: 'fd00::7', family: 6 }],
  });

  it('pins a public name to the addresses it checked', async () => {
    expect(await checkTarget('https://public.example/x', strict, dns)).toEqual({
      ok: true,
      addresses: [{ address: '203.0.113.10', family: 4 }, { address: '2001:db8::10', family: 6 }],
    });
  });

  it.each(['https://inside.example/x', 'https://mixed.example/x', 'https://v6-local.example/x', 'http://public.example/x', 'https://localhost/x', 'https://[::1]/x', 'not a url'])(
    'refuses %s when private targets are not allowed (every address must pass)',
    async (url) => {
      expect(await checkTarget(url, strict, dns)).toEqual({ ok: false, reason: 'target-not-allowed' });
    },
  );

  it('lets private names and literals through when they are allowed, still pinned', async () => {
    expect(await checkTarget('http://inside.example/x', lax, dns)).toEqual({ ok: true, addresses: [{ address: '10.0.0.7', family: 4 }] });
    expect(await checkTarget('http://127.0.0.1:9/x', lax, dns)).toEqual({ ok: true, addresses: undefined });
    expect(await checkTarget('https://8.8.8.8/x', strict, dns)).toEqual({ ok: true, addresses: undefined });
  });

  it('answers an unresolvable name like an internal one where private targets are refused (no DNS oracle)', async () => {
    expect(await checkTarget('https://nowhere.example/x', strict, dns)).toEqual({ ok: false, reason: 'target-not-allowed' });
    expect(await checkTarget('https://empty.example/x', strict, async () => [])).toEqual({ ok: false, reason: 'target-not-allowed' });
  });

  it('passes resolver failures on where private targets are allowed (the delivery fails as a network error)', async () => {
    await expect(checkTarget('https://nowhere.example/x', lax, dns)).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(checkTarget('https://empty.example/x', lax, async () => [])).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('uses node:dns by default: localhost resolves to loopback, refused unless allowed', async () => {
    // The name check refuses `localhost` first; the resolved addresses must agree on their own.
    const addresses = await new Promise<ResolvedAddress[]>((resolve, reject) =>
      lookup('localhost', { all: true }, (err, found) => (err ? reject(err) : resolve(found))),
    );
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((a) => classifyAddress(a.address) === 'loopback')).toBe(true);
    expect((await checkTarget('http://localhost:9/x', lax)).ok).toBe(true);
    expect(await checkTarget('https://localhost:9/x', strict)).toEqual({ ok: false, reason: 'target-not-allowed' });
  });
});

describe('pinnedLookup', () => {
  const pinned = pinnedLookup([{ address: '203.0.113.10', family: 4 }, { address: '2001:db8::10', family: 6 }]);
  const ask = (options: { all?: boolean; family?: number }) =>
    new Promise<unknown>((resolve) => pinned('anything.example', options, (err, address, family) => resolve(err ? { err: (err as { code?: string }).code } : { address, family })));

  it('answers only with the checked addresses, whatever the name', async () => {
    expect(await ask({})).toEqual({ address: '203.0.113.10', family: 4 });
    expect(await ask({ family: 6 })).toEqual({ address: '2001:db8::10', family: 6 });
    expect(await ask({ all: true })).toEqual({
      address: [{ address: '203.0.113.10', family: 4 }, { address: '2001:db8::10', family: 6 }],
      family: undefined,
    });
    const v4only = pinnedLookup([{ address: '203.0.113.10', family: 4 }]);
    const err = await new Promise((resolve) => v4only('x', { family: 6 }, (e) => resolve((e as { code?: string } | null)?.code)));
    expect(err).toBe('ENOTFOUND');
  });
});

describe('WEBHOOK_ALLOW_PRIVATE_TARGETS', () => {
  const prod = { NODE_ENV: 'production', YAKUBA_SECRET: 'production-secret-production-secret-0123', YAKUBA_DEMO: 'false' };
  it('defaults to true in development and test, false in production, and can be set either way', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).webhook.allowPrivateTargets).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', YAKUBA_SECRET: prod.YAKUBA_SECRET }).webhook.allowPrivateTargets).toBe(true);
    expect(loadConfig(prod).webhook.allowPrivateTargets).toBe(false);
    expect(loadConfig({ ...prod, WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhook.allowPrivateTargets).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'no' }).webhook.allowPrivateTargets).toBe(false);
  });
  it('refuses a value that is not a boolean, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'maybe' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false/);
  });
});
