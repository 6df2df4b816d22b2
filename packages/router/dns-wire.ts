/**
 * The little of the DNS wire format the dns router needs, written here rather than taken from
 * npm: no maintained package signs TSIG (RFC 8945), and queries, an RFC 2136 UPDATE and the
 * HMAC-SHA256 signature are together a few hundred lines. Every exchange has a deadline for the
 * whole exchange (send, receive to the last byte), over UDP (queries) or TCP (updates, and a
 * truncated UDP answer).
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto'
import { isIPv4, isIPv6 } from 'node:net'

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, AAAA: 28, ANY: 255, TSIG: 250 } as const
export type RecordType = 'A' | 'AAAA' | 'CNAME'
const CLASS_IN = 1
const CLASS_NONE = 254
const CLASS_ANY = 255
const OPCODE_UPDATE = 5

export const RCODES = [
  'NOERROR',
  'FORMERR',
  'SERVFAIL',
  'NXDOMAIN',
  'NOTIMP',
  'REFUSED',
  'YXDOMAIN',
  'YXRRSET',
  'NXRRSET',
  'NOTAUTH',
  'NOTZONE',
] as const
const TSIG_ERRORS: Record<number, string> = {
  16: 'BADSIG',
  17: 'BADKEY',
  18: 'BADTIME',
  22: 'BADTRUNC',
}

export function rcodeName(code: number): string {
  return RCODES[code] ?? TSIG_ERRORS[code] ?? `RCODE ${code}`
}

/** A name in canonical form: lower case, no trailing dot ("" is the root). */
export function canonicalName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase()
}

