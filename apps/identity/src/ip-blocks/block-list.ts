import { BlockList, isIP } from 'node:net';

/** `a.b.c.d/n`, `h:h::h/n`, or a single address (a /32 or /128), as node:net reads them. */
export interface ParsedCidr {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Reads a CIDR range or a single address; undefined when it is neither. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const [network, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || !network) return undefined;
  const version = isIP(network);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { network, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The blocked ranges as node:net's BlockList, which does the matching. An IPv4 client seen
 * through an IPv6 socket (`::ffff:a.b.c.d`) is matched as the IPv4 address it is.
 */
export class BlockedRanges {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(cidrs: string[]) {
    let size = 0;
    for (const cidr of cidrs) {
      const parsed = parseCidr(cidr);
      if (!parsed) continue;
      this.list.addSubnet(parsed.network, parsed.prefix, parsed.family);
      size += 1;
    }
    this.size = size;
  }

  has(address: string): boolean {
    if (this.size === 0) return false;
    const mapped = IPV4_MAPPED.exec(address);
    const ip = mapped ? mapped[1] : address;
    const version = isIP(ip);
    if (version === 0) return false;
    return this.list.check(ip, version === 4 ? 'ipv4' : 'ipv6');
  }
}
