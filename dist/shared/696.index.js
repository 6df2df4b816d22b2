export const id = 696;
export const ids = [696];
export const modules = {

/***/ 1233:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vk: () => (/* reexport */ Recorder),
  LL: () => (/* reexport */ readRecordSettings),
  YJ: () => (/* reexport */ routerSummary)
});

// UNUSED EXPORTS: PAYLOAD_SCHEMA, githubContext, isOurs

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 2 modules
var action_kit = __webpack_require__(796);
;// CONCATENATED MODULE: ./build/tsc/packages/records/records.js
/**
 * Deployment records on the repo's GitHub Environments: every traffic action creates one,
 * moves it through in_progress to success / failure / error, deactivates earlier successes
 * (GitHub does not for production environments), and finds "the last good deployment" for
 * rollback. Records never decide where traffic goes: an outage only costs the record.
 */

const PAYLOAD_SCHEMA = 1;
/** The shared inputs of the traffic actions: environment, token, record, image, environment-url. */
function readRecordSettings(inputs, secret) {
    const token = inputs.string('token');
    secret(token);
    const environment = inputs.string('environment') || 'production';
    if (environment.length > 255 || /[\n\r]/.test(environment)) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'environment' has the value ${(0,action_kit/* quote */.hD)(environment)}; allowed: an environment name of at most 255 characters on one line.`);
    }
    const environmentUrl = inputs.optional('environment-url');
    if (environmentUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(environmentUrl)) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'environment-url' has the value ${(0,action_kit/* quote */.hD)(environmentUrl)}; allowed: an http:// or https:// URL.`);
    }
    const image = inputs.optional('image');
    return {
        enabled: inputs.boolean('record', true),
        environment,
        token,
        ...(image ? { image } : {}),
        ...(environmentUrl ? { environmentUrl } : {}),
    };
}
function githubContext(env = process.env) {
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    const repository = env.GITHUB_REPOSITORY || '';
    return {
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
        repository,
        sha: env.GITHUB_SHA || '',
        runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID || ''}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`,
    };
}
function routerSummary(config) {
    if (config.type === 'haproxy') {
        const a = config.address;
        return { type: 'haproxy', address: a.kind === 'unix' ? a.path : `${a.host}:${a.port}` };
    }
    return { type: 'nginx', address: config.upstreamFile };
}
function isOurs(payload) {
    const p = payload;
    return typeof p === 'object' && p !== null && p.tool === 'cutover' && p.schema === PAYLOAD_SCHEMA;
}
class Recorder {
    settings;
    connect;
    log;
    /** The record this run created, once started. */
    deploymentId;
    missing = false;
    constructor(settings, 
    /** Connects on first use: @actions/github is most of the bundle, and a rollback to a named slot moves traffic before it needs GitHub. */
    connect, log) {
        this.settings = settings;
        this.connect = connect;
        this.log = log;
    }
    /** A recorder; without a token or with `record: false` it records nothing and says so once. */
    static async open(settings, log, context = githubContext(), retry) {
        if (!settings.enabled) {
            log.info('records: off (record: false)');
            return new Recorder(settings, undefined, log);
        }
        if (!settings.token) {
            log.warning('records: no token, so no deployment is recorded. Pass `token: ${{ github.token }}` (the default in a workflow) and grant `deployments: write`.');
            return new Recorder(settings, undefined, log);
        }
        let api;
        const connect = () => (api ??= Promise.all(/* import() */[__webpack_require__.e(413), __webpack_require__.e(119)]).then(__webpack_require__.bind(__webpack_require__, 3119)).then(({ DeploymentsApi }) => new DeploymentsApi(settings.token, context, log, retry)));
        return new Recorder(settings, connect, log);
    }
    get active() {
        return this.connect !== undefined;
    }
    /**
     * The newest deployment of the environment, created before `before` (a deployment id), that
     * reached `success` and never `failure`/`error`, was not rolled back, and carries our payload.
     */
    async lastGood(before) {
        if (!this.connect)
            return undefined;
        const api = await this.connect();
        const rolledBack = new Set();
        for await (const d of api.deployments(this.settings.environment)) {
            if (!isOurs(d.payload))
                continue;
            if (d.payload.rolled_back_id !== undefined)
                rolledBack.add(d.payload.rolled_back_id);
            if ((before !== undefined && d.id >= before) ||
                rolledBack.has(d.id) ||
                d.id === this.deploymentId)
                continue;
            const states = (await api.statuses(d.id)).map((s) => s.state);
            if (states.includes('success') && !states.includes('failure') && !states.includes('error'))
                return { id: d.id, payload: d.payload };
        }
        return undefined;
    }
    /** The newest deployment of the environment that carries our payload, whatever its status. */
    async latest() {
        if (!this.connect)
            return undefined;
        const api = await this.connect();
        for await (const d of api.deployments(this.settings.environment)) {
            if (isOurs(d.payload) && d.id !== this.deploymentId)
                return { id: d.id, payload: d.payload };
        }
        return undefined;
    }
    /**
     * Creates the record and marks it in_progress. A refused permission fails here, before traffic
     * moves (unless it already has); an outage (after retries) only costs the record, with a warning.
     */
    async start(payload, 
    /** afterTraffic: the traffic already moved, so even a refused permission is only a warning. */
    options = {}) {
        if (!this.connect)
            return;
        try {
            const api = await this.connect();
            const current = await this.lastGood();
            const full = {
                tool: 'cutover',
                schema: PAYLOAD_SCHEMA,
                ...payload,
                ...(payload.image || this.settings.image
                    ? { image: payload.image ?? this.settings.image }
                    : {}),
                previous: {
                    slot: payload.previous.slot,
                    ...(current ? { deployment_id: current.id } : {}),
                },
            };
            const created = await api.create({
                environment: this.settings.environment,
                task: `deploy:${payload.strategy}`,
                payload: full,
                production: this.settings.environment === 'production',
                description: `${payload.strategy} to ${payload.slot}${full.image ? ` (${full.image})` : ''}`,
            });
            this.deploymentId = created.id;
            await api.status(created.id, 'in_progress', {
                description: `moving traffic to ${payload.slot}`,
            });
            this.log.info(`records: deployment ${created.id} in ${this.settings.environment} is in progress`);
        }
        catch (e) {
            if (!options.afterTraffic && [401, 403].includes(e.status ?? 0)) {
                throw new action_kit/* ConfigurationError */.j1((0,action_kit/* errorMessage */.gJ)(e));
            }
            this.missing = true;
            this.log.warning(`records: the deployment record is missing: ${(0,action_kit/* errorMessage */.gJ)(e)}. Traffic still moves; its outcome decides this step.`);
        }
    }
    /** Marks the record with the step's outcome; after success, earlier successes become inactive. */
    async finish(outcome, description) {
        if (!this.connect || this.deploymentId === undefined) {
            if (this.missing)
                this.log.warning(`records: no record of this ${outcome}: it could not be created.`);
            return;
        }
        const id = this.deploymentId;
        try {
            const api = await this.connect();
            await api.status(id, outcome, {
                description,
                ...(outcome === 'success' && this.settings.environmentUrl
                    ? { environmentUrl: this.settings.environmentUrl }
                    : {}),
            });
            if (outcome === 'success')
                await this.deactivateEarlier(api, id);
            this.log.info(`records: deployment ${id} is ${outcome}`);
        }
        catch (e) {
            this.log.warning(`records: deployment ${id} could not be marked ${outcome}: ${(0,action_kit/* errorMessage */.gJ)(e)}. The traffic change stands; the record is incomplete.`);
        }
    }
    /** Runs `step` between start and finish: DeploymentFailed is a failure, any other throw an error. */
    async around(step, judge) {
        let result;
        try {
            result = await step();
        }
        catch (e) {
            await this.finish(e instanceof action_kit/* DeploymentFailed */.Nr ? 'failure' : 'error', (0,action_kit/* errorMessage */.gJ)(e));
            throw e;
        }
        const { outcome, description } = judge(result);
        await this.finish(outcome, description);
        return result;
    }
    async deactivateEarlier(api, id) {
        for await (const d of api.deployments(this.settings.environment)) {
            if (d.id >= id)
                continue;
            const [latest] = await api.statuses(d.id);
            if (latest?.state === 'success') {
                await api.status(d.id, 'inactive', { description: `superseded by deployment ${id}` });
                this.log.debug(`records: deployment ${d.id} is now inactive`);
            }
        }
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/records/index.js



/***/ }),

/***/ 4457:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  KJ: () => (/* reexport */ RouterError),
  PT: () => (/* reexport */ allOn),
  V7: () => (/* reexport */ formatWeights),
  dz: () => (/* reexport */ liveSlot),
  Y5: () => (/* reexport */ openRouter),
  jx: () => (/* reexport */ otherSlot),
  zC: () => (/* reexport */ parseRouterConfig)
});

// UNUSED EXPORTS: HaproxyRouter, NginxRouter, ROUTER_TYPES, SLOTS, assertWritable, describeConfig, parseServersState, sameWeights, toPercent, upstreamFileFor

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
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 2 modules
var action_kit = __webpack_require__(796);
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
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}': ${message}`);
    };
    if (value === undefined || value === null)
        fail('is required: a YAML mapping with at least `type`.');
    if (typeof value !== 'object' || Array.isArray(value)) {
        fail(`must be a YAML mapping (type, address, ...), got ${describeYaml(value)}.`);
    }
    const map = value;
    const type = map.type;
    if (!ROUTER_TYPES.includes(type)) {
        fail(`'type' is ${(0,action_kit/* quote */.hD)(type)}; allowed: ${ROUTER_TYPES.join(', ')}.`);
    }
    const routerType = type;
    const unknown = Object.keys(map).filter((k) => !KEYS[routerType].includes(k));
    if (unknown.length > 0) {
        fail(`unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')} for type ${routerType}; allowed: ${KEYS[routerType].join(', ')}.`);
    }
    const text = (key, pattern, what) => {
        const v = map[key];
        if (v === undefined || v === null || v === '')
            fail(`'${key}' is required for type ${routerType}.`);
        if (typeof v !== 'string' && typeof v !== 'number')
            fail(`'${key}' must be a string, got ${describeYaml(v)}.`);
        const s = String(v).trim();
        if (pattern && !pattern.test(s))
            fail(`'${key}' is ${(0,action_kit/* quote */.hD)(s)}; allowed: ${what}.`);
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
            fail(`'slots' has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: blue, green.`);
        const out = {};
        for (const slot of SLOTS) {
            const s = m[slot];
            if (s === undefined || s === null || s === '')
                fail(`'slots.${slot}' is required: ${what}.`);
            if (typeof s !== 'string' || !pattern.test(s.trim()))
                fail(`'slots.${slot}' is ${(0,action_kit/* quote */.hD)(s)}; allowed: ${what}.`);
            out[slot] = s.trim();
        }
        if (out.blue === out.green)
            fail(`'slots.blue' and 'slots.green' are both ${(0,action_kit/* quote */.hD)(out.blue)}; the two slots must differ.`);
        return out;
    };
    const timeout = () => {
        const v = map.timeout;
        if (v === undefined || v === null)
            return 5000;
        try {
            const ms = (0,action_kit/* parseDuration */.E9)(`${input}.timeout`, String(v));
            if (ms < 100 || ms > 120_000)
                throw new Error();
            return ms;
        }
        catch {
            return fail(`'timeout' is ${(0,action_kit/* quote */.hD)(v)}; allowed: a duration from 100ms to 2m, e.g. 5s.`);
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
        return fail(`'address' is ${(0,action_kit/* quote */.hD)(address)}; allowed: host:port of the HAProxy runtime API (stats socket), or the absolute path of its unix socket.`);
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
    return `${typeof v} ${(0,action_kit/* quote */.hD)(v)}`;
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

;// CONCATENATED MODULE: ./build/tsc/packages/router/haproxy.js



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
        // Loaded here, not at start-up: an nginx user never pays for node:net.
        const { connect } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7030, 19));
        return new Promise((resolve, reject) => {
            const socket = address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host);
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
    async run(argv, what) {
        const [command, ...args] = argv;
        // Loaded here, not at start-up: a HAProxy user never pays for node:child_process.
        const { execFile } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1421, 19));
        return new Promise((resolve, reject) => {
            execFile(command, args, { timeout: this.config.timeout }, (error, stdout, stderr) => {
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








/***/ }),

/***/ 3440:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  iu: () => (/* reexport */ blueGreenSwitch),
  pb: () => (/* reexport */ canaryReport),
  Gg: () => (/* reexport */ forSlot),
  wD: () => (/* reexport */ restoreAfterInterruptedWalk),
  dU: () => (/* reexport */ rollback),
  F3: () => (/* reexport */ rollbackReport),
  i7: () => (/* reexport */ runCanary),
  vC: () => (/* reexport */ switchReport)
});