/** A domain name as wire labels (uncompressed). Throws on a label over 63 or a name over 255 bytes. */
export function encodeName(name: string): Buffer {
  const n = canonicalName(name)
  const parts: Buffer[] = []
  for (const label of n === '' ? [] : n.split('.')) {
    const bytes = Buffer.from(label, 'ascii')
    if (bytes.length === 0 || bytes.length > 63) throw new RangeError(`bad DNS label in ${name}`)
    parts.push(Buffer.from([bytes.length]), bytes)
  }
  parts.push(Buffer.from([0]))
  const out = Buffer.concat(parts)
  if (out.length > 255) throw new RangeError(`DNS name over 255 bytes: ${name}`)
  return out
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(n)
  return b
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

/** RDATA of an A/AAAA/CNAME record. */
export function encodeRdata(type: RecordType, value: string): Buffer {
  if (type === 'A') {
    if (!isIPv4(value)) throw new RangeError(`not an IPv4 address: ${value}`)
    return Buffer.from(value.split('.').map(Number))
  }
  if (type === 'AAAA') {
    if (!isIPv6(value)) throw new RangeError(`not an IPv6 address: ${value}`)
    return ipv6Bytes(value)
  }
  return encodeName(value)
}

function ipv6Bytes(address: string): Buffer {
  let text = address
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split('.').map(Number) as [
      number,
      number,
      number,
      number,
    ]
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const h = head === '' ? [] : head.split(':')
  const t = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}

/** An address in one spelling (IPv6 compressed, lower case), so answers and config compare. */
export function normalAddress(address: string): string {
  if (isIPv4(address)) return address
  if (!isIPv6(address)) return address
  return formatIPv6(ipv6Bytes(address))
}

function formatIPv6(b: Buffer): string {
  const groups = [...Array(8).keys()].map((i) => b.readUInt16BE(i * 2))
  // The longest run of two or more zero groups becomes '::' (RFC 5952).
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

function header(id: number, flags: number, counts: [number, number, number, number]): Buffer {
  return Buffer.concat([u16(id), u16(flags), ...counts.map(u16)])
}

/** A query for `name`/`type` with RD clear: an authoritative server answers from its zone. */
export function encodeQuery(id: number, name: string, type: number): Buffer {
  return Buffer.concat([header(id, 0, [1, 0, 0, 0]), encodeName(name), u16(type), u16(CLASS_IN)])
}

export interface UpdateRecord {
  type: RecordType
  value: string
}

/**
 * An RFC 2136 UPDATE for `zone`: delete the RRsets of `deleteTypes` at `name`, then add `add`
 * with `ttl`. One message: the server applies all of it or none (RFC 2136 §3.7 ... atomically).
 */
export function encodeUpdate(
  id: number,
  zone: string,
  name: string,
  deleteTypes: RecordType[],
  add: UpdateRecord[],
  ttl: number,
): Buffer {
  const owner = encodeName(name)
  const updates: Buffer[] = []
  // "Delete an RRset": class ANY, TTL 0, no RDATA (RFC 2136 §2.5.2).
  for (const t of deleteTypes) updates.push(owner, u16(TYPE[t]), u16(CLASS_ANY), u32(0), u16(0))
  for (const r of add) {
    const rdata = encodeRdata(r.type, r.value)
    updates.push(owner, u16(TYPE[r.type]), u16(CLASS_IN), u32(ttl), u16(rdata.length), rdata)
  }
  const count = deleteTypes.length + add.length
  return Buffer.concat([
    header(id, OPCODE_UPDATE << 11, [1, 0, count, 0]),
    encodeName(zone),
    u16(TYPE.SOA),
    u16(CLASS_IN),
    ...updates,
  ])
}
// CLASS_NONE is the "delete an RR from an RRset" class; kept for completeness of the table above.
void CLASS_NONE

export interface TsigKey {
  name: string
  /** Only hmac-sha256 (the default of tsig-keygen and keymgr). */
  algorithm: 'hmac-sha256'
  secret: Buffer
}

/** The TSIG variables (RFC 8945 §4.3.3) that follow the message in the MAC's input. */
function tsigVariables(
  key: TsigKey,
  timeSigned: number,
  fudge: number,
  error: number,
  other: Buffer,
): Buffer {
  return Buffer.concat([
    encodeName(key.name),
    u16(CLASS_ANY),
    u32(0),
    encodeName(`${key.algorithm}.`),
    timeBytes(timeSigned),
    u16(fudge),
    u16(error),
    u16(other.length),
    other,
  ])
}

function timeBytes(seconds: number): Buffer {
  const b = Buffer.alloc(6)
  b.writeUIntBE(seconds, 0, 6)
  return b
}

/** Appends a TSIG record to `message` (ARCOUNT + 1); returns the signed message and its MAC. */
export function signTsig(
  message: Buffer,
  key: TsigKey,
  now = Math.floor(Date.now() / 1000),
): { signed: Buffer; mac: Buffer } {
  const fudge = 300
  const mac = createHmac('sha256', key.secret)
    .update(message)
    .update(tsigVariables(key, now, fudge, 0, Buffer.alloc(0)))
    .digest()
  const id = message.readUInt16BE(0)
  const rdata = Buffer.concat([
    encodeName(`${key.algorithm}.`),
    timeBytes(now),
    u16(fudge),
    u16(mac.length),
    mac,
    u16(id),
    u16(0),
    u16(0),
  ])
  const rr = Buffer.concat([
    encodeName(key.name),
    u16(TYPE.TSIG),
    u16(CLASS_ANY),
    u32(0),
    u16(rdata.length),
    rdata,
  ])
  const signed = Buffer.concat([message, rr])
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10)
  return { signed, mac }
}

export interface Answer {
  name: string
  type: number
  ttl: number
  /** A/AAAA: the address (normal form); CNAME: the target name (canonical); others: hex. */
  data: string
}

export interface DnsResponse {
  id: number
  rcode: number
  /** AA: the server answered from a zone it is authoritative for. */
  authoritative: boolean
  truncated: boolean
  answers: Answer[]
  /** The response's own TSIG, when it carries one. */
  tsig?: {
    error: number
    mac: Buffer
    start: number
    timeSigned: number
    fudge: number
    other: Buffer
  }
}

/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(buf: Buffer, offset: number): [string, number] {
  const labels: string[] = []
  let pos = offset
  let end = -1
  for (let jumps = 0; jumps < 64;) {
    const len = buf.readUInt8(pos)
    if (len === 0) {
      if (end < 0) end = pos + 1
      return [labels.join('.').toLowerCase(), end]
    }
    if ((len & 0xc0) === 0xc0) {
      if (end < 0) end = pos + 2
      pos = buf.readUInt16BE(pos) & 0x3fff
      jumps++
      continue
    }
    labels.push(buf.toString('ascii', pos + 1, pos + 1 + len))
    pos += 1 + len
  }
  throw new RangeError('DNS name with a compression loop')
}

/** Parses a response; throws a RangeError on a malformed one. */
export function decodeResponse(buf: Buffer): DnsResponse {
  if (buf.length < 12) throw new RangeError(`DNS message of ${buf.length} bytes`)
  const flags = buf.readUInt16BE(2)
  const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o)) as [number, number, number, number]
  let pos = 12
  for (let i = 0; i < counts[0]; i++) pos = readName(buf, pos)[1] + 4
  const answers: Answer[] = []
  let tsig: DnsResponse['tsig']
  const sections = counts[1] + counts[2] + counts[3]
  for (let i = 0; i < sections; i++) {
    const start = pos
    const [name, after] = readName(buf, pos)
    const type = buf.readUInt16BE(after)
    const ttl = buf.readUInt32BE(after + 4)
    const rdlen = buf.readUInt16BE(after + 8)
    const rd = after + 10
    if (rd + rdlen > buf.length) throw new RangeError('DNS record runs past the message')
    pos = rd + rdlen
    if (i < counts[1]) {
      let data: string
      if (type === TYPE.A && rdlen === 4) data = [...buf.subarray(rd, rd + 4)].join('.')
      else if (type === TYPE.AAAA && rdlen === 16) data = formatIPv6(buf.subarray(rd, rd + 16))
      else if (type === TYPE.CNAME) data = readName(buf, rd)[0]
      else data = buf.subarray(rd, rd + rdlen).toString('hex')
      answers.push({ name, type, ttl, data })
    } else if (type === TYPE.TSIG && i === sections - 1) {
      let p = readName(buf, rd)[1]
      const timeSigned = buf.readUIntBE(p, 6)
      const fudge = buf.readUInt16BE(p + 6)
      const macLen = buf.readUInt16BE(p + 8)
      const mac = Buffer.from(buf.subarray(p + 10, p + 10 + macLen))
      p += 10 + macLen + 2
      const error = buf.readUInt16BE(p)
      const otherLen = buf.readUInt16BE(p + 2)
      const other = Buffer.from(buf.subarray(p + 4, p + 4 + otherLen))
      tsig = { error, mac, start, timeSigned, fudge, other }
    }
  }
  return {
    id: buf.readUInt16BE(0),
    rcode: flags & 0x0f,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    answers,
    ...(tsig ? { tsig } : {}),
  }
}

