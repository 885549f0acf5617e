import { BlockedRanges, parseCidr } from './block-list';

describe('blocked ranges', () => {
  const ranges = new BlockedRanges(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32']);

  it.each(['203.0.113.1', '203.0.113.255', '198.51.100.7', '::ffff:203.0.113.9', '2001:db8::1'])(
    'blocks %s',
    (ip) => {
      expect(ranges.has(ip)).toBe(true);
    },
  );

  it.each(['203.0.114.1', '198.51.100.8', '2001:db9::1', '127.0.0.1', 'not an ip', ''])(
    'lets %p through',
    (ip) => {
      expect(ranges.has(ip)).toBe(false);
    },
  );

  it('blocks nothing when empty', () => {
    expect(new BlockedRanges([]).has('203.0.113.1')).toBe(false);
  });
});

describe('reading a CIDR range', () => {
  it.each([
    ['10.0.0.0/8', { network: '10.0.0.0', prefix: 8, family: 'ipv4' }],
    ['192.0.2.1', { network: '192.0.2.1', prefix: 32, family: 'ipv4' }],
    ['2001:db8::/48', { network: '2001:db8::', prefix: 48, family: 'ipv6' }],
  ])('reads %s', (text, parsed) => {
    expect(parseCidr(text)).toEqual(parsed);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0/8',
    'example.com',
    '::/129',
    '1.2.3.4/-1',
    "1.2.3.4/8'",
  ])('refuses %p', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});