// UNUSED EXPORTS: chooseCanary, decideRollback, moveTraffic, requireHealthy, waitHealthy, weightsTable

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 2 modules
var action_kit = __webpack_require__(796);
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
            last =
                e.name === 'TimeoutError'
                    ? `no answer within ${Date.now() - t0} ms`
                    : `request failed: ${(0,action_kit/* fetchFailure */.Z5)(e)}`;
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
        throw new action_kit/* DeploymentFailed */.Nr(`health check of ${check.url} did not pass: ${check.checks} 2xx answers in a row were needed within ${(0,action_kit/* formatDuration */.a3)(check.timeout)}; after ${result.attempts} attempts the last was ${result.last}. No traffic was moved: ${where}.`);
    }
    return result;
}

// EXTERNAL MODULE: ./build/tsc/packages/router/index.js + 6 modules
var packages_router = __webpack_require__(4457);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/move.js
/** The one way strategies change weights: write, and if that fails, say where traffic is now. */


async function moveTraffic(router, target, log) {
    try {
        await router.write(target);
    }
    catch (e) {
        let where;
        try {
            where = `traffic is now ${(0,packages_router/* formatWeights */.V7)(await router.read())}`;
        }
        catch (readError) {
            where = `the router could not be read afterwards either (${(0,action_kit/* errorMessage */.gJ)(readError)}): check ${router.describe()} by hand`;
        }
        const message = (0,action_kit/* errorMessage */.gJ)(e);
        // Providers often say where traffic is already; say it once.
        throw new packages_router/* RouterError */.KJ(/traffic (is now|stays at)/.test(message) ? message : `${message}; ${where}`);
    }
    const after = await router.read();
    log.info(`traffic now: ${(0,packages_router/* formatWeights */.V7)(after)}`);
    return after;
}
/** The before/after weights table every traffic summary starts with. */
function weightsTable(before, after) {
    return action_kit/* markdown.table */.wD.table(['', 'blue', 'green'], [
        ['before', `${before.blue}%`, `${before.green}%`],
        ['after', `${after.blue}%`, `${after.green}%`],
    ]);
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/blue-green.js
/** Blue-green: all traffic from the live slot to the other one, after the target proved healthy. */




async function blueGreenSwitch(router, plan, log, hooks = {}) {
    const started = Date.now();
    const before = await router.read();
    const live = (0,packages_router/* liveSlot */.dz)(before);
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,packages_router/* formatWeights */.V7)(before)}${live ? ` (live: ${live})` : ' (split)'}`);
    const target = resolveTarget(plan.to, before);
    const previous = live ?? 'split';
    const done = (after, switched, health) => ({
        router: router.describe(),
        previous,
        active: (0,packages_router/* liveSlot */.dz)(after) ?? 'split',
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
    if (!plan.dryRun)
        await hooks.onPlan?.({ previous, target, before });
    const health = plan.health
        ? await requireHealthy({ ...plan.health, url: forSlot(plan.health.url, target) }, log, `traffic stays at ${(0,packages_router/* formatWeights */.V7)(before)}`)
        : undefined;
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${(0,packages_router/* formatWeights */.V7)(before)} to ${(0,packages_router/* formatWeights */.V7)((0,packages_router/* allOn */.PT)(target))}; nothing moved.`);
        return done(before, false, health);
    }
    log.info(`switching: ${(0,packages_router/* formatWeights */.V7)(before)} -> ${(0,packages_router/* formatWeights */.V7)((0,packages_router/* allOn */.PT)(target))}`);
    const after = await moveTraffic(router, (0,packages_router/* allOn */.PT)(target), log);
    return done(after, true, health);
}
/** `{{slot}}` in a URL becomes the slot's name, so one input serves whichever slot is idle. */
function forSlot(url, slot) {
    return url.replace(/\{\{\s*slot\s*\}\}/g, slot);
}
function resolveTarget(to, weights) {
    if (to !== 'idle')
        return to;
    const live = (0,packages_router/* liveSlot */.dz)(weights);
    if (live)
        return (0,packages_router/* otherSlot */.jx)(live);
    throw new action_kit/* ConfigurationError */.j1(`Input 'to' is "idle", but traffic is split (${(0,packages_router/* formatWeights */.V7)(weights)}), so no slot is idle. Name the slot to move all traffic to: to: blue or to: green.`);
}
/** The job summary of a switch. */
function switchReport(result) {
    const title = result.dryRun
        ? `Blue-green switch (dry run): ${result.active} stays live`
        : result.switched
            ? `Blue-green switch: ${result.previous} → ${result.active}`
            : `Blue-green switch: ${result.active} was already live, nothing moved`;
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(title), weightsTable(result.before, result.after), action_kit/* markdown.table */.wD.table(['router', 'health check', 'took'], [
        [
            result.router,
            result.health
                ? `${result.health.url}: ${result.health.passedInARow} in a row, last ${result.health.last}`
                : 'none',
            `${result.elapsedMs} ms`,
        ],
    ]));
}

