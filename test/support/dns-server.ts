import { createSocket, type RemoteInfo } from 'node:dgram';
import * as packet from 'dns-packet';

export interface TestDnsServer {
  /** `127.0.0.1:<port>`: what DNS_RESOLVERS takes. */
  address: string;
  /** TXT records by lower-case name; each record is one string or its chunks. Change at will. */
  txt: Map<string, (string | string[])[]>;
  /** Names answered with SERVFAIL (a broken zone). */
  failing: Set<string>;
  /** Every name asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

/**
 * A real DNS server on loopback (UDP): answers TXT questions from `txt`, NXDOMAIN for any other name,
 * SERVFAIL for names in `failing`.
 */
export async function startTestDns(): Promise<TestDnsServer> {
  const socket = createSocket('udp4');
  const txt = new Map<string, (string | string[])[]>();
  const failing = new Set<string>();
  const asked: string[] = [];
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    let query: packet.Packet;
    try {
      query = packet.decode(msg);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    asked.push(name);
    const records = txt.get(name);
    const rcode = failing.has(name) ? 'SERVFAIL' : records ? 'NOERROR' : 'NXDOMAIN';
    const answers: packet.Answer[] =
      rcode === 'NOERROR' && question.type === 'TXT'
        ? records!.map((r) => ({ type: 'TXT' as const, name: question.name, ttl: 60, class: 'IN' as const, data: r }))
        : [];
    const response = packet.encode({
      id: query.id,
      type: 'response',
      flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | rcodeFlag(rcode),
      questions: [question],
      answers,
    });
    socket.send(response, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    txt,
    failing,
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The RCODE bits of the header flags (RFC 1035 4.1.1). */
function rcodeFlag(rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL'): number {
  return { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 }[rcode];
}
