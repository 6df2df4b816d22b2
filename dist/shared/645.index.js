export const id = 645;
export const ids = [645];
export const modules = {

/***/ 7645:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/errors.js
var errors = __webpack_require__(5672);
;// CONCATENATED MODULE: ./build/tsc/packages/action-kit/log.js
/** A Log for code running outside a runner (demo, bench, CLI). */
const consoleLog = {
    info: (message) => console.log(message),
    warning: (message) => console.log(`warning: ${message}`),
    debug: (message) => {
        if (process.env.CUTOVER_DEBUG)
            console.log(`debug: ${message}`);
    },
};
/** A Log that keeps nothing, for tests and quiet callers. */
const silentLog = { info() { }, warning() { }, debug() { } };

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/inputs.js
var inputs = __webpack_require__(9874);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/parse.js
var parse = __webpack_require__(3352);
;// CONCATENATED MODULE: ./build/tsc/packages/action-kit/markdown.js
/** Pure Markdown builders for job summaries (GitHub renders tables and mermaid there). */
function table(headers, rows) {
    const cell = (v) => String(v ?? '')
        .replace(/\|/g, '\\|')
        .replace(/\n/g, ' ');
    return [
        `| ${headers.map(cell).join(' | ')} |`,
        `| ${headers.map(() => '---').join(' | ')} |`,
        ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    ].join('\n');
}
function heading(text, level = 3) {
    return `${'#'.repeat(level)} ${text}`;
}
function codeBlock(text, language = '') {
    return '```' + language + '\n' + text + '\n```';
}
/** Joins summary sections with blank lines, dropping empty ones. */
function sections(...parts) {
    return parts.filter((p) => typeof p === 'string' && p !== '').join('\n\n') + '\n';
}

;// CONCATENATED MODULE: ./build/tsc/packages/action-kit/index.js






;// CONCATENATED MODULE: ./build/tsc/packages/router/weights.js
/** Slots, weights and the small amount of arithmetic every strategy shares. */
const SLOTS = ['blue', 'green'];
function otherSlot(slot) {
    return slot === 'blue' ? 'green' : 'blue';
}
function allOn(slot) {
    return slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
}
/** The slot carrying all traffic, or undefined while traffic is split (or absent). */
function liveSlot(weights) {
    if (weights.blue === 100 && weights.green === 0)
        return 'blue';
    if (weights.green === 100 && weights.blue === 0)
        return 'green';
    return undefined;
}
function sameWeights(a, b) {
    return a.blue === b.blue && a.green === b.green;
}
/** A target a router may be asked to write: whole percentages adding up to 100. */
function assertWritable(target) {
    for (const slot of SLOTS) {
        const w = target[slot];
        if (!Number.isInteger(w) || w < 0 || w > 100) {
            throw new RangeError(`weight of ${slot} must be a whole number from 0 to 100, got ${w}`);
        }
    }
    if (target.blue + target.green !== 100) {
        throw new RangeError(`weights must add up to 100, got ${formatWeights(target)}`);
    }
}
/** Turns raw server weights (any scale) into percentages that add up to 100. */
function toPercent(rawBlue, rawGreen) {
    const total = rawBlue + rawGreen;
    if (total <= 0)
        return { blue: 0, green: 0 };
    const blue = Math.round((rawBlue * 100) / total);
    return { blue, green: 100 - blue };
}
function formatWeights(w) {
    return `blue ${w.blue}% / green ${w.green}%`;
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/router.js
/** A router operation that failed: the message says what the router answered. */
class RouterError extends Error {
    name = 'RouterError';
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./build/tsc/packages/router/config.js
/**
 * The `router` input: a YAML mapping validated here, once, before anything talks to a router.
 * Every error names the input, the field, the value and what is allowed.
 */



const ROUTER_TYPES = ['haproxy', 'nginx'];
const KEYS = {
    haproxy: ['type', 'address', 'backend', 'slots', 'timeout'],
    nginx: ['type', 'upstream-file', 'upstream', 'slots', 'test', 'reload', 'timeout'],
};
const NAME = /^[A-Za-z0-9_.:-]+$/;
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
function parseRouterConfig(value, options = {}) {
    const input = options.input ?? 'router';
    const fail = (message) => {
        throw new errors/* ConfigurationError */.j1(`Input '${input}': ${message}`);
    };
    if (value === undefined || value === null)
        fail('is required: a YAML mapping with at least `type`.');
    if (typeof value !== 'object' || Array.isArray(value)) {
        fail(`must be a YAML mapping (type, address, ...), got ${describeYaml(value)}.`);
    }
    const map = value;
    const type = map.type;
    if (!ROUTER_TYPES.includes(type)) {
        fail(`'type' is ${(0,errors/* quote */.hD)(type)}; allowed: ${ROUTER_TYPES.join(', ')}.`);
    }
    const routerType = type;
    const unknown = Object.keys(map).filter((k) => !KEYS[routerType].includes(k));
    if (unknown.length > 0) {
        fail(`unknown key ${unknown.map(errors/* quote */.hD).join(', ')} for type ${routerType}; allowed: ${KEYS[routerType].join(', ')}.`);
    }
    const text = (key, pattern, what) => {
        const v = map[key];
        if (v === undefined || v === null || v === '')
            fail(`'${key}' is required for type ${routerType}.`);
        if (typeof v !== 'string' && typeof v !== 'number')
            fail(`'${key}' must be a string, got ${describeYaml(v)}.`);
        const s = String(v).trim();
        if (pattern && !pattern.test(s))
            fail(`'${key}' is ${(0,errors/* quote */.hD)(s)}; allowed: ${what}.`);
        return s;
    };
    const slots = (pattern, what) => {
        const v = map.slots;
        if (v === undefined || v === null)
            fail(`'slots' is required: { blue: ..., green: ... } with ${what}.`);
        if (typeof v !== 'object' || Array.isArray(v))
            fail(`'slots' must be a mapping { blue: ..., green: ... }, got ${describeYaml(v)}.`);
        const m = v;
        const extra = Object.keys(m).filter((k) => !SLOTS.includes(k));
        if (extra.length > 0)
            fail(`'slots' has unknown key ${extra.map(errors/* quote */.hD).join(', ')}; allowed: blue, green.`);
        const out = {};
        for (const slot of SLOTS) {
            const s = m[slot];
            if (s === undefined || s === null || s === '')
                fail(`'slots.${slot}' is required: ${what}.`);
            if (typeof s !== 'string' || !pattern.test(s.trim()))
                fail(`'slots.${slot}' is ${(0,errors/* quote */.hD)(s)}; allowed: ${what}.`);
            out[slot] = s.trim();
        }
        if (out.blue === out.green)
            fail(`'slots.blue' and 'slots.green' are both ${(0,errors/* quote */.hD)(out.blue)}; the two slots must differ.`);
        return out;
    };
    const timeout = () => {
        const v = map.timeout;
        if (v === undefined || v === null)
            return 5000;
        try {
            const ms = (0,parse/* parseDuration */.E9)(`${input}.timeout`, String(v));
            if (ms < 100 || ms > 120_000)
                throw new Error();
            return ms;
        }
        catch {
            return fail(`'timeout' is ${(0,errors/* quote */.hD)(v)}; allowed: a duration from 100ms to 2m, e.g. 5s.`);
        }
    };
    const argv = (key, fallback) => {
        const v = map[key];
        if (v === undefined || v === null)
            return fallback;
        if (!Array.isArray(v) ||
            v.some((a) => typeof a !== 'string' && typeof a !== 'number') ||
            (key === 'reload' && (v.length === 0 || String(v[0]).trim() === ''))) {
            fail(`'${key}' must be a command as a YAML list of arguments, e.g. [nginx, -s, reload]${key === 'test' ? ' ([] to skip the test)' : ''}; got ${describeYaml(v)}.`);
        }
        return v.map(String);
    };
    if (routerType === 'haproxy') {
        const address = text('address');
        return {
            type: 'haproxy',
            address: parseHaproxyAddress(address, fail),
            backend: text('backend', NAME, 'a backend name (letters, digits, _ . : -)'),
            slots: slots(NAME, 'server names in that backend'),
            timeout: timeout(),
        };
    }
    const file = text('upstream-file');
    return {
        type: 'nginx',
        upstreamFile: (0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.resolve)(options.workspace ?? process.cwd(), file),
        upstream: text('upstream', /^[A-Za-z0-9_.-]+$/, 'an upstream block name (letters, digits, _ . -)'),
        slots: slots(HOST_PORT, 'host:port of the slot, as in the upstream'),
        test: argv('test', ['nginx', '-t']),
        reload: argv('reload', ['nginx', '-s', 'reload']),
        timeout: timeout(),
    };
}
function parseHaproxyAddress(address, fail) {
    if (address.startsWith('/'))
        return { kind: 'unix', path: address };
    const m = HOST_PORT.exec(address);
    const port = m ? Number(m[1]) : NaN;
    if (!m || port < 1 || port > 65535) {
        return fail(`'address' is ${(0,errors/* quote */.hD)(address)}; allowed: host:port of the HAProxy runtime API (stats socket), or the absolute path of its unix socket.`);
    }
    const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '');
    return { kind: 'tcp', host, port };
}
function describeYaml(v) {
    if (Array.isArray(v))
        return 'a list';
    if (v === null)
        return 'null';
    if (typeof v === 'object')
        return 'a mapping';
    return `${typeof v} ${(0,errors/* quote */.hD)(v)}`;
}
function describeConfig(config) {
    if (config.type === 'haproxy') {
        const where = config.address.kind === 'unix'
            ? config.address.path
            : `${config.address.host}:${config.address.port}`;
        return `haproxy ${where} backend ${config.backend}`;
    }
    return `nginx upstream ${config.upstream} in ${config.upstreamFile}`;
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./build/tsc/packages/router/haproxy.js
/**
 * HAProxy through its runtime API (the `stats socket`, level admin), over TCP or a unix socket.
 * Weight changes apply instantly, with no reload and no dropped connection.
 */




/** srv_admin_state bits that mean "no traffic": forced, inherited, config, resolver and hostname maintenance, drain. */
const ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const ADMIN_DRAIN = 0x08 | 0x10;
const OP_STOPPED = 0;
class HaproxyRouter {
    config;
    constructor(config) {
        this.config = config;
    }
    describe() {
        return describeConfig(this.config);
    }
    /** Sends one command line (several commands may be joined with `;`) and returns HAProxy's reply. */
    async command(line) {
        const { address, timeout } = this.config;
        const where = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;
        return new Promise((resolve, reject) => {
            const socket = address.kind === 'unix' ? (0,external_node_net_.connect)(address.path) : (0,external_node_net_.connect)(address.port, address.host);
            const chunks = [];
            socket.setTimeout(timeout, () => {
                socket.destroy();
                reject(new RouterError(`HAProxy runtime API at ${where} did not answer within ${timeout} ms (command: ${line})`));
            });
            socket.on('connect', () => socket.end(`${line}\n`));
            socket.on('data', (chunk) => chunks.push(chunk));
            socket.on('error', (e) => reject(new RouterError(`cannot reach the HAProxy runtime API at ${where}: ${e.code ?? e.message}`)));
            socket.on('close', (hadError) => {
                if (!hadError)
                    resolve(Buffer.concat(chunks).toString('utf8'));
            });
        });
    }
    /** Both slot servers as HAProxy reports them now. */
    async servers() {
        const { backend, slots } = this.config;
        const reply = await this.command(`show servers state ${backend}`);
        const rows = parseServersState(reply, backend);
        const out = {};
        for (const slot of SLOTS) {
            const row = rows.find((r) => r.name === slots[slot]);
            if (!row) {
                throw new RouterError(`HAProxy backend '${backend}' has no server '${slots[slot]}' (slot ${slot}); its servers are: ${rows.map((r) => r.name).join(', ') || 'none'}`);
            }
            out[slot] = row;
        }
        return out;
    }
    async read() {
        const s = await this.servers();
        const effective = (slot) => (s[slot].maintenance || s[slot].draining ? 0 : s[slot].weight);
        return toPercent(effective('blue'), effective('green'));
    }
    async write(target) {
        assertWritable(target);
        const { backend, slots } = this.config;
        const before = await this.servers();
        for (const slot of SLOTS) {
            const s = before[slot];
            if (target[slot] > 0 && (s.maintenance || s.draining || s.down)) {
                const why = s.maintenance
                    ? 'in maintenance'
                    : s.draining
                        ? 'draining'
                        : 'DOWN by its health check';
                throw new RouterError(`HAProxy server ${backend}/${s.name} (slot ${slot}) is ${why}, so it cannot take ${target[slot]}% of traffic; nothing was changed`);
            }
        }
        // Raise first, then lower: at no instant do both servers weigh 0. One line, so HAProxy
        // applies both commands back to back.
        const order = [...SLOTS].sort((a, b) => target[b] - before[b].weight - (target[a] - before[a].weight));
        const line = order
            .map((slot) => `set server ${backend}/${slots[slot]} weight ${target[slot]}`)
            .join('; ');
        const reply = (await this.command(line)).trim();
        const after = await this.read();
        if (reply !== '' || !sameWeights(after, target)) {
            throw new RouterError(`HAProxy did not apply ${formatWeights(target)}${reply ? `: it answered "${reply.replace(/\s+/g, ' ')}"` : ''}; traffic is now ${formatWeights(after)}`);
        }
    }
}
/** Parses `show servers state <backend>`: a version line, a `#` header naming the columns, then a row per server. */
function parseServersState(reply, backend) {
    const lines = reply
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const header = lines.find((l) => l.startsWith('# '));
    if (!header) {
        const said = lines.join(' ');
        if (/can't find backend|no such backend/i.test(said))
            throw new RouterError(`HAProxy has no backend '${backend}'`);
        throw new RouterError(`unexpected answer from HAProxy to 'show servers state ${backend}': ${said || '(empty)'}`);
    }
    const columns = header.slice(2).split(/\s+/);
    const col = (name) => {
        const i = columns.indexOf(name);
        if (i < 0)
            throw new RouterError(`HAProxy's servers state has no column ${name}`);
        return i;
    };
    const [name, weight, admin, op] = [
        'srv_name',
        'srv_uweight',
        'srv_admin_state',
        'srv_op_state',
    ].map(col);
    return lines
        .filter((l) => !l.startsWith('#') && l.includes(' '))
        .map((l) => l.split(/\s+/))
        .map((f) => {
        const adminState = Number(f[admin]);
        return {
            name: f[name] ?? '',
            weight: Number(f[weight]),
            maintenance: (adminState & ADMIN_MAINT) !== 0,
            draining: (adminState & ADMIN_DRAIN) !== 0,
            down: Number(f[op]) === OP_STOPPED,
        };
    });
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./build/tsc/packages/router/nginx.js
/**
 * nginx through an upstream include file that this tool owns: rewritten atomically (temp file
 * + rename), checked with `nginx -t`, then loaded with a graceful reload. Any failure restores
 * the previous file, so what is on disk always matches what nginx serves.
 */






class NginxRouter {
    config;
    constructor(config) {
        this.config = config;
    }
    describe() {
        return describeConfig(this.config);
    }
    async read() {
        return weightsOf(parseUpstream(await this.readFile(), this.config));
    }
    async write(target) {
        assertWritable(target);
        const previous = await this.readFile();
        parseUpstream(previous, this.config); // refuse to rewrite a file we do not understand
        const next = renderUpstream(previous, this.config, target);
        await this.replaceFile(next);
        try {
            if (this.config.test.length > 0)
                await this.run(this.config.test, 'configuration test');
            await this.run(this.config.reload, 'reload');
        }
        catch (e) {
            await this.replaceFile(previous);
            throw new RouterError(`${e.message}; restored ${this.config.upstreamFile}, traffic stays at ${formatWeights(weightsOf(parseUpstream(previous, this.config)))}`);
        }
        const after = await this.read();
        if (!sameWeights(after, target)) {
            throw new RouterError(`${this.config.upstreamFile} reads ${formatWeights(after)} after writing ${formatWeights(target)}`);
        }
    }
    async readFile() {
        try {
            return await (0,promises_.readFile)(this.config.upstreamFile, 'utf8');
        }
        catch (e) {
            throw new RouterError(`cannot read the nginx upstream file ${this.config.upstreamFile}: ${e.code ?? e}. It must exist and hold 'upstream ${this.config.upstream} { ... }' with a server line per slot`);
        }
    }
    /** Write a sibling temp file, flush it, then rename it over the old one: readers see old or new, never half. */
    async replaceFile(content) {
        const file = this.config.upstreamFile;
        const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(file), `.${(0,external_node_path_.basename)(file)}.cutover-${process.pid}`);
        try {
            const handle = await (0,promises_.open)(temp, 'w', 0o644);
            try {
                await handle.writeFile(content);
                await handle.sync();
            }
            finally {
                await handle.close();
            }
            await (0,promises_.rename)(temp, file);
        }
        catch (e) {
            await (0,promises_.rm)(temp, { force: true }).catch(() => { });
            throw new RouterError(`cannot rewrite the nginx upstream file ${file}: ${e.code ?? e}`);
        }
    }
    run(argv, what) {
        const [command, ...args] = argv;
        return new Promise((resolve, reject) => {
            (0,external_node_child_process_.execFile)(command, args, { timeout: this.config.timeout }, (error, stdout, stderr) => {
                if (!error)
                    return resolve();
                const output = `${stderr}${stdout}`.trim().split('\n').slice(-3).join(' | ');
                const why = error.code === 'ENOENT'
                    ? 'command not found'
                    : error.killed
                        ? `timed out after ${this.config.timeout} ms`
                        : `exit code ${error.code}`;
                reject(new RouterError(`nginx ${what} failed (${argv.join(' ')}: ${why})${output ? `: ${output}` : ''}`));
            });
        });
    }
}
function weightsOf(servers) {
    const effective = (slot) => (servers[slot].down ? 0 : servers[slot].weight);
    return toPercent(effective('blue'), effective('green'));
}
const SERVER_LINE = /^\s*server\s+(\S+)((?:\s+[^;\s]+)*)\s*;/;
/** Finds the upstream block and the server line of each slot in it. */
function parseUpstream(text, config) {
    const block = findBlock(text, config);
    const servers = new Map();
    for (const line of block.body.split('\n')) {
        const m = SERVER_LINE.exec(line);
        if (!m)
            continue;
        const params = (m[2] ?? '').trim().split(/\s+/).filter(Boolean);
        const weight = params.find((p) => p.startsWith('weight='));
        servers.set(m[1], {
            address: m[1],
            weight: weight ? Number(weight.slice('weight='.length)) : 1,
            down: params.includes('down'),
        });
    }
    const out = {};
    for (const slot of SLOTS) {
        const server = servers.get(config.slots[slot]);
        if (!server) {
            throw new RouterError(`upstream '${config.upstream}' in ${config.upstreamFile} has no server ${config.slots[slot]} (slot ${slot}); its servers are: ${[...servers.keys()].join(', ') || 'none'}`);
        }
        out[slot] = server;
    }
    return out;
}
function findBlock(text, config) {
    const open = new RegExp(`(^|\\n)\\s*upstream\\s+${config.upstream.replace(/[.]/g, '\\.')}\\s*\\{`).exec(text);
    const close = open ? text.indexOf('}', open.index + open[0].length) : -1;
    if (!open || close < 0) {
        throw new RouterError(`${config.upstreamFile} has no 'upstream ${config.upstream} { ... }' block`);
    }
    const start = open.index + open[0].length;
    return { start, end: close, body: text.slice(start, close) };
}
/** The same file with only the two slot server lines changed; every other line is kept as it was. */
function renderUpstream(text, config, target) {
    const block = findBlock(text, config);
    const slotOf = new Map(SLOTS.map((slot) => [config.slots[slot], slot]));
    const body = block.body
        .split('\n')
        .map((line) => {
        const m = SERVER_LINE.exec(line);
        const slot = m ? slotOf.get(m[1]) : undefined;
        if (!m || !slot)
            return line;
        const indent = /^\s*/.exec(line)?.[0] ?? '    ';
        // nginx refuses weight=0: a slot with no traffic is marked `down` instead.
        const keep = (m[2] ?? '')
            .trim()
            .split(/\s+/)
            .filter((p) => p && p !== 'down' && !p.startsWith('weight='));
        const share = target[slot] === 0 ? ['down'] : [`weight=${target[slot]}`];
        return `${indent}server ${m[1]} ${[...share, ...keep].join(' ')};`;
    })
        .join('\n');
    return text.slice(0, block.start) + body + text.slice(block.end);
}
/** A fresh include file for an upstream, as the sandbox and docs show it. */
function upstreamFileFor(upstream, slots, weights, extra = []) {
    const line = (slot) => `    server ${slots[slot]} ${weights[slot] === 0 ? 'down' : `weight=${weights[slot]}`};`;
    return [
        `# Managed by cutover: rewritten on every traffic change. Edit the server lines' other parameters freely.`,
        `upstream ${upstream} {`,
        line('blue'),
        line('green'),
        ...extra.map((e) => `    ${e}`),
        `}`,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/open.js


/** The one place that maps a router type to its provider. */
function openRouter(config) {
    switch (config.type) {
        case 'haproxy':
            return new HaproxyRouter(config);
        case 'nginx':
            return new NginxRouter(config);
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/index.js







;// CONCATENATED MODULE: ./build/tsc/packages/traffic/health.js
/** "Is the new slot healthy?": N 2xx answers in a row from its health URL, within an overall timeout. */

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitHealthy(check, log) {
    const started = Date.now();
    const deadline = started + check.timeout;
    let attempts = 0;
    let inARow = 0;
    let last = 'no answer yet';
    while (true) {
        attempts += 1;
        const remaining = deadline - Date.now();
        const t0 = Date.now();
        try {
            const response = await fetch(check.url, {
                signal: AbortSignal.timeout(Math.max(100, Math.min(remaining, 10_000))),
                headers: { 'user-agent': 'cutover-health-check' },
            });
            await response.body?.cancel();
            last = `HTTP ${response.status} in ${Date.now() - t0} ms`;
            inARow = response.status >= 200 && response.status < 300 ? inARow + 1 : 0;
        }
        catch (e) {
            const cause = e.cause?.code;
            last =
                e.name === 'TimeoutError'
                    ? `no answer within ${Date.now() - t0} ms`
                    : `request failed: ${cause ?? e.message}`;
            inARow = 0;
        }
        log.info(`health ${check.url}: ${last} (${inARow}/${check.checks} in a row)`);
        const result = {
            url: check.url,
            attempts,
            passedInARow: inARow,
            healthy: inARow >= check.checks,
            last,
            elapsedMs: Date.now() - started,
        };
        if (result.healthy)
            return result;
        if (Date.now() + check.interval >= deadline)
            return result;
        await sleep(check.interval);
    }
}
/** Throws DeploymentFailed unless the check passes; `where` says where traffic stays. */
async function requireHealthy(check, log, where) {
    const result = await waitHealthy(check, log);
    if (!result.healthy) {
        throw new errors/* DeploymentFailed */.Nr(`health check of ${check.url} did not pass: ${check.checks} 2xx answers in a row were needed within ${(0,inputs/* formatDuration */.a)(check.timeout)}; after ${result.attempts} attempts the last was ${result.last}. No traffic was moved: ${where}.`);
    }
    return result;
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/move.js
/** The one way strategies change weights: write, and if that fails, say where traffic is now. */


async function moveTraffic(router, target, log) {
    try {
        await router.write(target);
    }
    catch (e) {
        let where;
        try {
            where = `traffic is now ${formatWeights(await router.read())}`;
        }
        catch (readError) {
            where = `the router could not be read afterwards either (${(0,errors/* errorMessage */.gJ)(readError)}): check ${router.describe()} by hand`;
        }
        const message = (0,errors/* errorMessage */.gJ)(e);
        // Providers often say where traffic is already; say it once.
        throw new RouterError(/traffic (is now|stays at)/.test(message) ? message : `${message}; ${where}`);
    }
    const after = await router.read();
    log.info(`traffic now: ${formatWeights(after)}`);
    return after;
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/blue-green.js
/** Blue-green: all traffic from the live slot to the other one, after the target proved healthy. */




async function blueGreenSwitch(router, plan, log) {
    const started = Date.now();
    const before = await router.read();
    const live = liveSlot(before);
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${formatWeights(before)}${live ? ` (live: ${live})` : ' (split)'}`);
    const target = resolveTarget(plan.to, before);
    const previous = live ?? 'split';
    const done = (after, switched, health) => ({
        router: router.describe(),
        previous,
        active: liveSlot(after) ?? 'split',
        switched,
        dryRun: plan.dryRun,
        before,
        after,
        ...(health ? { health } : {}),
        elapsedMs: Date.now() - started,
    });
    if (live === target) {
        log.info(`${target} already carries 100% of traffic: nothing to switch.`);
        return done(before, false);
    }
    const health = plan.health
        ? await requireHealthy({ ...plan.health, url: forSlot(plan.health.url, target) }, log, `traffic stays at ${formatWeights(before)}`)
        : undefined;
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${formatWeights(before)} to ${formatWeights(allOn(target))}; nothing moved.`);
        return done(before, false, health);
    }
    log.info(`switching: ${formatWeights(before)} -> ${formatWeights(allOn(target))}`);
    const after = await moveTraffic(router, allOn(target), log);
    return done(after, true, health);
}
/** `{{slot}}` in a URL becomes the slot's name, so one input serves whichever slot is idle. */
function forSlot(url, slot) {
    return url.replace(/\{\{\s*slot\s*\}\}/g, slot);
}
function resolveTarget(to, weights) {
    if (to !== 'idle')
        return to;
    const live = liveSlot(weights);
    if (live)
        return otherSlot(live);
    throw new errors/* ConfigurationError */.j1(`Input 'to' is "idle", but traffic is split (${formatWeights(weights)}), so no slot is idle. Name the slot to move all traffic to: to: blue or to: green.`);
}
/** The job summary of a switch. */
function switchReport(result) {
    const title = result.dryRun
        ? `Blue-green switch (dry run): ${result.active} stays live`
        : result.switched
            ? `Blue-green switch: ${result.previous} → ${result.active}`
            : `Blue-green switch: ${result.active} was already live, nothing moved`;
    return sections(heading(title), table(['', 'blue', 'green'], [
        ['before', `${result.before.blue}%`, `${result.before.green}%`],
        ['after', `${result.after.blue}%`, `${result.after.green}%`],
    ]), table(['router', 'health check', 'took'], [
        [
            result.router,
            result.health
                ? `${result.health.url}: ${result.health.passedInARow} in a row, last ${result.health.last}`
                : 'none',
            `${result.elapsedMs} ms`,
        ],
    ]));
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/index.js




;// CONCATENATED MODULE: ./build/tsc/actions/blue-green-switch/main.js



async function main(io) {
    const { inputs } = io;
    const config = parseRouterConfig(inputs.yaml('router', { required: true }), {
        workspace: inputs.workspace,
    });
    const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle');
    const healthUrl = inputs.optional('health-url');
    const health = healthUrl === undefined
        ? undefined
        : {
            url: parseUrl('health-url', healthUrl),
            checks: inputs.integer('health-checks', 3, 1, 100),
            interval: inputs.duration('health-interval', 1000, { min: 100, max: 600_000 }),
            timeout: inputs.duration('health-timeout', 30_000, { min: 100, max: 3_600_000 }),
        };
    const dryRun = inputs.boolean('dry-run', false);
    const result = await io.group('Blue-green switch', () => blueGreenSwitch(openRouter(config), { to, dryRun, ...(health ? { health } : {}) }, io.log));
    io.output({ active: result.active, previous: result.previous, switched: result.switched });
    await io.summary(switchReport(result));
}
/** An http(s) URL; `{{slot}}` may stand for the target slot's name. */
function parseUrl(name, value) {
    let url;
    try {
        url = new URL(forSlot(value, 'blue'));
    }
    catch {
        url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
        throw new errors/* ConfigurationError */.j1(`Input '${name}' has the value ${(0,errors/* quote */.hD)(value)}; allowed: an http:// or https:// URL, where {{slot}} stands for the target slot's name.`);
    }
    return value;
}


/***/ })

};