// EXTERNAL MODULE: ./build/tsc/packages/gate/index.js + 5 modules
var packages_gate = __webpack_require__(8029);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/canary.js
/**
 * Canary: move traffic to the canary slot step by step, judge every step with the gate, and on a
 * failing verdict put the stable slot back to 100% at once (or hold, if asked).
 */




const canary_sleep = (ms, signal) => new Promise((resolve) => {
    if (signal?.aborted)
        return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
});
const weightsFor = (canary, weight) => ({ [canary]: weight, [(0,packages_router/* otherSlot */.jx)(canary)]: 100 - weight });
/** The canary is the slot carrying less traffic; a tie cannot be resolved without being told. */
function chooseCanary(weights) {
    if (weights.blue === weights.green) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'canary' is needed: traffic is ${(0,packages_router/* formatWeights */.V7)(weights)}, so neither slot carries less. Say canary: blue or canary: green.`);
    }
    return weights.blue < weights.green ? 'blue' : 'green';
}
async function runCanary(router, plan, log, hooks = {}) {
    const before = await router.read();
    const canary = plan.canary ?? chooseCanary(before);
    const stable = (0,packages_router/* otherSlot */.jx)(canary);
    const first = plan.steps[0] ?? 0;
    if (plan.steps.length > 1 && before[canary] > first) {
        throw new action_kit/* ConfigurationError */.j1(`canary ${canary} already carries ${before[canary]}% (${(0,packages_router/* formatWeights */.V7)(before)}), more than the first step (${first}%): walking would first take traffic away from it. Is ${canary} really the new version? Set input 'canary' or start from the step it is at.`);
    }
    const gate = plan.gate?.({ canary, stable });
    await hooks.onStart?.({ canary, stable, before });
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,packages_router/* formatWeights */.V7)(before)}; canary ${canary}, stable ${stable}; steps ${plan.steps.join(' → ')}%`);
    const steps = [];
    let weight = before[canary];
    const finish = (verdict, reason, after, rolledBack) => {
        hooks.onProgress?.({ canary, stable, weight: after[canary], finished: true });
        return {
            router: router.describe(),
            canary,
            stable,
            verdict,
            reason,
            weight: after[canary],
            steps,
            before,
            after,
            rolledBack,
        };
    };
    const restoreStable = async (why) => {
        log.info(`${why}: moving all traffic back to stable ${stable}`);
        const after = await moveTraffic(router, weightsFor(canary, 0), log);
        log.info(`stable ${stable} carries 100% again`);
        return after;
    };
    for (const [index, target] of plan.steps.entries()) {
        if (hooks.signal?.aborted)
            break;
        hooks.onProgress?.({ canary, stable, weight: target, finished: false });
        const startedAt = new Date().toISOString();
        await moveTraffic(router, weightsFor(canary, target), { ...log, info: () => { } });
        weight = target;
        log.info(`step ${index + 1}/${plan.steps.length}: canary ${canary} at ${target}% (${(0,packages_router/* formatWeights */.V7)(weightsFor(canary, target))})`);
        let step;
        if (gate) {
            const result = await (0,packages_gate/* runAnalysis */.A1)(gate.source, gate.checks, gate.settings, log, hooks.signal ? { signal: hooks.signal } : {});
            step = {
                weight: target,
                verdict: result.verdict,
                reason: result.reason,
                measurements: result.measurements,
                startedAt,
            };
        }
        else {
            await canary_sleep(plan.holdMs, hooks.signal);
            step = {
                weight: target,
                verdict: 'pass',
                reason: `held ${plan.holdMs} ms (no gate)`,
                measurements: [],
                startedAt,
            };
        }
        if (hooks.signal?.aborted) {
            steps.push({ ...step, verdict: 'cancelled', reason: 'cancelled' });
            break;
        }
        steps.push(step);
        log.info(`step ${index + 1}: ${step.verdict}: ${step.reason}`);
        if (step.verdict !== 'pass') {
            const reason = `step ${index + 1} (canary ${target}%) ${step.verdict}: ${step.reason}`;
            if (plan.onFailure === 'hold') {
                log.info(`on-failure is hold: traffic stays at ${(0,packages_router/* formatWeights */.V7)(weightsFor(canary, target))}`);
                return finish(step.verdict, reason, await router.read(), false);
            }
            return finish(step.verdict, reason, await restoreStable(`verdict ${step.verdict}`), true);
        }
    }
    if (hooks.signal?.aborted) {
        return finish('cancelled', `cancelled at canary ${weight}%`, await restoreStable('cancelled'), true);
    }
    const after = await router.read();
    if (after[canary] === 100)
        log.info(`canary ${canary} passed every step and is now the live slot`);
    return finish('pass', `${plan.steps.length} step(s) passed`, after, false);
}
/** Puts the stable slot back to 100% if a walk was left mid-way (the post step's job). */
async function restoreAfterInterruptedWalk(router, stable, log) {
    const now = await router.read();
    if (now[stable] === 100) {
        log.info(`stable ${stable} already carries 100% (${(0,packages_router/* formatWeights */.V7)(now)}): nothing to restore`);
        return false;
    }
    log.info(`the canary walk was interrupted at ${(0,packages_router/* formatWeights */.V7)(now)}: restoring stable ${stable} to 100%`);
    try {
        await moveTraffic(router, weightsFor((0,packages_router/* otherSlot */.jx)(stable), 0), log);
    }
    catch (e) {
        throw new Error(`could not restore stable ${stable}: ${(0,action_kit/* errorMessage */.gJ)(e)}`);
    }
    log.info(`restored: stable ${stable} carries 100%`);
    return true;
}
/** The job summary of a canary walk: a table per step and charts of weight and the first check. */
function canaryReport(result) {
    const icon = result.verdict === 'pass' ? '✅' : result.verdict === 'cancelled' ? '⏹️' : '❌';
    const title = result.verdict === 'pass'
        ? `Canary ${result.canary}: ${result.verdict}, canary at ${result.weight}%`
        : `Canary ${result.canary}: ${result.verdict}${result.rolledBack ? `, rolled back to stable ${result.stable}` : `, held at ${result.weight}%`}`;
    const overview = action_kit/* markdown.table */.wD.table(['step', 'canary weight', 'verdict', 'reason'], result.steps.map((s, i) => [i + 1, `${s.weight}%`, s.verdict, s.reason]));
    const perStep = result.steps
        .filter((s) => s.measurements.length > 0)
        .map((s) => `**Step ${result.steps.indexOf(s) + 1}: canary at ${s.weight}%**\n\n${(0,packages_gate/* measurementTable */.zb)(s.measurements)}`);
    const points = result.steps.flatMap((s) => s.measurements.map((m) => ({ weight: s.weight, m })));
    const first = points[0]?.m.check;
    const series = points.filter((p) => p.m.check === first);
    const charts = series.length > 1
        ? [
            (0,packages_gate/* lineChart */.Tz)(`Canary ${result.canary} weight (%)`, series.map((p) => p.m.at.slice(11, 19)), 'weight %', [series.map((p) => p.weight)]),
            (0,packages_gate/* lineChart */.Tz)(`${first} (value)`, series.map((p) => p.m.at.slice(11, 19)), first ?? '', [series.map((p) => p.m.value ?? NaN)]),
        ]
        : [];
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`${icon} ${title}`), `${result.reason}. Router: ${result.router}. Traffic before: ${(0,packages_router/* formatWeights */.V7)(result.before)}; after: ${(0,packages_router/* formatWeights */.V7)(result.after)}.`, overview, ...perStep, ...charts);
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/rollback.js
/**
 * Rollback: all traffic back to where it was good. `previous` asks the deployment records which
 * slot that is; without records it is the slot not live now; mid-canary it is the stable slot.
 */



