import { describe, expect, it } from 'vitest';
import { checkHostName, isIpv4, isIpv6 } from '../../../common/host-name';

describe('checkHostName', () => {
  it.each([
    ['kms.example.com', 'hostname', 'kms.example.com'],
    ['KMS.Example.COM', 'hostname', 'kms.example.com'],
    ['localhost', 'hostname', 'localhost'],
    ['kms.example.com.', 'hostname', 'kms.example.com'],
    ['a-b.c1', 'hostname', 'a-b.c1'],
    ['123.example', 'hostname', '123.example'],
    ['192.0.2.10', 'ipv4', '192.0.2.10'],
    ['2001:db8::10', 'ipv6', '2001:db8::10'],
    ['[2001:DB8::10]', 'ipv6', '2001:db8::10'],
    ['::1', 'ipv6', '::1'],
    ['1:2:3:4:5:6:7:8', 'ipv6', '1:2:3:4:5:6:7:8'],
    ['::ffff:192.0.2.1', 'ipv6', '::ffff:192.0.2.1'],
    ['fe80::1%eth0', 'ipv6', 'fe80::1%eth0'],
    ['FE80::A%Eth0', 'ipv6', 'fe80::a%Eth0'],
    ['  kms.example.com  ', 'hostname', 'kms.example.com'],
  ])('accepts %s as %s', (input, kind, normalized) => {
    expect(checkHostName(input)).toEqual({ ok: true, kind, normalized });
  });

  it.each([
    ['', /required/],
    ['   ', /required/],
    ['kms example.com', /spaces/],
    ['https://kms.example.com', /without "https:\/\/"/],
    ['kms.example.com:5696', /must not include a port.*"kms\.example\.com".*5696 in the Port field/],
    ['192.0.2.10:5696', /must not include a port/],
    ['1.2.3', /not a valid IPv4/],
    ['256.1.1.1', /not a valid IPv4/],
    ['01.2.3.4', /without leading zeros/],
    ['1::2::3', /not a valid IPv6/],
    ['1:2:3:4:5:6:7:8:9', /not a valid IPv6/],
    ['12345::1', /not a valid IPv6/],
    ['[kms.example.com]', /bracketed IPv6/],
    ['[::1', /bracketed IPv6/],
    ['a..b', /empty part between dots/],
    ['-kms.example.com', /not starting or ending with a hyphen/],
    ['kms-.example.com', /not starting or ending with a hyphen/],
    ['kms_1.example.com', /contains "_"/],
    ['kms!.example.com', /letters, digits and hyphens/],
    [`${'a'.repeat(64)}.example.com`, /longer than 63 characters/],
    [`${'a.'.repeat(127)}ab`, /at most 253 characters/],
    // The unspecified address means "any": a connection to it reaches this machine, not a key server.
    ['0.0.0.0', /unspecified address .*enter the key server's address/],
    ['::', /unspecified address/],
    ['0:0::0', /unspecified address/],
    // An embedded IPv4 address must end the IPv6 address.
    ['1.2.3.4::', /not a valid IPv6/],
    ['::1.2.3.4:1', /not a valid IPv6/],
    ['[2001:db8::1]:5696', /must not include a port: enter "\[2001:db8::1\]" here and 5696 in the Port field/],
    // Resolvers read numeric-only names (hex parts too) as IPv4 addresses, unlike what they look like.
    ['0x7f000001', /not a valid IPv4/],
    ['0x7f.1', /not a valid IPv4/],
  ])('refuses %j with an actionable message', (input, message) => {
    const result = checkHostName(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('classifies addresses', () => {
    expect(isIpv4('10.0.0.1')).toBe(true);
    expect(isIpv4('10.0.0')).toBe(false);
    expect(isIpv6('::ffff:999.0.0.1')).toBe(false);
    expect(isIpv6('fe80::1%')).toBe(false);
    expect(isIpv6('1:2:3:4:5:6:7::')).toBe(true);
    expect(isIpv6('1:2:3:4:5:6:7:8::')).toBe(false);
  });
});
