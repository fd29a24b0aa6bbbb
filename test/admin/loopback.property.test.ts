import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/admin/loopback.ts';

const octet = fc.integer({ min: 0, max: 255 });

describe('isLoopbackHost: reads stay open only on an address nobody else can reach', () => {
  it('every IPv4 address in 127.0.0.0/8 is loopback, plain or IPv4-mapped', () => {
    fc.assert(
      fc.property(octet, octet, octet, (b, c, d) => {
        expect(isLoopbackHost(`127.${b}.${c}.${d}`)).toBe(true);
        expect(isLoopbackHost(`::ffff:127.${b}.${c}.${d}`)).toBe(true);
      }),
    );
  });

  it('every other IPv4 address is not, plain or IPv4-mapped', () => {
    fc.assert(
      fc.property(octet.filter((a) => a !== 127), octet, octet, octet, (a, b, c, d) => {
        expect(isLoopbackHost(`${a}.${b}.${c}.${d}`)).toBe(false);
        expect(isLoopbackHost(`::ffff:${a}.${b}.${c}.${d}`)).toBe(false);
      }),
    );
  });

  it('::1 in any spelling is loopback; any other IPv6 address is not', () => {
    for (const spelling of ['::1', '[::1]', '0:0:0:0:0:0:0:1', '0::1', '::0:1', '0000:0000:0000:0000:0000:0000:0000:0001']) expect(isLoopbackHost(spelling)).toBe(true);
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const expanded = new URL(`http://[${address}]/`).hostname;
        fc.pre(expanded !== '[::1]' && !/^\[::ffff:7f/.test(expanded));
        expect(isLoopbackHost(address)).toBe(false);
      }),
    );
  });

  it('localhost is; wildcards and every other name are not (DNS can change under a running process)', () => {
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('LocalHost')).toBe(true);
    for (const host of ['0.0.0.0', '::', '[::]', 'localhost.example.com', '127.0.0.1.nip.io', 'example.com', 'my-host']) expect(isLoopbackHost(host)).toBe(false);
    fc.assert(
      fc.property(fc.domain(), (name) => {
        expect(isLoopbackHost(name)).toBe(name.toLowerCase() === 'localhost');
      }),
    );
  });
});