async function decideRollback(plan, before, history, log) {
    const live = (0,packages_router/* liveSlot */.dz)(before);
    if (plan.to !== 'previous')
        return { target: plan.to, why: `to: ${plan.to} was asked for` };
    if (!live) {
        // Mid-canary: the stable slot is the one the walk started from.
        const latest = await history.latest();
        if (latest?.payload.strategy === 'canary' && latest.payload.stable) {
            return {
                target: latest.payload.stable,
                rolledBack: latest,
                why: `traffic is split (${(0,packages_router/* formatWeights */.V7)(before)}) by canary deployment ${latest.id}; its stable slot is ${latest.payload.stable}`,
            };
        }
        if (before.blue === before.green) {
            throw new action_kit/* ConfigurationError */.j1(`Input 'to' is "previous", but traffic is split evenly (${(0,packages_router/* formatWeights */.V7)(before)}) and no canary record says which slot is stable. Name the slot: to: blue or to: green.`);
        }
        const stable = before.blue > before.green ? 'blue' : 'green';
        return {
            target: stable,
            why: `traffic is split (${(0,packages_router/* formatWeights */.V7)(before)}); ${stable} carries more of it, so it is taken as the stable slot`,
        };
    }
    const current = await history.lastGood();
    if (!current) {
        log.warning(`rollback: no deployment records in this environment, so "previous" means the slot not live now: ${(0,packages_router/* otherSlot */.jx)(live)}.`);
        return {
            target: (0,packages_router/* otherSlot */.jx)(live),
            why: `no records; ${live} is live, so back to ${(0,packages_router/* otherSlot */.jx)(live)}`,
        };
    }
    const restored = await history.lastGood(current.id);
    if (!restored) {
        log.warning(`rollback: no good deployment before deployment ${current.id}, so "previous" means the slot not live now: ${(0,packages_router/* otherSlot */.jx)(live)}.`);
        return {
            target: (0,packages_router/* otherSlot */.jx)(live),
            rolledBack: current,
            why: `deployment ${current.id} is the only good one; back to ${(0,packages_router/* otherSlot */.jx)(live)}`,
        };
    }
    return {
        target: restored.payload.slot,
        rolledBack: current,
        restored,
        why: `undoing deployment ${current.id} (${current.payload.slot}); the last good deployment before it is ${restored.id} on ${restored.payload.slot}`,
    };
}
async function rollback(router, plan, history, log, hooks = {}) {
    const before = await router.read();
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,packages_router/* formatWeights */.V7)(before)}`);
    const decision = await decideRollback(plan, before, tolerant(history, log), log);
    log.info(`rollback to ${decision.target}: ${decision.why}`);
    const previous = (0,packages_router/* liveSlot */.dz)(before) ?? 'split';
    const result = (after, switched) => ({
        router: router.describe(),
        before,
        after,
        previous,
        active: (0,packages_router/* liveSlot */.dz)(after) ?? 'split',
        switched,
        dryRun: plan.dryRun,
        decision,
    });
    if (before[decision.target] === 100) {
        log.warning(`rollback: ${decision.target} already carries 100% of traffic; nothing to move.`);
        return result(before, false);
    }
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${(0,packages_router/* formatWeights */.V7)(before)} to ${(0,packages_router/* formatWeights */.V7)((0,packages_router/* allOn */.PT)(decision.target))}; nothing moved.`);
        return result(before, false);
    }
    const after = await moveTraffic(router, (0,packages_router/* allOn */.PT)(decision.target), log);
    log.info(`rolled back: ${decision.target} carries 100%`);
    // Recovery first: the record is written once traffic is back, so API calls never delay it.
    await hooks.onMoved?.(decision, before);
    return result(after, true);
}
/** Records that cannot be read count as absent, with a warning: an emergency tool falls back rather than refusing to recover. */
function tolerant(history, log) {
    const guard = async (read) => {
        try {
            return await read();
        }
        catch (e) {
            log.warning(`rollback: the deployment records could not be read (${(0,action_kit/* errorMessage */.gJ)(e)}); deciding without them.`);
            return undefined;
        }
    };
    return {
        lastGood: async (before) => (await guard(() => history.lastGood(before))) ?? undefined,
        latest: async () => (await guard(() => history.latest())) ?? undefined,
    };
}
function rollbackReport(result, reason) {
    const title = result.dryRun
        ? `Rollback (dry run): would go back to ${result.decision.target}`
        : result.switched
            ? `Rollback: ${result.previous} → ${result.active}`
            : `Rollback: ${result.decision.target} was already live, nothing moved`;
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(title), weightsTable(result.before, result.after), action_kit/* markdown.table */.wD.table(['router', 'why this slot', 'reason given'], [[result.router, result.decision.why, reason || '—']]));
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/index.js







/***/ })

};
