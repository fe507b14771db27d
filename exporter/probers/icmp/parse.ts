/** One echo reply as iputils ping prints it. */
export interface PingReply {
  seq: number;
  /** TTL (IPv4) or hop limit (IPv6) of the reply. */
  ttl: number;
  rttSeconds: number;
  from: string;
}

/** An ICMP error reported instead of a reply (unreachable, TTL exceeded, fragmentation needed). */
export interface PingError {
  seq: number;
  from: string;
  message: string;
}

export interface PingOutput {
  /** ping printed its `PING ...` banner: its socket is open and it is about to send. */
  started: boolean;
  replies: PingReply[];
  duplicates: number;
  errors: PingError[];
  /** From ping's summary, when it got to print one. */
  transmitted?: number;
}

const REPLY = /^\d+ bytes from (\S+?)(?: \([^)]*\))?: icmp_seq=(\d+) ttl=(\d+)(?: time=([0-9.]+) ms)?(.*)$/;
const ERROR = /^From (\S+?)(?: \([^)]*\))?:? icmp_seq=(\d+) (.+)$/;
const SUMMARY = /^(\d+) packets transmitted, (\d+) received/;

/** Parses ping's stdout (run with LC_ALL=C); tolerant of output cut short by a kill. */
export function parsePingOutput(stdout: string): PingOutput {
  const out: PingOutput = { started: false, replies: [], duplicates: 0, errors: [] };
  for (const raw of stdout.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('PING ')) {
      out.started = true;
      continue;
    }
    const r = REPLY.exec(line);
    if (r) {
      if (r[5]?.includes('DUP!')) {
        out.duplicates++;
        continue;
      }
      // Without a time= field (payload under 16 bytes) a reply proves reachability but has no RTT.
      out.replies.push({ from: r[1]!, seq: Number(r[2]), ttl: Number(r[3]), rttSeconds: r[4] ? msToSeconds(r[4]) : Number.NaN });
      continue;
    }
    const e = ERROR.exec(line);
    if (e) {
      out.errors.push({ from: e[1]!, seq: Number(e[2]), message: e[3]! });
      continue;
    }
    const s = SUMMARY.exec(line);
    if (s) out.transmitted = Number(s[1]);
  }
  return out;
}

/** ping prints milliseconds with at most microsecond precision; go through integer µs to stay exact. */
function msToSeconds(ms: string): number {
  return Math.round(Number(ms) * 1000) / 1e6;
}

/** Echo requests sent: ping's own count, or (when it was killed before its summary) the highest sequence seen. */
export function packetsSent(out: PingOutput): number {
  if (out.transmitted !== undefined) return out.transmitted;
  let highest = out.replies.length;
  for (const r of out.replies) highest = Math.max(highest, r.seq);
  for (const e of out.errors) highest = Math.max(highest, e.seq);
  return highest;
}

const PRIVILEGE_HINT =
  'ping cannot open an ICMP socket: the exporter needs CAP_NET_RAW (ping from iputils normally carries it: ' +
  'setcap cap_net_raw+ep /usr/bin/ping), root, or its group inside net.ipv4.ping_group_range';

/** A reason from ping's stderr when it could not probe at all; undefined when stderr says nothing useful. */
export function pingFailureReason(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return undefined;
  const text = lines.join(' ');
  if (/socket: (Operation not permitted|Permission denied)|missing cap_net_raw/i.test(text)) {
    return `${PRIVILEGE_HINT} (ping said: ${lines.find((l) => /socket:/.test(l)) ?? lines[0]})`;
  }
  return `ping: ${lines.map((l) => l.replace(/^\S*ping: /, '')).join('; ')}`;
}