/**
 * Checks a signed response's MAC against the request's (RFC 8945 §5.3): the server holds the
 * same key. False when the response is unsigned or its MAC differs.
 */
export function verifyTsig(
  response: Buffer,
  parsed: DnsResponse,
  key: TsigKey,
  requestMac: Buffer,
): boolean {
  const t = parsed.tsig
  if (!t || t.mac.length === 0) return false
  const unsigned = Buffer.from(response.subarray(0, t.start))
  unsigned.writeUInt16BE(response.readUInt16BE(10) - 1, 10)
  const expected = createHmac('sha256', key.secret)
    .update(u16(requestMac.length))
    .update(requestMac)
    .update(unsigned)
    .update(tsigVariables(key, t.timeSigned, t.fudge, t.error, t.other))
    .digest()
  return expected.length === t.mac.length && timingSafeEqual(expected, t.mac)
}

export function randomId(): number {
  return randomInt(0, 0x10000)
}

export interface Endpoint {
  host: string
  port: number
}

/** Why an exchange failed, for messages: "no answer within 2s", "ECONNREFUSED". */
export class ExchangeError extends Error {
  override name = 'ExchangeError'
}

/**
 * One UDP exchange: the answer with our id, or an ExchangeError at the deadline. Answers with
 * another id (late answers to an earlier query) are ignored.
 */
export async function udpExchange(
  to: Endpoint,
  message: Buffer,
  timeoutMs: number,
): Promise<Buffer> {
  const { createSocket } = await import('node:dgram')
  const id = message.readUInt16BE(0)
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(to.host) ? 'udp6' : 'udp4')
    let settled = false
    const settle = (done: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      socket.close()
      done()
    }
    const deadline = setTimeout(
      () => settle(() => reject(new ExchangeError(`no answer over UDP within ${timeoutMs} ms`))),
      timeoutMs,
    )
    socket.on('error', (e: NodeJS.ErrnoException) =>
      settle(() => reject(new ExchangeError(e.code ?? e.message))),
    )
    socket.on('message', (msg) => {
      if (msg.length >= 2 && msg.readUInt16BE(0) === id) settle(() => resolve(msg))
    })
    socket.connect(to.port, to.host, () => socket.send(message))
  })
}

/** One TCP exchange (two-byte length prefix), the deadline covering connect, send and the whole answer. */
export async function tcpExchange(
  to: Endpoint,
  message: Buffer,
  timeoutMs: number,
): Promise<Buffer> {
  const { connect } = await import('node:net')
  return new Promise((resolve, reject) => {
    const socket = connect(to.port, to.host)
    let buffered = Buffer.alloc(0)
    let settled = false
    const settle = (done: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      socket.destroy()
      done()
    }
    const deadline = setTimeout(
      () =>
        settle(() =>
          reject(
            new ExchangeError(
              buffered.length === 0
                ? `no answer over TCP within ${timeoutMs} ms`
                : `an unfinished answer over TCP (${buffered.length} bytes) within ${timeoutMs} ms`,
            ),
          ),
        ),
      timeoutMs,
    )
    socket.on('connect', () => socket.write(Buffer.concat([u16(message.length), message])))
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk])
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0))
        settle(() => resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0))))
    })
    socket.on('error', (e: NodeJS.ErrnoException) =>
      settle(() => reject(new ExchangeError(e.code ?? e.message))),
    )
    socket.on('close', () =>
      settle(() =>
        reject(new ExchangeError('the server closed the TCP connection without a whole answer')),
      ),
    )
  })
}

/** Asks one server for `name`/`type`: UDP, then TCP when the answer is truncated; one deadline for both. */
export async function query(
  to: Endpoint,
  name: string,
  type: number,
  timeoutMs: number,
): Promise<DnsResponse> {
  const started = Date.now()
  const message = encodeQuery(randomId(), name, type)
  const udp = decodeResponse(await udpExchange(to, message, timeoutMs))
  if (!udp.truncated) return udp
  const left = timeoutMs - (Date.now() - started)
  if (left <= 0)
    throw new ExchangeError(
      `a truncated UDP answer and no time left for TCP within ${timeoutMs} ms`,
    )
  return decodeResponse(await tcpExchange(to, message, left))
}
