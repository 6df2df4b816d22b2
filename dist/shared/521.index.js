export const id = 521;
export const ids = [521];
export const modules = {

/***/ 1657:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MF: () => (/* binding */ readBake),
  CP: () => (/* binding */ readCanaryPlan),
  n0: () => (/* binding */ readDryRun),
  L8: () => (/* binding */ readHealth),
  AE: () => (/* binding */ readRollbackMode),
  wW: () => (/* binding */ readRollout),
  MX: () => (/* binding */ readRouter),
  kK: () => (/* binding */ readSmoke),
  Zm: () => (/* binding */ stopSignal)
});

// UNUSED EXPORTS: readSteps, slotBinder

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/util.js
var util = __webpack_require__(6719);
// EXTERNAL MODULE: ./build/tsc/packages/router/index.js + 18 modules
var packages_router = __webpack_require__(3178);
;// CONCATENATED MODULE: ./build/tsc/actions/common/services.js
/**
 * Where the router and the service meet: a router whose YAML says `services: [...]` serves only
 * those services, so a step for another service (a forgotten `router:` that fell back to another
 * service's ROUTER variable) is refused before anything is contacted.
 */


/**
 * Throws a ConfigurationError naming the service, each router that does not list it and what it
 * serves; routers without `services:` serve any service. `service` is what the step records
 * under (its `service` input, default the repository's name).
 */
function checkServiceServed(configs, service, input = 'router') {
    const refusing = configs
        .map((config, i) => ({ config, i }))
        .filter(({ config }) => config.services !== undefined && !config.services.includes(service));
    if (refusing.length === 0)
        return;
    const where = refusing
        .map(({ config, i }) => `${configs.length > 1 ? `'${input}[${i}]' ` : ''}${(0,packages_router/* describeConfig */.Yy)(config)} serves ${(config.services ?? []).map((s) => (0,action_kit/* quote */.hD)(s)).join(', ')}`)
        .join('; ');
    throw new action_kit/* ConfigurationError */.j1(`Input 'service' is ${(0,action_kit/* quote */.hD)(service)}, but the router does not serve it: ${where} (its 'services:' key). Nothing was changed. Give this service's own router (e.g. the reusable workflows' router-variable: ${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_ROUTER), or add ${(0,action_kit/* quote */.hD)(service)} to that router's services.`);
}

// EXTERNAL MODULE: ./build/tsc/packages/traffic/smoke.js
var smoke = __webpack_require__(6292);
// EXTERNAL MODULE: ./build/tsc/packages/gate/index.js + 9 modules
var packages_gate = __webpack_require__(4402);
;// CONCATENATED MODULE: ./build/tsc/actions/common/inputs.js
/**
 * The inputs the three traffic actions share: the router (one mapping or a list), the health
 * check, dry-run. Every value is validated whether or not it is used, before anything moves.
 */






/**
 * `env` is the step's environment: a Kubernetes router finds its kubeconfig there (KUBECONFIG,
 * HOME). `secret` masks a router's credentials (a DNS API key or TSIG secret, Unleash tokens, and
 * every line and value of `router-credentials`) before anything is logged.
 */
function readRouter(inputs, log, env, secret) {
    // router-credentials: masked line by line and value by value before it is parsed or checked,
    // then merged into the router YAML (packages/router/config.ts withCredentials).
    const credentials = (0,packages_router/* parseRouterCredentials */.Pv)(inputs.string('router-credentials'), (value) => secret?.(value, 'router-credentials'));
    const configs = (0,packages_router/* parseRouterConfigs */.YH)((0,packages_router/* withCredentials */.tE)(inputs.yaml('router', { required: true }), credentials), { input: 'router', workspace: inputs.workspace });
    for (const value of (0,packages_router/* routerSecrets */.h6)(configs))
        secret?.(value);
    // A router that lists its services refuses a step for another one (actions/common/services.ts).
    checkServiceServed(configs, inputs.optional('service') ?? env.GITHUB_REPOSITORY?.split('/')[1] ?? '');
    const backends = new Set(configs.map((c) => (c.type === 'haproxy' ? c.backend : undefined)));
    const [backend] = backends;
    // A list mixing flags and traffic routers is refused here, before anything is contacted.
    const kind = (0,packages_router/* routerKind */.i$)(configs.map((c) => c.type));
    return {
        open: () => (0,packages_router/* openRouter */.Y5)(configs, { log, env }),
        kind,
        ...(backends.size === 1 && backend !== undefined ? { backend } : {}),
    };
}
/** health-url and its settings; the settings are validated even without a URL. */
function readHealth(inputs) {
    const checks = inputs.integer('health-checks', 3, 1, 100);
    const interval = inputs.duration('health-interval', 1000, { min: 100, max: 600_000 });
    const timeout = inputs.duration('health-timeout', 30_000, { min: 100, max: 3_600_000 });
    const url = inputs.optional('health-url');
    if (url === undefined)
        return undefined;
    (0,util/* parseHttpUrl */.f$)('health-url', url, {
        placeholders: { slot: 'blue' },
        hint: "where {{slot}} stands for the target slot's name",
    });
    return { url, checks, interval, timeout };
}
/** `smoke`: checks of each server of the target slot before traffic moves, validated whole here. */
function readSmoke(inputs) {
    const raw = inputs.string('smoke');
    const value = inputs.yaml('smoke');
    // One line that is not inline YAML (a list or a mapping) named a file: its values are not shown.
    const fromFile = raw !== '' && !raw.includes('\n') && !/^(\[|\{|-\s)/.test(raw);
    return (0,smoke/* parseSmoke */.V)(value, fromFile && typeof value === 'object' ? { file: raw } : {});
}
function readDryRun(inputs) {
    return inputs.boolean('dry-run', false);
}
/**
 * rollback's `scope` and `request-abort`, checked against the inputs they go with before anything
 * is contacted: scope: deployment undoes deployment-id's work as the records show it (to:
 * previous only); request-abort moves nothing and writes a status, so it needs records.
 */
function readRollbackMode(inputs, given) {
    const scope = inputs.enum('scope', ['service', 'deployment'], 'service');
    const requestAbort = inputs.boolean('request-abort', false);
    const { to, settings } = given;
    if (scope === 'deployment' && to !== 'previous')
        throw new action_kit/* ConfigurationError */.j1(`Input 'scope' is deployment and input 'to' is ${to}; scope: deployment undoes only deployment-id's work, as the records show it, so it takes to: previous (or use scope: service with to: ${to}).`);
    if (requestAbort) {
        if (scope === 'deployment')
            throw new action_kit/* ConfigurationError */.j1(`Input 'request-abort' is true and input 'scope' is deployment; request-abort asks the service's walk in progress to stop and takes no scope: leave scope at service.`);
        if (given.dryRun)
            throw new action_kit/* ConfigurationError */.j1(`Input 'request-abort' is true and input 'dry-run' is true; request-abort moves no traffic itself (it posts a status on the walk's deployment): leave dry-run at false.`);
        if (!settings.enabled || !settings.token)
            throw new action_kit/* ConfigurationError */.j1(`Input 'request-abort' is true, but ${settings.enabled ? "input 'token' is empty" : "input 'record' is false"}; request-abort posts the abort request as a status on the walk's deployment: it needs record: true, a token with deployments: write and the environment.`);
    }
    return { scope, requestAbort };
}
/** canary-step's `weight` (one step) or `steps` (a walk): whole percentages, strictly ascending. */
function readSteps(inputs) {
    const weight = inputs.optional('weight');
    const steps = inputs.optional('steps');
    if ((weight === undefined) === (steps === undefined)) {
        throw new action_kit/* ConfigurationError */.j1(weight === undefined
            ? `Give either input 'weight' (one step, 0 to 100) or input 'steps' (e.g. 5,25,50,100).`
            : `Inputs 'weight' and 'steps' were both given; give one of them.`);
    }
    if (weight !== undefined)
        return [(0,action_kit/* parsePercent */.lo)('weight', weight)];
    const text = steps;
    const items = text.split(/[\s,]+/).filter(Boolean);
    // A leading `header` is the header/cookie phase (readCanaryPlan); alone, a standalone use.
    if (items[0] === 'header')
        items.shift();
    if (items.includes('header'))
        throw new action_kit/* ConfigurationError */.j1(`Input 'steps' has the value ${(0,action_kit/* quote */.hD)(text)}; 'header' (the header/cookie phase) may only come first, e.g. header,1,5,25,100.`);
    const values = items.map((item) => {
        try {
            return (0,action_kit/* parsePercent */.lo)('steps', item);
        }
        catch {
            throw new action_kit/* ConfigurationError */.j1(`Input 'steps' has the value ${(0,action_kit/* quote */.hD)(text)}: ${(0,action_kit/* quote */.hD)(item)} is not a whole percentage from 0 to 100.`);
        }
    });
    values.forEach((v, i) => {
        if (i > 0 && v <= values[i - 1]) {
            throw new action_kit/* ConfigurationError */.j1(`Input 'steps' has the value ${(0,action_kit/* quote */.hD)(text)}; steps must go up: ${values[i - 1]} is followed by ${v}.`);
        }
    });
    return values;
}
/** An AbortSignal that fires on the runner's SIGINT/SIGTERM (a cancelled job), saying so. */
function stopSignal(log, what) {
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM']) {
        process.once(signal, () => {
            log.info(`received ${signal}: ${what}`);
            stop.abort();
        });
    }
    return stop.signal;
}
/**
 * `container` and `rollout-timeout`: how a router that can roll a slot (Kubernetes) puts `image`
 * onto it. Validated always; a rollout only happens when an image is given.
 */
function readRollout(inputs, image) {
    const timeoutMs = inputs.duration('rollout-timeout', 300_000, { min: 10_000, max: 3_600_000 });
    const container = inputs.optional('container');
    if (container !== undefined && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(container))
        throw new action_kit/* ConfigurationError */.j1(`Input 'container' has the value ${(0,action_kit/* quote */.hD)(container.slice(0, 70))}; allowed: a container name (a DNS label: 1 to 63 lower-case letters, digits or '-', starting and ending with a letter or digit).`);
    if (image === undefined)
        return undefined;
    return { image, timeoutMs, ...(container ? { container } : {}) };
}
/** canary-step's plan from its inputs; the gate is parsed once here and bound once slots are known. */
function readCanaryPlan(inputs, router, secret) {
    const steps = readSteps(inputs);
    const headerPhase = /^[\s,]*header(?:[\s,]|$)/.test(inputs.optional('steps') ?? '');
    const matchText = inputs.optional('match');
    const match = matchText === undefined ? undefined : (0,packages_router/* parseMatch */.Nu)('match', matchText);
    if (headerPhase && !match)
        throw new action_kit/* ConfigurationError */.j1(`Input 'steps' starts with 'header' (the header/cookie phase), so input 'match' is needed, e.g. match: 'header: x-canary=1' or 'cookie: canary=always'.`);
    const holdMs = inputs.duration('interval', 60_000, { min: 100, max: 6 * 3_600_000 });
    const canary = inputs.optional('canary') === undefined
        ? undefined
        : inputs.enum('canary', ['blue', 'green'], 'blue');
    const onFailure = inputs.enum('on-failure', ['rollback', 'hold'], 'rollback');
    const gate = (0,packages_gate/* readGateInput */.ci)(inputs.yaml('gate'), { provided: packages_gate/* SLOT_PLACEHOLDERS */.u8, stepMs: holdMs });
    for (const value of gate?.secrets ?? [])
        secret(value);
    const smoke = readSmoke(inputs);
    return {
        steps,
        holdMs,
        onFailure,
        dryRun: readDryRun(inputs),
        ...(smoke ? { smoke } : {}),
        ...(canary ? { canary } : {}),
        ...(match ? { match } : {}),
        ...(headerPhase ? { headerPhase } : {}),
        ...(gate ? { gate: slotBinder(gate, router) } : {}),
    };
}
/**
 * Binds a parsed gate to the slots once they are known (canary-step's gate, blue-green-switch's
 * bake). {{canary}}/{{stable}} are the slots' names, or for a flag router the variant labels its
 * users' metrics carry (the flag's on/off states; `servers()` names them).
 */
function slotBinder(gate, router) {
    return ({ canary, stable, servers }) => {
        const names = (0,packages_router/* gateSlotNames */.cg)(router.kind, servers);
        return gate.bind({
            canary: names[canary],
            stable: names[stable],
            canaryServers: servers[canary].map((s) => s.name),
            stableServers: servers[stable].map((s) => s.name),
            ...(router.backend ? { backend: router.backend } : {}),
        });
    };
}
/**
 * blue-green-switch's `bake`: the gate YAML canary-step's `gate` takes, parsed by the same code
 * (same keys, semantics and fail-closed rules), named `bake.<key>` in errors. Without
 * `initial-delay` it first waits one interval after the switch. {{canary}} is the new slot,
 * {{stable}} the old one. Its credentials are masked before anything is logged.
 */
function readBake(inputs, router, secret) {
    const gate = (0,packages_gate/* readGateInput */.ci)(inputs.yaml('bake'), { provided: packages_gate/* SLOT_PLACEHOLDERS */.u8, delayFirst: true }, 'bake');
    if (!gate)
        return undefined;
    for (const value of gate.secrets)
        secret(value);
    return slotBinder(gate, router);
}


/***/ }),

/***/ 7358:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Cm: () => (/* binding */ notifying),
  Qx: () => (/* binding */ readNotify)
});

// UNUSED EXPORTS: ActionNotify, figuresOf, trafficOf

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/domain/slots.js
var slots = __webpack_require__(545);
;// CONCATENATED MODULE: ./build/tsc/packages/notify/config.js
/**
 * The `notify` input: a YAML list of targets, each a Slack incoming webhook, a Microsoft Teams
 * workflow webhook, or a generic JSON webhook with an HMAC-SHA256 signing key. Every value is a
 * secret: the caller masks them (`mask`) before anything else happens, and no error here ever
 * quotes a value, only the target's position, its kind and what is allowed.
 */

const NOTIFY_EVENTS = ['start', 'step', 'pass', 'fail', 'rollback', 'waiting'];
const TARGET_KINDS = ['slack', 'teams', 'webhook'];
/** Targets one input may list: a few channels, not a fan-out service. */
const MAX_TARGETS = 10;
/** A signing key shorter than this is refused: it could be guessed, and the runner would not mask it. */
const MIN_SECRET_LENGTH = 16;
const MAX_URL_LENGTH = 2048;
/** Hosts a plain-http target may name: local receivers (tests, the demo, a sidecar relay). */
const LOCAL_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];
const ALLOWED_KEYS = {
    slack: ['slack', 'events'],
    teams: ['teams', 'events'],
    webhook: ['webhook', 'secret', 'events'],
};
const SHAPE = 'a YAML list of targets, each `{ slack: <incoming webhook URL> }`, `{ teams: <workflow webhook URL> }` or `{ webhook: <URL>, secret: <signing key> }`, optionally with `events: [start, step, pass, fail, rollback, waiting]`';
/**
 * The values to mask before the input is parsed or used: every URL and key (any string under
 * slack, teams, webhook or secret, wherever it sits) and each line of the raw text long enough to
 * hold one. Event names are not masked (masking "fail" would hide the word in every later line).
 * Pure; the caller registers the masks.
 */
function notifySecrets(raw, parsed) {
    const values = new Set();
    const secretKeys = [...TARGET_KINDS, 'secret'];
    const walk = (v, secret) => {
        if (typeof v === 'string' && secret && v.trim() !== '')
            values.add(v.trim());
        else if (Array.isArray(v))
            v.forEach((x) => walk(x, secret));
        else if (v && typeof v === 'object')
            for (const [k, x] of Object.entries(v))
                walk(x, secret || secretKeys.includes(k));
    };
    walk(parsed, false);
    for (const line of rawLines(raw))
        values.add(line);
    return [...values];
}
/** The raw text's lines that could hold a value worth masking (8 characters or more). */
function rawLines(raw) {
    return raw
        .split(/\r\n|\r|\n/)
        .map((l) => l.trim())
        .filter((l) => l.length >= 8 && !/^-?\s*events:/.test(l));
}
/**
 * Parses and validates `notify` (the raw input text) without quoting any value. `mask` is called
 * with every value before validation can fail, so even a refused URL never reaches the log.
 */
function parseNotify(name, raw, mask) {
    if (raw.trim() === '')
        return [];
    // Mask the raw lines first: a YAML error must not print the text around it either.
    for (const line of rawLines(raw))
        mask(line);
    // fromFile: true keeps js-yaml's message from quoting the text (it is all secret).
    const parsed = (0,action_kit/* parseYamlInput */.PJ)(name, raw, 'the value', { fromFile: true });
    for (const value of notifySecrets(raw, parsed))
        mask(value);
    if (!Array.isArray(parsed))
        throw new action_kit/* ConfigurationError */.j1(`Input '${name}' is ${describe(parsed)}; allowed: ${SHAPE}. (Values are secrets and are not shown.)`);
    if (parsed.length === 0)
        throw new action_kit/* ConfigurationError */.j1(`Input '${name}' is an empty list; allowed: ${SHAPE}, or leave the input out.`);
    if (parsed.length > MAX_TARGETS)
        throw new action_kit/* ConfigurationError */.j1(`Input '${name}' lists ${parsed.length} targets; allowed: at most ${MAX_TARGETS}.`);
    return parsed.map((entry, i) => parseTarget(name, entry, i + 1));
}
function parseTarget(name, entry, position) {
    const where = `Input '${name}', target ${position}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
        throw new action_kit/* ConfigurationError */.j1(`${where} is ${describe(entry)}; allowed: ${SHAPE}.`);
    const record = entry;
    const kinds = TARGET_KINDS.filter((k) => k in record);
    if (kinds.length !== 1)
        throw new action_kit/* ConfigurationError */.j1(`${where} has ${kinds.length === 0 ? 'none' : kinds.join(' and ')} of the keys slack, teams, webhook (keys: ${Object.keys(record).map(keyName).join(', ') || 'none'}); allowed: exactly one of them.`);
    const kind = kinds[0];
    const unknown = Object.keys(record).filter((k) => !ALLOWED_KEYS[kind].includes(k));
    if (unknown.length > 0)
        throw new action_kit/* ConfigurationError */.j1(`${where} (${kind}) has the unknown key(s) ${unknown.map(keyName).join(', ')}; allowed: ${ALLOWED_KEYS[kind].join(', ')}.`);
    const url = parseTargetUrl(`${where} (${kind})`, record[kind]);
    const events = parseEvents(`${where} (${kind})`, record.events);
    if (kind !== 'webhook')
        return { kind, url, events };
    const secret = record.secret;
    if (typeof secret !== 'string' || secret.trim().length < MIN_SECRET_LENGTH)
        throw new action_kit/* ConfigurationError */.j1(`${where} (webhook) ${secret === undefined ? 'has no `secret`' : `has a \`secret\` that is ${typeof secret === 'string' ? `${secret.trim().length} characters long` : describe(secret)}`}; allowed: a signing key of at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`), kept in a GitHub secret.`);
    return { kind, url, secret: secret.trim(), events };
}
/** An https URL, or http to the local host; the error names only the scheme and what is allowed. */
function parseTargetUrl(where, value) {
    const allowed = 'an https:// URL without user name or password (http:// only to 127.0.0.1, localhost or [::1], for local receivers)';
    if (typeof value !== 'string' || value.trim() === '')
        throw new action_kit/* ConfigurationError */.j1(`${where} has ${describe(value)} as its URL; allowed: ${allowed}.`);
    const text = value.trim();
    if (text.length > MAX_URL_LENGTH)
        throw new action_kit/* ConfigurationError */.j1(`${where} has a URL of ${text.length} characters; allowed: ${allowed}, at most ${MAX_URL_LENGTH} characters.`);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        throw new action_kit/* ConfigurationError */.j1(`${where} has a value that is not a URL (not shown: it is a secret); allowed: ${allowed}.`);
    }
    if (url.username || url.password)
        throw new action_kit/* ConfigurationError */.j1(`${where} has a URL with a user name or password in it (not shown); allowed: ${allowed}.`);
    const local = LOCAL_HOSTS.includes(url.hostname);
    if (url.protocol === 'https:' || (url.protocol === 'http:' && local))
        return url.href;
    throw new action_kit/* ConfigurationError */.j1(`${where} has a ${url.protocol.replace(/:$/, '')} URL${url.protocol === 'http:' ? ' to a host that is not local' : ''} (not shown: it is a secret); allowed: ${allowed}.`);
}
function parseEvents(where, value) {
    if (value === undefined)
        return NOTIFY_EVENTS;
    const list = typeof value === 'string'
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : value;
    if (!Array.isArray(list) || list.length === 0)
        throw new action_kit/* ConfigurationError */.j1(`${where} has \`events\` that is ${describe(value)}; allowed: a non-empty list of ${NOTIFY_EVENTS.join(', ')}.`);
    const bad = list.filter((e) => !NOTIFY_EVENTS.includes(e));
    if (bad.length > 0)
        throw new action_kit/* ConfigurationError */.j1(`${where} has \`events\` with ${bad.length} unknown value(s)${bad.every((b) => typeof b === 'string' && b.length <= 20 && /^[a-z-]+$/.test(b)) ? ` (${bad.join(', ')})` : ''}; allowed: ${NOTIFY_EVENTS.join(', ')}.`);
    return [...new Set(list)];
}
/** A key is shown only when it looks like a key, never like a pasted value. */
function keyName(key) {
    return /^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(key) ? key : '(a key that is not shown)';
}
function describe(value) {
    if (value === null || value === undefined)
        return 'empty';
    if (Array.isArray(value))
        return 'a list';
    if (typeof value === 'object')
        return 'a mapping';
    return `a ${typeof value}`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./build/tsc/packages/notify/payload.js
/**
 * What a notification says, and how each target wants it, as pure functions: the generic JSON
 * body (schema `cutover.notification/1`), Slack's incoming-webhook message (`text` plus Block
 * Kit `blocks`), and the Teams workflow webhook's message with one Adaptive Card attachment.
 */

const SCHEMA = 'cutover.notification/1';
const SIGNATURE_HEADER = 'X-Cutover-Signature-256';
const TIMESTAMP_HEADER = 'X-Cutover-Timestamp';
const DELIVERY_HEADER = 'X-Cutover-Delivery';
const EVENT_HEADER = 'X-Cutover-Event';
const TITLES = {
    start: 'started',
    step: 'step passed',
    pass: 'passed',
    fail: 'failed',
    rollback: 'rolled back',
    waiting: 'waiting for approval',
};
const ICONS = {
    start: '🚀',
    step: '➡️',
    pass: '✅',
    fail: '❌',
    rollback: '⏪',
    waiting: '⏸️',
};
/** "orders in production: rolled back" */
function title(event) {
    return `${ICONS[event.kind]} ${event.service}${event.environment ? ` in ${event.environment}` : ''}: ${TITLES[event.kind]}`;
}
/** "blue 100% / green 0%", or why it is unknown. */
function trafficText(t) {
    const where = t.weights ? `blue ${t.weights.blue}% / green ${t.weights.green}%` : 'unknown';
    return `${t.router}: ${where}${t.note ? ` (${t.note})` : ''}`;
}
function figureText(f) {
    const value = f.value === undefined ? 'no value' : formatNumber(f.value);
    const parts = [
        `${f.check} ${value}`,
        ...(f.bound ? [`bound ${f.bound}`] : []),
        ...(f.baseline === undefined ? [] : [`stable ${formatNumber(f.baseline)}`]),
        ...(f.samples === undefined ? [] : [`${f.samples} samples`]),
    ];
    return `${parts.join(', ')}${f.outcome ? `: ${f.outcome}` : ''}`;
}
function formatNumber(n) {
    return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(4)));
}
/** The generic webhook's JSON document: every fact, machine-readable. `id`/`timestamp` are signed with it. */
function webhookBody(event, delivery) {
    return JSON.stringify({
        schema: SCHEMA,
        id: delivery.id,
        timestamp: delivery.timestamp,
        event: event.kind,
        action: event.action,
        service: event.service,
        environment: event.environment,
        release: event.release,
        summary: event.summary,
        ...(event.verdict ? { verdict: event.verdict } : {}),
        ...(event.reason ? { reason: event.reason } : {}),
        figures: event.figures,
        traffic: event.traffic.map((t) => ({
            router: t.router,
            blue: t.weights?.blue ?? null,
            green: t.weights?.green ?? null,
            ...(t.note ? { note: t.note } : {}),
        })),
        run: event.runUrl,
    });
}
/** `sha256=<hex>`: HMAC-SHA256 of the raw body bytes under the key, as GitHub signs its webhooks. */
function sign(secret, body) {
    return `sha256=${(0,external_node_crypto_.createHmac)('sha256', secret).update(body).digest('hex')}`;
}
/** The receiver's side: constant-time comparison of a `sha256=<hex>` header with the body's HMAC. */
function verifySignature(secret, body, header) {
    const expected = Buffer.from(sign(secret, body));
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
}
/** Slack escapes: `&`, `<` and `>` are markup (`<!channel>` would ping everyone). */
function slackEscape(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function cut(text, limit) {
    return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
/**
 * Slack's incoming-webhook message: `text` (the notification fallback, required when blocks are
 * given) and Block Kit blocks: a header, a section with the summary, a section of fields, the
 * figures, and a link to the run. Limits kept: header 150, section text 3000, field 2000, at most
 * 10 fields.
 */
function slackPayload(event) {
    const head = title(event);
    const fields = [
        `*Service*\n${event.service}`,
        `*Environment*\n${event.environment || '(none)'}`,
        `*Release*\n${event.release ? `\`${event.release}\`` : '(not given)'}`,
        ...(event.verdict ? [`*Verdict*\n${event.verdict}`] : []),
        `*Traffic now*\n${event.traffic.length > 0 ? event.traffic.map(trafficText).join('\n') : 'not read yet'}`,
    ].map((text) => ({ type: 'mrkdwn', text: cut(slackEscape(text), 2000) }));
    const blocks = [
        { type: 'header', text: { type: 'plain_text', text: cut(head, 150), emoji: true } },
        {
            type: 'section',
            text: {
                type: 'mrkdwn',
                text: cut(slackEscape(`${event.summary}${event.reason ? `\nreason: ${event.reason}` : ''}`), 3000),
            },
        },
        { type: 'section', fields: fields.slice(0, 10) },
    ];
    if (event.figures.length > 0)
        blocks.push({
            type: 'section',
            text: {
                type: 'mrkdwn',
                text: cut(`*Measured*\n${event.figures.map((f) => `• ${slackEscape(figureText(f))}`).join('\n')}`, 3000),
            },
        });
    if (event.runUrl)
        blocks.push({
            type: 'context',
            elements: [
                {
                    type: 'mrkdwn',
                    text: cut(`<${event.runUrl}|${slackEscape(event.action)} run on GitHub>`, 2000),
                },
            ],
        });
    return { text: cut(slackEscape(`${head}: ${event.summary}`), 3000), blocks };
}
/**
 * The Teams workflow webhook ("Send webhook alerts to a channel", Power Automate): a `message`
 * with one attachment of contentType application/vnd.microsoft.card.adaptive whose `content`
 * is an Adaptive Card (1.4: what Teams renders), with a FactSet and an Action.OpenUrl to the run.
 */
function teamsPayload(event) {
    const facts = [
        { title: 'Service', value: event.service },
        { title: 'Environment', value: event.environment || '(none)' },
        { title: 'Release', value: event.release || '(not given)' },
        ...(event.verdict ? [{ title: 'Verdict', value: event.verdict }] : []),
        ...event.traffic.map((t) => ({
            title: `Traffic: ${t.router}`,
            value: trafficText({ ...t, router: '' }).replace(/^: /, ''),
        })),
        ...event.figures.map((f) => ({
            title: f.check,
            value: figureText({ ...f, check: '' }).trim(),
        })),
    ];
    const body = [
        { type: 'TextBlock', text: title(event), weight: 'Bolder', size: 'Medium', wrap: true },
        {
            type: 'TextBlock',
            text: `${event.summary}${event.reason ? `\n\nreason: ${event.reason}` : ''}`,
            wrap: true,
        },
        { type: 'FactSet', facts },
    ];
    return {
        type: 'message',
        attachments: [
            {
                contentType: 'application/vnd.microsoft.card.adaptive',
                contentUrl: null,
                content: {
                    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
                    type: 'AdaptiveCard',
                    version: '1.4',
                    body,
                    ...(event.runUrl
                        ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the run', url: event.runUrl }] }
                        : {}),
                },
            },
        ],
    };
}

;// CONCATENATED MODULE: ./build/tsc/packages/notify/send.js
/**
 * Sending: every target in parallel, each exchange under one deadline (connect, send, read the
 * answer), never a throw. A target that fails, answers non-2xx or hangs is a warning that names
 * the target by kind and position, never its URL or key: traffic decisions never wait on it
 * beyond the deadline and never fail because of it.
 */



/** The whole exchange with one target: connect, send, read the answer. */
const NOTIFY_DEADLINE_MS = 5_000;
/** How much of an answer is read (for the warning); the rest is dropped. */
const ANSWER_LIMIT = 300;
/** The request one target gets for one event: pure. */
function requestFor(target, event, delivery) {
    const headers = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'cutover-notify/1',
    };
    if (target.kind === 'slack')
        return { headers, body: JSON.stringify(slackPayload(event)) };
    if (target.kind === 'teams')
        return { headers, body: JSON.stringify(teamsPayload(event)) };
    const body = webhookBody(event, delivery);
    return {
        headers: {
            ...headers,
            [EVENT_HEADER]: event.kind,
            [DELIVERY_HEADER]: delivery.id,
            [TIMESTAMP_HEADER]: String(delivery.timestamp),
            [SIGNATURE_HEADER]: sign(target.secret ?? '', body),
        },
        body,
    };
}
/** "slack target 1": how logs name a target (its URL is a secret). */
function targetName(target, index) {
    return `${target.kind} target ${index + 1}`;
}
/** Removes the URL (whole, and its path and query) and the key from a text. */
function scrub(text, target) {
    const secrets = [target.url, target.secret ?? ''];
    try {
        const url = new URL(target.url);
        secrets.push(url.pathname + url.search, url.search.slice(1));
        if (url.pathname.length > 1)
            secrets.push(url.pathname.slice(1));
    }
    catch {
        // parseNotify made it a URL
    }
    let out = text;
    for (const s of secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length))
        out = out.split(s).join('***');
    return out;
}
async function deliver(target, index, event, options) {
    const name = targetName(target, index);
    const deadlineMs = options.deadlineMs ?? NOTIFY_DEADLINE_MS;
    const signal = AbortSignal.timeout(deadlineMs);
    const request = requestFor(target, event, {
        id: options.id?.() ?? (0,external_node_crypto_.randomUUID)(),
        timestamp: Math.floor((options.now?.() ?? Date.now()) / 1000),
    });
    try {
        const res = await fetch(target.url, {
            method: 'POST',
            headers: request.headers,
            body: request.body,
            signal,
            // A redirect would send the body (and its signature) somewhere the user did not name.
            redirect: 'manual',
        });
        // The answer is read inside the same deadline: a receiver that drips is cut off too.
        const answer = (await res.text()).slice(0, ANSWER_LIMIT).replace(/\s+/g, ' ').trim();
        if (res.status >= 200 && res.status < 300)
            return { target: name, ok: true, status: res.status };
        return {
            target: name,
            ok: false,
            status: res.status,
            error: scrub(`HTTP ${res.status}${answer ? `: ${answer}` : ''}`, target),
        };
    }
    catch (e) {
        return {
            target: name,
            ok: false,
            error: scrub(signal.aborted ? `no complete answer within ${deadlineMs} ms` : (0,action_kit/* fetchFailure */.Z5)(e), target),
        };
    }
}
/**
 * Sends `event` to every target that wants it, in parallel; resolves when each has answered or
 * hit its deadline (never rejects). Failures are warnings; successes a debug line.
 */
async function sendNotification(targets, event, log, options = {}) {
    const chosen = targets.flatMap((t, i) => (t.events.includes(event.kind) ? [{ t, i }] : []));
    const deliveries = await Promise.all(chosen.map(({ t, i }) => deliver(t, i, event, options)));
    for (const d of deliveries) {
        if (d.ok)
            log.info(`notify: ${event.kind} sent to ${d.target} (HTTP ${d.status})`);
        else
            log.warning(`notify: the ${event.kind} notification to ${d.target} was not delivered (${d.error}); traffic is not affected.`, { title: 'Notification not delivered' });
    }
    return deliveries;
}
/**
 * The notifications of one action run: `send` starts a delivery and returns at once (a traffic
 * move never waits for it); `settle` waits for every delivery started, each bounded by its
 * deadline, so the step ends after them.
 */
class Notifier {
    targets;
    log;
    options;
    pending = new Set();
    deliveries = [];
    constructor(targets, log, options = {}) {
        this.targets = targets;
        this.log = log;
        this.options = options;
    }
    get enabled() {
        return this.targets.length > 0;
    }
    send(event) {
        if (!this.enabled)
            return;
        const p = sendNotification(this.targets, event, this.log, this.options).then((d) => void this.deliveries.push(...d), () => undefined);
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
    }
    /** Like send, for an event whose facts are still being gathered (e.g. a read of the router). */
    sendLater(event) {
        if (!this.enabled)
            return;
        const p = event.then((e) => this.send(e), () => undefined);
        this.pending.add(p);
        void p.finally(() => this.pending.delete(p));
    }
    async settle() {
        while (this.pending.size > 0)
            await Promise.all([...this.pending]);
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/notify/index.js




// EXTERNAL MODULE: ./build/tsc/packages/router/index.js + 18 modules
var packages_router = __webpack_require__(3178);
// EXTERNAL MODULE: ./build/tsc/actions/common/records-inputs.js
var records_inputs = __webpack_require__(1899);
;// CONCATENATED MODULE: ./build/tsc/actions/common/notify.js





/** Every notifier of this process, so the entry can wait for their deliveries. */
const notifiers = new Set();
/** Runs an action's main, then waits for its notifications (each bounded by its deadline). */
function notifying(main) {
    return async (io) => {
        try {
            await main(io);
        }
        finally {
            for (const n of notifiers)
                await n.settle();
        }
    };
}
class ActionNotify {
    notifier;
    base;
    constructor(notifier, base) {
        this.notifier = notifier;
        this.base = base;
    }
    get enabled() {
        return this.notifier.enabled;
    }
    /** Starts the deliveries of one event and returns at once. */
    send(kind, facts) {
        if (!this.notifier.enabled)
            return;
        this.notifier.send(this.event(kind, facts));
    }
    /**
     * A step that threw: `rollback` when a router list was put back where it was, else `fail`.
     * Where traffic is comes from one read of the router after the failure, made inside the
     * delivery (so the step never waits for it beyond the router's own deadline).
     */
    failed(e, router) {
        if (!this.notifier.enabled)
            return;
        const putBack = e instanceof packages_router/* RoutersPutBack */.Vm ? e : undefined;
        const reason = (0,action_kit/* errorMessage */.gJ)(e);
        this.notifier.sendLater((putBack ? Promise.resolve(putBack.restored) : router.read()).then((after) => this.event(putBack ? 'rollback' : 'fail', {
            summary: putBack
                ? `the change failed part-way and every router was put back (${(0,slots/* formatWeights */.V7)(after)})`
                : `${this.base.action} failed`,
            reason,
            traffic: { router, after },
        }), (readError) => ({
            ...this.event('fail', { summary: `${this.base.action} failed`, reason }),
            traffic: [{ router: router.name, note: `unknown: ${(0,action_kit/* errorMessage */.gJ)(readError)}` }],
        })));
    }
    /** blue-green-switch's end: passed (switched or already there), or the bake put the old slot back. */
    switched(result, router) {
        if (result.dryRun)
            return;
        const bake = result.bake;
        if (bake?.rolledBack) {
            this.send('rollback', {
                summary: `the bake judged ${result.target} ${bake.verdict}; ${result.previous} is live again`,
                verdict: bake.verdict,
                reason: bake.reason,
                measurements: bake.measurements,
                traffic: { router, after: bake.after, unreached: bake.unreached },
            });
            return;
        }
        this.send('pass', {
            summary: result.switched
                ? `switched ${result.previous} → ${result.active}${bake ? `; the bake passed` : ''}`
                : `${result.target} already carried 100%: nothing moved`,
            ...(bake ? { verdict: bake.verdict, measurements: bake.measurements } : {}),
            traffic: { router, after: bake?.after ?? result.after },
        });
    }
    /** canary-step's hook: each step that passed (a failing one is told by the walk's end). */
    step(router) {
        return (step, index, total, weights) => {
            if (step.verdict !== 'pass')
                return;
            this.send('step', {
                summary: step.phase === 'header'
                    ? `header phase passed: matched requests go to the canary, the rest by weight (${step.reason})`
                    : `step ${index + 1}/${total}: canary at ${step.weight}% passed (${step.reason})`,
                verdict: step.verdict,
                measurements: step.measurements,
                traffic: { router, after: weights },
            });
        };
    }
    /** canary-step's end: rolled back, failed and held, passed, or held as asked. */
    walked(result, router, waiting) {
        if (result.dryRun)
            return;
        const measurements = result.steps[result.steps.length - 1]?.measurements ?? [];
        const traffic = { router, after: result.after, unreached: result.unreached };
        if (result.rolledBack) {
            this.send('rollback', {
                summary: `canary ${result.canary} rolled back at ${result.steps[result.steps.length - 1]?.weight ?? result.weight}%: stable ${result.stable} carries 100%`,
                verdict: result.verdict,
                reason: result.reason,
                measurements,
                traffic,
            });
            return;
        }
        if (result.verdict !== 'pass') {
            this.send('fail', {
                summary: `canary ${result.canary} ${result.verdict}; traffic held at ${result.weight}%`,
                verdict: result.verdict,
                reason: result.reason,
                measurements,
                traffic,
            });
            return;
        }
        this.send('pass', {
            summary: result.weight === 100
                ? `canary ${result.canary} passed every step and carries 100%`
                : `canary ${result.canary} passed and holds at ${result.weight}%`,
            verdict: result.verdict,
            measurements,
            traffic,
        });
        if (waiting && result.weight < 100)
            this.send('waiting', {
                summary: `waiting for approval before ${waiting}`,
                traffic,
            });
    }
    /** rollback's end: traffic is back (it moved before this is sent), or nothing needed to move. */
    rolledBack(result, router, reason) {
        if (result.dryRun || !result.switched)
            return;
        this.send('rollback', {
            summary: `rolled back to ${result.target}${result.restored ? ` (deployment ${result.restored.id})` : ''}: it carries 100%`,
            reason: reason || result.decision.why,
            traffic: { router, after: result.after, unreached: result.unreached },
        });
    }
    event(kind, facts) {
        return {
            ...this.base,
            kind,
            summary: facts.summary,
            ...(facts.verdict ? { verdict: facts.verdict } : {}),
            ...(facts.reason ? { reason: facts.reason } : {}),
            figures: figuresOf(facts.measurements ?? []),
            traffic: facts.traffic
                ? trafficOf(facts.traffic.router, facts.traffic.after, facts.traffic.unreached ?? [])
                : [],
        };
    }
}
/**
 * Reads `notify` (masking every value before it is parsed) and returns the action's notifier.
 * `release` is the image input; `service`/`environment` the record settings'.
 */
function readNotify(io, action, records, options = {}) {
    const targets = parseNotify('notify', io.inputs.string('notify'), (v) => io.secret(v, 'notify'));
    // A dry run (a pipeline's plan) moves nothing: nothing to tell.
    const notifier = new Notifier(options.dryRun ? [] : targets, io.log);
    if (notifier.enabled)
        notifiers.add(notifier);
    return new ActionNotify(notifier, {
        action,
        service: records.service,
        environment: records.environment,
        release: records.image ?? '',
        runUrl: (0,records_inputs/* githubContext */.h4)(io.env).runUrl,
    });
}
/** Each check's last look: the figures that decided the verdict. Pure. */
function figuresOf(measurements) {
    const last = new Map();
    for (const m of measurements)
        if (m.outcome !== 'waiting')
            last.set(m.check, m);
    return [...last.values()].map((m) => ({
        check: m.check,
        ...(m.value === undefined ? {} : { value: m.value }),
        ...(m.baseline === undefined ? {} : { baseline: m.baseline }),
        ...(m.samples === undefined ? {} : { samples: m.samples }),
        bound: m.bound,
        outcome: m.outcome,
    }));
}
/** Where traffic is on each router: a list's members, each with the weights or its last read. Pure. */
function trafficOf(router, after, unreached) {
    const members = router instanceof packages_router/* GroupRouter */.bF ? router.routers : [router];
    return members.map((r) => {
        const missed = unreached.find((u) => u.router === r.describe());
        if (!missed)
            return { router: r.name, weights: { ...after } };
        return missed.lastRead
            ? {
                router: r.name,
                weights: { ...missed.lastRead.weights },
                note: `not reached (${missed.error}); at its last read, ${missed.lastRead.at}`,
            }
            : { router: r.name, note: `not reached (${missed.error}); unknown` };
    });
}


/***/ }),

/***/ 2135:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ OutcomeOutputs)
/* harmony export */ });
/* unused harmony export outcomeOutputs */
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6224);

/** Pure: the five outputs of a step that finished (with any verdict). */
function outcomeOutputs(o) {
    return {
        verdict: o.verdict,
        phase: o.phase ?? 'done',
        figures: JSON.stringify(o.figures ?? {}),
        ...(0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_0__/* .rolledBackOutputs */ .ou)(o.rolledBack, o.reason),
    };
}
class OutcomeOutputs {
    io;
    /** The phase the step is in; undefined until its inputs were read and something started. */
    phase;
    constructor(io) {
        this.io = io;
    }
    /** The strategies' phase hook. */
    enter = (phase) => {
        this.phase = phase;
    };
    /** A step that finished (passed, or failed with its verdict): all five outputs. */
    write(o) {
        this.io.output(outcomeOutputs(o));
    }
    /**
     * A step that threw: where it stopped (phase), verdict `none` (no gate decided) and the
     * rolled-back/reason a router list that was put back gives. A step that failed before any phase
     * began (its inputs) sets none of them.
     */
    failed(e) {
        const rolled = (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_0__/* .rolledBackOnFailure */ .V4)(e);
        if (this.phase === undefined) {
            this.io.output(rolled);
            return;
        }
        this.io.output({ verdict: 'none', phase: this.phase, figures: '{}', ...rolled });
    }
}


/***/ }),

/***/ 3212:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K4: () => (/* binding */ Recording),
/* harmony export */   Vk: () => (/* binding */ rollbackRecordSettings),
/* harmony export */   jC: () => (/* binding */ openHistory)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5352);
/* harmony import */ var _packages_domain_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(545);
/**
 * The traffic actions' side of the records: turns the strategies' one record hook into a
 * deployment record of the service (through the records package's writer), and ends it with the
 * step's outcome. Records never decide where traffic goes: an outage only costs the record.
 */



class Recording {
    writer;
    settings;
    log;
    extra;
    /** The record an earlier job started, when `deployment-id` was given. */
    continued;
    constructor(writer, settings, log, extra) {
        this.writer = writer;
        this.settings = settings;
        this.log = log;
        this.extra = extra;
    }
    /** Opens the writer; with `deployment-id`, takes over that record first (so its last step's time is known). */
    static async open(settings, context, router, log, extra = {}) {
        const writer = (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .openDeploymentWriter */ .tM)(settings, context, {
            router: { type: router.type, name: router.name },
            log,
        });
        const recording = new Recording(writer, settings, log, extra);
        if (settings.deploymentId !== undefined) {
            // claim: this step moves traffic onto the release's slot; a newer plan since means stand down.
            const continued = await writer.continue(settings.deploymentId, {
                standDownIfSuperseded: extra.claim === true,
            });
            if (continued)
                recording.continued = continued;
        }
        return recording;
    }
    get deploymentId() {
        return this.writer.deploymentId;
    }
    async start(record) {
        const on = this.settings.enabled && this.settings.token !== '';
        if (this.continued) {
            if (this.continued.payload.slot !== record.slot)
                throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'deployment-id' is ${this.continued.id}, the record of ${this.continued.payload.strategy} to ${this.continued.payload.slot}, but this step puts its release on ${record.slot}. Give the deployment-id of this release's record, or none.`);
            return;
        }
        if (this.settings.deploymentId !== undefined)
            return; // could not be continued: warned already
        if (on && record.strategy !== 'rollback' && !this.settings.image)
            this.log.warning(`records: no \`image\` given, so the record cannot prove which release ${record.slot} holds; rollback to: previous will refuse to use it. Pass the image (by digest).`);
        const undone = this.extra.undoneId ?? record.undone?.id;
        const draft = {
            strategy: record.strategy,
            slot: record.slot,
            weights: record.weights,
            previous: { slot: record.previous },
            ...(record.strategy === 'canary' ? { stable: (0,_packages_domain_index_js__WEBPACK_IMPORTED_MODULE_2__/* .otherSlot */ .jx)(record.slot) } : {}),
            ...(undone === undefined ? {} : { rolled_back_id: undone }),
            ...(record.restored ? { restored_deployment_id: record.restored.id } : {}),
            ...(record.restored?.image ? { image: record.restored.image } : {}),
            ...(record.unreached
                ? {
                    unreached: record.unreached.map((u) => ({
                        router: u.router,
                        error: u.error,
                        ...(u.lastRead ? { last_read: u.lastRead.weights, last_read_at: u.lastRead.at } : {}),
                    })),
                }
                : {}),
            ...(this.extra.reason || record.reason
                ? { reason: (this.extra.reason || record.reason) }
                : {}),
        };
        await this.writer.start(draft, {
            ...(record.strategy === 'rollback' ? { afterTraffic: true } : {}),
            ...(record.restored ? { ref: record.restored.sha } : {}),
        });
    }
    progress(description) {
        return this.writer.progress(description);
    }
    /** success / failure end the record; held leaves it in progress with a status saying so. */
    async end(outcome) {
        if (outcome.outcome === 'held')
            await this.writer.progress(outcome.description);
        else
            await this.writer.finish(outcome.outcome, outcome.description);
    }
    /**
     * Ends a release's record that a rollback found never went live (nothing moved). A record that
     * already ended (a canary that rolled itself back ended its own as failure) is left as it is,
     * and the log says so: there is nothing to mark.
     */
    async failUndone(id, why, history) {
        const known = history && !('unavailable' in history) ? await stateOf(id, history) : undefined;
        if (known && ENDED.includes(known.state)) {
            this.log.info(`records: deployment ${id} already ended ${known.state}${known.statusDescription ? ` ("${known.statusDescription}")` : ''}: nothing to mark`);
            return;
        }
        try {
            if (!(await this.writer.continue(id)))
                return;
            await this.writer.finish('failure', `aborted; ${why}`);
        }
        catch (e) {
            this.log.warning(`records: deployment ${id} could not be marked failure: ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(e)}`);
        }
    }
    /** Runs `step`; a throw ends the record (DeploymentFailed: failure, anything else: error). */
    async around(step, judge) {
        let result;
        try {
            result = await step();
        }
        catch (e) {
            // A mistake in this step's inputs says nothing about a release an earlier job started.
            if (!(e instanceof _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1 && this.continued))
                await this.writer.finish(e instanceof _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentFailed */ .Nr ? 'failure' : 'error', (0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(e));
            throw e;
        }
        const outcome = judge(result);
        if (outcome)
            await this.end(outcome);
        return result;
    }
}
/** States a deployment does not leave: marking it failure again would say nothing new. */
const ENDED = ['failure', 'error', 'inactive', 'success'];
/** `id`'s record as history reads it (newest first: stops once past it), or undefined. */
async function stateOf(id, history) {
    try {
        let looked = 0;
        for await (const r of history.records()) {
            if (r.id === id)
                return r;
            if (r.id < id || ++looked >= 100)
                return undefined;
        }
    }
    catch {
        // Unknown: the write below says what happened.
    }
    return undefined;
}
/**
 * History for rollback: reads need a token even with `record: false`. It shares the run's one
 * GitHub connection and time budget with the writer (packages/records opens one per run).
 */
function openHistory(settings, context, router, log) {
    if (!settings.token)
        return { unavailable: 'no token was given (the `token` input is empty)' };
    return (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .openDeploymentHistory */ .Y_)(settings, context, {
        router: { type: router.type, name: router.name },
        log,
    });
}
/**
 * The settings of a rollback record a traffic step writes besides its own (a canary that put
 * stable back): a new deployment, so no deployment-id, and no image of the step's release (the
 * record names the release stable holds, when the records know it).
 */
function rollbackRecordSettings(settings) {
    const copy = { ...settings };
    delete copy.deploymentId;
    delete copy.image;
    return copy;
}


/***/ }),

/***/ 1899:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LL: () => (/* binding */ readRecordSettings),
/* harmony export */   h4: () => (/* binding */ githubContext)
/* harmony export */ });
/* unused harmony exports flagKeys, recordService */
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6719);
/* harmony import */ var _packages_router_flag_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2043);
/**
 * The recording inputs the traffic actions share (token, record, environment,
 * production-environment, service, image, environment-url, deployment-id) and the run's GitHub
 * coordinates from the runner's environment: the packages get settings, never inputs or env.
 * Every value is validated whether or not records are on.
 */



/** Environment names GitHub treats as production unless told otherwise. */
const PRODUCTION_NAMES = ['production', 'prod'];
function readRecordSettings(inputs, secret, context) {
    const token = inputs.string('token');
    secret(token);
    const enabled = inputs.boolean('record', true);
    const environment = readEnvironment(inputs, enabled);
    const production = inputs.boolean('production-environment', PRODUCTION_NAMES.includes(environment.toLowerCase()));
    const service = recordService(readService(inputs, context), flagKeys(inputs.yaml('router')));
    const image = inputs.optional('image');
    if (image !== undefined && (image.length > 500 || /\s/.test(image)))
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'image' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(cap(image))}; allowed: an image reference without spaces, at most 500 characters (best by digest: registry/name@sha256:...).`);
    const environmentUrl = inputs.optional('environment-url');
    if (environmentUrl !== undefined)
        (0,_packages_action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__/* .parseHttpUrl */ .f$)('environment-url', environmentUrl);
    const deploymentId = inputs.optional('deployment-id');
    return {
        enabled,
        token,
        environment,
        production,
        service,
        ...(image ? { image } : {}),
        ...(environmentUrl ? { environmentUrl } : {}),
        ...(deploymentId === undefined
            ? {}
            : { deploymentId: (0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseInteger */ .cG)('deployment-id', deploymentId, 1, Number.MAX_SAFE_INTEGER) }),
    };
}
/** Required when records are on: a forgotten `environment` must not write into production. */
function readEnvironment(inputs, enabled) {
    const environment = inputs.string('environment');
    if (environment === '' && enabled)
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'environment' is required when records are on (record: true) and was not given; allowed: the GitHub environment to record in, e.g. production or staging (or record: false).`);
    // eslint-disable-next-line no-control-regex
    if (environment.length > 255 || /[\u0000-\u001f\u007f]/.test(environment))
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'environment' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(cap(environment))}; allowed: an environment name of at most 255 characters on one line.`);
    return environment;
}
/** Default: the repository's name. It becomes the deployment's task, `deploy:<service>`. */
function readService(inputs, context) {
    const given = inputs.optional('service');
    const service = given ?? context.repository.split('/')[1] ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(service))
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(given === undefined
            ? `Input 'service' was not given and the repository name ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(cap(service))} cannot stand in for it; allowed: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.`
            : `Input 'service' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(cap(service))}; allowed: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
    return service;
}
/**
 * The flags a `router` input walks (its flag routers' `flag` keys), none for a traffic router.
 * Reads the value readRouter has already validated (every action reads the router first).
 */
function flagKeys(router) {
    const entries = Array.isArray(router) ? router : [router];
    const keys = entries.flatMap((entry) => {
        if (typeof entry !== 'object' || entry === null)
            return [];
        const { type, flag } = entry;
        return typeof type === 'string' && (0,_packages_router_flag_js__WEBPACK_IMPORTED_MODULE_1__/* .isFlagRouterType */ .w8)(type) ? [String(flag)] : [];
    });
    return [...new Set(keys)].sort();
}
/**
 * Whose records a step reads and writes: a flag walk's are the service's AND the flag's
 * (`orders/flag:checkout-v2`, task `deploy:orders/flag:checkout-v2`), so a flag walked to 100%
 * is never taken for a release of the service's slots (a rollback of the service's traffic would
 * then read it), and each flag of a service has its own history. A service name cannot hold
 * '/' or ':', so no real service has this identity.
 */
function recordService(service, flags) {
    return flags.length === 0 ? service : `${service}/flag:${flags.join(',')}`;
}
/** The run on GitHub, from the runner's variables (the action passes io.env). */
function githubContext(env) {
    const server = env.GITHUB_SERVER_URL || 'https://github.com';
    const repository = env.GITHUB_REPOSITORY || '';
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    return {
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
        repository,
        sha: env.GITHUB_SHA || '',
        runUrl: `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID || ''}${attempt}`,
    };
}
function cap(value) {
    return value.length > 60 ? `${value.slice(0, 60)}...` : value;
}


/***/ }),

/***/ 545:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ML: () => (/* binding */ sameWeights),
/* harmony export */   NK: () => (/* binding */ weightsFor),
/* harmony export */   PT: () => (/* binding */ allOn),
/* harmony export */   V7: () => (/* binding */ formatWeights),
/* harmony export */   _f: () => (/* binding */ SLOTS),
/* harmony export */   dz: () => (/* binding */ liveSlot),
/* harmony export */   jx: () => (/* binding */ otherSlot)
/* harmony export */ });
/**
 * The domain every package speaks: two slots, the traffic shares between them, and the servers
 * behind each. Pure values and arithmetic only; every package may import this module.
 */
const SLOTS = ['blue', 'green'];
function otherSlot(slot) {
    return slot === 'blue' ? 'green' : 'blue';
}
function allOn(slot) {
    return slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 };
}
/** `weight`% on `slot`, the rest on the other. */
function weightsFor(slot, weight) {
    return slot === 'blue'
        ? { blue: weight, green: 100 - weight }
        : { blue: 100 - weight, green: weight };
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
function formatWeights(w) {
    return `blue ${w.blue}% / green ${w.green}%`;
}


/***/ }),

/***/ 179:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  nk: () => (/* reexport */ CommandFailed),
  g7: () => (/* reexport */ execute),
  V2: () => (/* reexport */ failure),
  w$: () => (/* reexport */ lastLines),
  eF: () => (/* reexport */ run)
});

// UNUSED EXPORTS: MAX_LINE

// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 2 modules
var exec = __webpack_require__(5260);
;// CONCATENATED MODULE: ./build/tsc/packages/exec/exec.js
/**
 * The one way packages run external commands: @actions/exec with an argv (never a shell
 * string), output streamed to the log line by line, captured output capped, a timeout on every
 * call, and one typed error. @actions/exec has no timeout of its own, so coreutils `timeout`
 * goes in front of the argv: TERM to the command's process group at the deadline, KILL 5 s later.
 * The deadline is wall-clock time for the whole command, never the gap between bytes: a command
 * (ssh to a far host, say) that prints a byte now and then is stopped at the deadline all the
 * same. Once the command has exited, its output streams get STDIO_GRACE_MS to close: a process
 * it left behind in another session (an ssh ControlPersist master) may hold them open for good.
 */


/** A command that did not succeed: its argv, exit code and last lines, nothing else. */
class CommandFailed extends Error {
    argv;
    code;
    lastLines;
    timedOut;
    notFound;
    name = 'CommandFailed';
    constructor(argv, code, lastLines, timedOut, timeoutMs, notFound = false) {
        const why = timedOut
            ? `timed out after ${formatMs(timeoutMs)} (stopped)`
            : notFound
                ? `command not found: ${JSON.stringify(argv[0])} is not installed or not on PATH`
                : `exit code ${code}`;
        const shown = notFound ? [] : lastLines;
        super(`${argv.join(' ')}: ${why}${shown.length > 0 ? `: ${shown.join(' | ')}` : ''}`);
        this.argv = argv;
        this.code = code;
        this.lastLines = lastLines;
        this.timedOut = timedOut;
        this.notFound = notFound;
    }
}
const DEFAULT_CAPTURE = 4 * 1024 * 1024;
/** Seconds between TERM and KILL when a command outlives its timeout. */
const KILL_AFTER_SECONDS = 5;
/**
 * How long, after the command exited, to wait for its stdout and stderr to close (@actions/exec
 * waits 10 s by default). Its own output is already in the pipes by then; only a process that
 * escaped its process group and inherited them keeps them open.
 */
const STDIO_GRACE_MS = 1000;
// coreutils timeout: 124 when the deadline hit (TERM worked), 137 when KILL was needed;
// 127 when the command was not found, 126 when it could not be executed.
const TIMED_OUT = new Set([124, 137]);
const NOT_RUN = /timeout: failed to run command/;
/** Runs `argv`; resolves with the result whatever the exit code (see `run` for the throwing form). */
async function execute(argv, options) {
    if (argv.length === 0 || !argv[0])
        throw new RangeError('exec: empty argv');
    if (!(options.timeoutMs > 0))
        throw new RangeError('exec: a positive timeoutMs is required');
    const seconds = Math.max(0.001, options.timeoutMs / 1000);
    const cap = options.maxCapture ?? DEFAULT_CAPTURE;
    const out = new Capture(cap);
    const err = new Capture(cap);
    const line = (text) => {
        if (options.log && text.trim())
            options.log.info(`  ${text}`);
    };
    // Our own line splitting: @actions/exec decodes each chunk on its own (a UTF-8 character cut
    // between chunks is mangled) and drops a last line that has no newline.
    const outLines = new Lines(line);
    const errLines = new Lines(line);
    const started = Date.now();
    const exitCode = await (0,exec/* exec */.m)('timeout', ['-k', `${KILL_AFTER_SECONDS}s`, `${seconds}s`, ...argv], {
        silent: true,
        ignoreReturnCode: true,
        delay: STDIO_GRACE_MS,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        env: { ...stringEnv(process.env), ...options.env },
        ...(options.input !== undefined ? { input: Buffer.from(options.input) } : {}),
        listeners: {
            stdout: (chunk) => {
                out.add(chunk);
                outLines.add(chunk);
            },
            stderr: (chunk) => {
                err.add(chunk);
                errLines.add(chunk);
            },
        },
    });
    outLines.end();
    errLines.end();
    // When KILL was needed, timeout signals its whole process group, itself included: no code.
    const code = exitCode ?? 137;
    const stderr = err.text();
    // A command can exit 124 on its own: only a run that lasted the whole timeout timed out.
    const timedOut = TIMED_OUT.has(code) && Date.now() - started >= options.timeoutMs - 50;
    return {
        argv,
        code,
        stdout: out.text(),
        stderr,
        timedOut,
        notFound: (code === 127 || code === 126) && NOT_RUN.test(stderr),
    };
}
/** Runs `argv` and throws CommandFailed unless it exits with an ok code in time. */
async function run(argv, options) {
    const result = await execute(argv, options);
    if (result.timedOut || !(options.okCodes ?? [0]).includes(result.code))
        throw failure(result, options.timeoutMs);
    return result;
}
/** The CommandFailed for a result, for callers of `execute` that decide themselves. */
function failure(result, timeoutMs) {
    return new CommandFailed(result.argv, result.code, lastLines(result), result.timedOut, timeoutMs, result.notFound);
}
/** The last few meaningful lines of a command's output (stderr last: errors go there), for an error message. */
function lastLines(result, count = 8, maxLength = 300) {
    return `${result.stdout}\n${result.stderr}`
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(-count)
        .map((l) => (l.length > maxLength ? `${l.slice(0, maxLength)}…` : l));
}
/** Keeps the newest `cap` bytes of a stream. */
class Capture {
    cap;
    chunks = [];
    size = 0;
    constructor(cap) {
        this.cap = cap;
    }
    add(chunk) {
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.size > this.cap && this.chunks.length > 1) {
            const first = this.chunks[0];
            if (this.size - first.length < this.cap)
                break;
            this.size -= first.length;
            this.chunks.shift();
        }
    }
    text() {
        const all = Buffer.concat(this.chunks);
        return all.subarray(Math.max(0, all.length - this.cap)).toString('utf8');
    }
}
/** A line longer than this is logged in pieces of this size: output without newlines stays bounded. */
const MAX_LINE = 64 * 1024;
/** Whole lines out of a byte stream: characters and lines cut between chunks are joined first. */
class Lines {
    onLine;
    decoder = new external_node_string_decoder_.StringDecoder('utf8');
    pending = '';
    constructor(onLine) {
        this.onLine = onLine;
    }
    add(chunk) {
        const parts = (this.pending + this.decoder.write(chunk)).split(/\r?\n/);
        this.pending = parts.pop() ?? '';
        for (const part of parts)
            this.onLine(part);
        while (this.pending.length >= MAX_LINE) {
            this.onLine(this.pending.slice(0, MAX_LINE));
            this.pending = this.pending.slice(MAX_LINE);
        }
    }
    end() {
        const rest = this.pending + this.decoder.end();
        this.pending = '';
        if (rest !== '')
            this.onLine(rest);
    }
}
function formatMs(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
function stringEnv(env) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined)
            out[k] = v;
    return out;
}

;// CONCATENATED MODULE: ./build/tsc/packages/exec/index.js



/***/ }),

/***/ 1794:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   GitHubApi: () => (/* binding */ GitHubApi),
/* harmony export */   wholeResponse: () => (/* binding */ wholeResponse)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5555);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6856);
/* harmony import */ var _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1082);
/* harmony import */ var _budget_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7345);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9447);
/**
 * The GitHub Deployments calls cutover makes, through @actions/github's Octokit with
 * @octokit/plugin-retry (5xx, no answer) and @octokit/plugin-throttling (rate limits,
 * Retry-After). Every request has its own timeout and all of an action's calls share one time
 * budget, so no GitHub call can hold a step. `explain()` is the one place that turns GitHub's
 * refusals into what to do. Loaded on first use: Octokit is most of the bundle.
 */







class GitHubApi {
    context;
    limits;
    log;
    octokit;
    owner;
    repo;
    budget;
    /** What went wrong with the last failed attempt, for the message when the budget runs out. */
    lastProblem;
    rateLimitGiveUp;
    constructor(token, context, limits, log) {
        this.context = context;
        this.limits = limits;
        this.log = log;
        const [owner, repo] = context.repository.split('/');
        if (!owner || !repo)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .GitHubError */ .y('config', `the repository is ${JSON.stringify(context.repository)}, not owner/repo (GITHUB_REPOSITORY)`);
        this.owner = owner;
        this.repo = repo;
        this.budget = new _budget_js__WEBPACK_IMPORTED_MODULE_3__/* .Budget */ .__(limits.budgetMs);
        const baseFetch = (_actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request?.fetch ??
            globalThis.fetch);
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, {
            baseUrl: context.apiUrl,
            request: { ..._actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_1__/* .defaults */ .NT.request, fetch: this.timedFetch(baseFetch) },
            log: {
                debug: (m) => log.debug(m),
                info: (m) => log.debug(m),
                warn: (m) => log.warning(m),
                error: (m) => log.warning(m),
            },
            retry: {
                // Rate limits (403/429) are the throttling plugin's: it knows how long to wait.
                doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
                retryAfterBaseValue: limits.retryUnitMs ?? 1000,
            },
            throttle: {
                onRateLimit: (retryAfter, _options, _octokit, count) => this.waitOut('rate limit', retryAfter, count),
                onSecondaryRateLimit: (retryAfter, _options, _octokit, count) => this.waitOut('secondary rate limit', retryAfter, count),
            },
        }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__/* .throttling */ .A);
        this.octokit.hook.before('request', (options) => this.onceBeforeTraffic(options));
    }
    /**
     * Before traffic moves, a request that got no answer is not asked again (plugin-retry's
     * per-request `retries`): one 10 s wait is all a traffic change gives GitHub. 5xx answers are
     * still retried; after traffic moved, so are timeouts, within what is left of the budget.
     */
    onceBeforeTraffic(options) {
        if ((0,_budget_js__WEBPACK_IMPORTED_MODULE_3__/* .isAfterTraffic */ .AU)())
            return;
        const request = { ...options.request };
        const fetch = request.fetch ?? globalThis.fetch;
        request.fetch = async (url, init) => {
            try {
                return await fetch(url, init);
            }
            catch (e) {
                if (isTimeout(e))
                    request.retries = 0;
                throw e;
            }
        };
        options.request = request;
    }
    /** Whether to wait out a rate limit: only when the wait fits in what is left of the budget. */
    waitOut(kind, retryAfterS, count) {
        const leftMs = this.budget.leftMs();
        if (retryAfterS * 1000 >= leftMs || count >= 2) {
            this.rateLimitGiveUp = { retryAfterS, leftMs };
            return false;
        }
        this.log.info(`GitHub API: ${kind} hit; waiting ${retryAfterS} s as GitHub asks`);
        return true;
    }
    /**
     * fetch with a timeout per attempt and the action's budget; notes each failed attempt. The
     * timeout is a deadline for the whole exchange, body included: the body is read here, before
     * Octokit sees the response, because @octokit/request reads it afterwards and takes a failed
     * read for an empty answer (data "", a "success" with no deployment in it).
     */
    timedFetch(base) {
        return async (url, init) => {
            const timeout = AbortSignal.timeout(this.limits.requestTimeoutMs);
            const signals = [timeout, this.budget.signal, ...(init.signal ? [init.signal] : [])];
            const what = `${init.method ?? 'GET'} ${new URL(url).pathname}`;
            try {
                const response = await wholeResponse(await base(url, { ...init, signal: AbortSignal.any(signals) }));
                if (response.status >= 500) {
                    this.lastProblem = `${response.status} ${response.statusText}`;
                    this.log.info(`GitHub API: ${what} answered ${this.lastProblem}`);
                }
                return response;
            }
            catch (e) {
                // The budget's own abort is not news: keep what made the budget run out.
                if (this.budget.signal.aborted)
                    throw e;
                this.lastProblem = timeout.aborted
                    ? `no answer within ${seconds(this.limits.requestTimeoutMs)}`
                    : (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .fetchFailure */ .Z5)(e);
                this.log.info(`GitHub API: ${what}: ${this.lastProblem}`);
                throw timeout.aborted ? timeoutError(this.limits.requestTimeoutMs) : e;
            }
        };
    }
    async createDeployment(input) {
        const response = await this.call('create the deployment', () => this.octokit.rest.repos.createDeployment({
            owner: this.owner,
            repo: this.repo,
            ref: input.ref,
            environment: input.environment,
            task: input.task,
            auto_merge: false,
            required_contexts: [],
            payload: input.payload,
            production_environment: input.production,
            description: input.description,
        }));
        if (response.status === 202) {
            const message = response.data.message;
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .GitHubError */ .y('conflict', `GitHub answered 202 without creating a deployment: ${message ?? 'it merged the default branch into the ref'}`, 202);
        }
        return response.data;
    }
    async getDeployment(id) {
        const response = await this.call(`read deployment ${id}`, () => this.octokit.rest.repos.getDeployment({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
        }));
        return response.data;
    }
    async createStatus(id, state, extra = {}) {
        await this.call(`set deployment ${id} to ${state}`, () => this.octokit.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            state,
            log_url: this.context.runUrl,
            ...(extra.description ? { description: extra.description.slice(0, 140) } : {}),
            ...(extra.environmentUrl ? { environment_url: extra.environmentUrl } : {}),
            // GitHub's own deactivation would reach other services' records in the environment.
            auto_inactive: false,
        }));
    }
    /** The newest status of a deployment: one request, whatever the number of statuses. */
    async latestStatus(id) {
        const response = await this.call(`read the status of deployment ${id}`, () => this.octokit.rest.repos.listDeploymentStatuses({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            per_page: 1,
        }));
        return response.data[0];
    }
    /** The newest `count` statuses of a deployment (at most 100), newest first: one request. */
    async statuses(id, count) {
        const response = await this.call(`read the statuses of deployment ${id}`, () => this.octokit.rest.repos.listDeploymentStatuses({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            per_page: Math.min(100, Math.max(1, count)),
        }));
        return response.data;
    }
    /** Deployments of `task` in `environment`, newest first; a page is fetched when it is reached. */
    async *deployments(environment, task) {
        const iterable = this.octokit.paginate.iterator(this.octokit.rest.repos.listDeployments, {
            owner: this.owner,
            repo: this.repo,
            environment,
            task,
            per_page: 100,
        });
        const pages = iterable[Symbol.asyncIterator]();
        for (;;) {
            const page = await this.call(`list the deployments of ${environment}`, () => pages.next());
            if (page.done)
                return;
            yield* page.value.data;
        }
    }
    /** Runs one call within the budget; anything thrown becomes a GitHubError that says what to do. */
    async call(what, request) {
        this.rateLimitGiveUp = undefined;
        try {
            return await this.budget.run(request);
        }
        catch (e) {
            throw this.explain(what, e);
        }
    }
    /** The one place GitHub's refusals and outages are put into words. */
    explain(what, thrown) {
        if (thrown instanceof _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .GitHubError */ .y)
            return thrown;
        const budget = seconds(this.limits.budgetMs);
        if (thrown instanceof _budget_js__WEBPACK_IMPORTED_MODULE_3__/* .BudgetSpent */ .KI || this.budget.signal.aborted)
            return new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .GitHubError */ .y('budget', `GitHub: gave up on ${what}: the ${budget} allowed for all GitHub calls of this step (history and record together) ran out${this.lastProblem ? ` (last attempt: ${this.lastProblem})` : ''}`);
        const error = thrown;
        const status = error.status;
        const message = error.response?.data?.message ?? error.message ?? String(thrown);
        const headers = error.response?.headers ?? {};
        const attempts = (error.request?.request?.retryCount ?? 0) + 1;
        const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
        const fail = (kind, text) => new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .GitHubError */ .y(kind, text, status);
        if ((status === 403 || status === 429) && isRateLimit(status, message, headers)) {
            const secondary = /secondary rate/i.test(message);
            const reset = Number(headers['x-ratelimit-reset']);
            const retryAfter = Number(headers['retry-after']);
            const when = Number.isFinite(reset) && reset > 0
                ? `it resets at ${new Date(reset * 1000).toISOString()}`
                : Number.isFinite(retryAfter) && retryAfter > 0
                    ? `GitHub asks to wait ${retryAfter} s (Retry-After)`
                    : 'GitHub gave no time to wait';
            const gaveUp = this.rateLimitGiveUp
                ? `; that is longer than the ${seconds(this.rateLimitGiveUp.leftMs)} left of the ${budget} allowed for GitHub calls in this step, so cutover gave up at once`
                : '';
            return fail('rate-limit', `GitHub's ${secondary ? 'secondary ' : ''}rate limit stopped ${what} (${status}: ${message}); ${when}${gaveUp}. This is a rate limit, not a missing permission: wait, or spread the deploys out.`);
        }
        if (status === 403)
            return fail('permission', `GitHub refused to ${what}: ${message}. The workflow's token needs the deployments permission: add \`permissions: { deployments: write, contents: read }\` to the job.`);
        if (status === 401)
            return fail('auth', `GitHub refused to ${what}: ${message}. Check the \`token\` input.`);
        if (status === 404)
            return fail('not-found', `GitHub could not ${what}: 404 ${message} (is the repository or deployment right, and does the token see it?)`);
        if (status === 409)
            return fail('conflict', `GitHub could not ${what}: 409 Conflict: ${message}`);
        if (status === 422)
            return fail('invalid', `GitHub could not ${what}: 422 ${message}`);
        if (isTimeout(error.cause) || isTimeout(thrown))
            return fail('timeout', `GitHub gave no answer within ${seconds(this.limits.requestTimeoutMs)} to ${what}${tries}${(0,_budget_js__WEBPACK_IMPORTED_MODULE_3__/* .isAfterTraffic */ .AU)() ? '' : ' (not asked again before traffic moves)'}`);
        if (status !== undefined && status >= 500 && error.response)
            return fail('outage', `GitHub could not ${what}${tries}: ${status} ${message}`);
        return fail('unreachable', `GitHub's API at ${this.context.apiUrl} could not be reached to ${what}${tries}: ${this.lastProblem ?? message}`);
    }
}
function isRateLimit(status, message, headers) {
    return (status === 429 ||
        headers['x-ratelimit-remaining'] === '0' ||
        headers['retry-after'] !== undefined ||
        /rate limit/i.test(message));
}
/**
 * The same response with its body already read (under the request's signal, so within its
 * deadline); a body that stops coming throws here, as the timeout it is.
 */
async function wholeResponse(response) {
    const bodiless = response.body === null || [204, 205, 304].includes(response.status);
    const body = bodiless ? null : await response.arrayBuffer();
    const whole = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
    });
    Object.defineProperty(whole, 'url', { value: response.url });
    return whole;
}
function isTimeout(thrown) {
    return thrown?.name === 'TimeoutError';
}
function timeoutError(ms) {
    const error = new Error(`no answer within ${seconds(ms)}`);
    error.name = 'TimeoutError';
    return error;
}
function seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}


/***/ }),

/***/ 7345:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AU: () => (/* binding */ isAfterTraffic),
/* harmony export */   KI: () => (/* binding */ BudgetSpent),
/* harmony export */   Wv: () => (/* binding */ afterTraffic),
/* harmony export */   __: () => (/* binding */ Budget)
/* harmony export */ });
/* harmony import */ var node_async_hooks__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6698);

/**
 * The time an action may spend in GitHub calls, all calls together. Only time inside calls
 * counts (a canary walk may hold for an hour between two calls); once spent, its signal aborts
 * every request in flight and every later call fails at once.
 */
class BudgetSpent extends Error {
    name = 'BudgetSpent';
}
class Budget {
    totalMs;
    controller = new AbortController();
    /** Aborts when the budget is spent. */
    signal = this.controller.signal;
    remainingMs;
    active = 0;
    since = 0;
    timer;
    constructor(totalMs) {
        this.totalMs = totalMs;
        this.remainingMs = totalMs;
    }
    /** What is left now, counting the calls in flight. */
    leftMs() {
        const running = this.active > 0 ? Date.now() - this.since : 0;
        return Math.max(0, this.remainingMs - running);
    }
    /** Runs `work`, rejecting with BudgetSpent as soon as the budget runs out, even mid-wait. */
    async run(work) {
        if (this.signal.aborted)
            throw new BudgetSpent('the time budget for GitHub calls is spent');
        this.enter();
        let stop;
        try {
            const spent = new Promise((_, reject) => {
                stop = () => reject(new BudgetSpent('the time budget for GitHub calls is spent'));
                this.signal.addEventListener('abort', stop, { once: true });
            });
            const working = work();
            // A retry wait may still be pending when the budget ends: its late failure is not news.
            working.catch(() => { });
            return await Promise.race([working, spent]);
        }
        finally {
            if (stop)
                this.signal.removeEventListener('abort', stop);
            this.leave();
        }
    }
    enter() {
        if (this.active++ > 0)
            return;
        this.since = Date.now();
        this.timer = setTimeout(() => this.controller.abort(), this.remainingMs);
        this.timer.unref?.();
    }
    leave() {
        if (--this.active > 0)
            return;
        clearTimeout(this.timer);
        this.remainingMs = Math.max(0, this.remainingMs - (Date.now() - this.since));
        if (this.remainingMs === 0)
            this.controller.abort();
    }
}
/**
 * Whether the calls running now come after traffic moved. Before (the default: opening the
 * record, reading history to decide), a request that got no answer is not asked again: the
 * traffic change must not wait on GitHub. After, the record is worth retrying within what is
 * left of the budget.
 */
const trafficMoved = new node_async_hooks__WEBPACK_IMPORTED_MODULE_0__.AsyncLocalStorage();
/** Runs `work` as after traffic moved: its timed-out requests may be retried. */
function afterTraffic(work) {
    return trafficMoved.run(true, work);
}
function isAfterTraffic() {
    return trafficMoved.getStore() === true;
}


/***/ }),

/***/ 9447:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   y: () => (/* binding */ GitHubError)
/* harmony export */ });
/** Why records could not be read or written, as a kind callers can act on and words for people. */
class GitHubError extends Error {
    kind;
    status;
    name = 'GitHubError';
    constructor(kind, message, status) {
        super(message);
        this.kind = kind;
        this.status = status;
    }
    /** The token was refused: a configuration to fix, not an outage to ride out. */
    get refused() {
        return this.kind === 'auth' || this.kind === 'permission';
    }
}


/***/ }),

/***/ 5352:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  w$: () => (/* reexport */ ABORT_POLL_MS),
  Y_: () => (/* reexport */ openDeploymentHistory),
  tM: () => (/* reexport */ openDeploymentWriter),
  Pc: () => (/* reexport */ openWalkWatch),
  z6: () => (/* reexport */ requestWalkAbort)
});

// UNUSED EXPORTS: ABORT_MARKER, GITHUB_LIMITS, GitHubError, GitHubHistory, MemoryApi, MemoryRecords, UNKNOWN_ROUTER, WATCH_LIMITS, abortDescription, afterTraffic, inScope, isAbortRequest, readPayload, walkInProgress, walkStop, wholeResponse

;// CONCATENATED MODULE: ./build/tsc/packages/records/settings.js
/**
 * What the action passes in to record deployments: packages/records never reads action inputs or
 * the environment (actions/common/records-inputs.ts builds these).
 */
/**
 * One budget per action run, shared by its history reads and record writes: records are worth
 * 30 s of GitHub time at most, whatever the action reads and writes. Before traffic moves, a
 * request that gets no answer within 10 s is not asked again (budget.ts: afterTraffic), so a
 * GitHub that never answers costs a switch 10 s, and rollback to: previous gives up after one
 * 10 s attempt (well within its own 20 s deadline), naming the cause.
 */
const GITHUB_LIMITS = { requestTimeoutMs: 10_000, budgetMs: 30_000 };

// EXTERNAL MODULE: ./build/tsc/packages/records/budget.js
var budget = __webpack_require__(7345);
// EXTERNAL MODULE: ./build/tsc/packages/records/errors.js
var errors = __webpack_require__(9447);
;// CONCATENATED MODULE: ./build/tsc/packages/domain/record.js
const record_PAYLOAD_SCHEMA = 2;
/** The deployment `task` that carries the service, so GitHub filters by service on its side. */
function record_taskFor(service) {
    return `deploy:${service}`;
}

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
;// CONCATENATED MODULE: ./build/tsc/packages/records/payload.js
/**
 * Reading payloads back: cutover's schema 2 as is, schema 1 (before records had a service and a
 * router name) as the repository's service on a router named 'unknown'. Anything else is not
 * ours. A record's identity is its environment and service: the router it names is information
 * (which routers the change went through), never a key, so history survives a router added to or
 * removed from a list. Pure.
 */

/** The router name schema-1 records are read with: they named routers by address only. */
const UNKNOWN_ROUTER = 'unknown';
/** A stored payload as schema 2, or undefined when it is not a cutover record. */
function readPayload(raw, repository) {
    if (typeof raw === 'string') {
        try {
            raw = JSON.parse(raw);
        }
        catch {
            return undefined;
        }
    }
    const p = raw;
    if (typeof p !== 'object' || p === null || p.tool !== 'cutover')
        return undefined;
    if (p.schema === record_PAYLOAD_SCHEMA) {
        const router = p.router;
        if (typeof p.service !== 'string' || typeof router?.name !== 'string')
            return undefined;
        return p;
    }
    if (p.schema === 1) {
        const { router, ...rest } = p;
        return {
            ...rest,
            schema: record_PAYLOAD_SCHEMA,
            service: repository.split('/')[1] ?? repository,
            router: { type: String(router?.type ?? 'unknown'), name: UNKNOWN_ROUTER },
        };
    }
    return undefined;
}
/**
 * Whether a record is about this service (the environment is GitHub's filter and checked by the
 * caller). The routers it names do not matter: a record written through a pair counts when the
 * rollback goes through the surviving router alone, and records written before this rule (schema
 * 2 with any router, schema 1 on 'unknown') count as the service's.
 */
function inScope(payload, scope) {
    return payload.service === scope.service;
}

;// CONCATENATED MODULE: ./build/tsc/packages/records/abort.js
const ABORT_MARKER = 'abort requested';
/** How often a walk reads its deployment's statuses while it holds (GITHUB_TOKEN: 1,000 requests/hour). */
const ABORT_POLL_MS = 10_000;
/** How many of a deployment's newest statuses a walk reads to find an abort request (one request). */
const ABORT_STATUSES_READ = 20;
/** The status description of an abort request: the marker, then why and by which run (140 chars at most). */
function abortDescription(reason, runUrl) {
    const run = /\/actions\/runs\/(\d+)/.exec(runUrl)?.[1];
    const by = run ? ` (rollback run ${run})` : '';
    const why = reason ? `: ${reason.replace(/\s+/g, ' ')}` : '';
    const text = `${ABORT_MARKER}${why}`;
    const room = 140 - by.length;
    return `${text.length > room ? `${text.slice(0, room - 3)}...` : text}${by}`;
}
function isAbortRequest(status) {
    return status.state === 'in_progress' && (status.description ?? '').startsWith(ABORT_MARKER);
}
function walkStop(statuses) {
    const newest = statuses[0];
    if (newest && ['failure', 'error', 'inactive', 'success'].includes(newest.state))
        return { kind: 'ended', state: newest.state, description: newest.description ?? '' };
    // Any abort request counts, even with a step written after it (the walk moved meanwhile).
    const abort = statuses.find(isAbortRequest);
    if (abort)
        return { kind: 'abort', description: abort.description ?? ABORT_MARKER };
    return undefined;
}
/** A walk's step status ("canary 25%", "held at 50%"): it moved traffic. */
function stepped(r) {
    return /^(canary|held at) \d+%/.test(r.statusDescription);
}
/**
 * The walk an abort request is for, from the service's records (newest first): the newest canary
 * still in progress that moved traffic, else the newest canary still in progress (its first step
 * job may not have moved yet). Undefined when no walk is in progress.
 */
function walkInProgress(records) {
    const walks = records.filter((r) => r.payload.strategy === 'canary' && ['pending', 'queued', 'in_progress'].includes(r.state));
    return walks.find(stepped) ?? walks[0];
}

;// CONCATENATED MODULE: ./build/tsc/packages/records/github.js
/**
 * Deployment records on GitHub: a history reader and a writer for one service in one environment
 * (a record's identity; the routers it went through are information in its payload). GitHub
 * filters by `task` (deploy:<service>) and environment on its side; both are checked again here. Every read is lazy and every lookup stops as soon as it can, so a
 * deploy or a rollback costs a handful of API calls however long the history is.
 */







/** How far a writer looks back for the live record when the draft does not name it. */
const LIVE_LOOKUP = 10;
/** How far deactivation goes when no earlier record is inactive yet (a first upgrade). */
const DEACTIVATE_AT_MOST = 50;
/**
 * One connection per repository and token for the whole run (an action run is one process): its
 * history and its writer share one Octokit and one time budget, so reads and writes together
 * never take more than the budget. Connects on first use: Octokit is most of the bundle, and many
 * runs never need it.
 */
const connections = new Map();
function connector(settings, context, limits, log) {
    return () => {
        if (!settings.token)
            return Promise.reject(new errors/* GitHubError */.y('no-token', 'no token was given, so there are no deployment records to use: pass `token: ${{ github.token }}` and grant `deployments: write`'));
        const key = JSON.stringify([context.apiUrl, context.repository, settings.token, limits]);
        let api = connections.get(key);
        if (!api) {
            api = Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 1794)).then(({ GitHubApi }) => new GitHubApi(settings.token, context, limits, log));
            connections.set(key, api);
        }
        return api;
    };
}
function github_scopeOf(settings, router) {
    return {
        environment: settings.environment,
        service: settings.service,
        router: { type: router.type, name: router.name },
    };
}
function openDeploymentHistory(settings, context, options) {
    const limits = options.limits ?? GITHUB_LIMITS;
    const scope = github_scopeOf(settings, options.router);
    return new github_GitHubHistory(connector(settings, context, limits, options.log), scope, context.repository, listingFor(context, scope));
}
function openDeploymentWriter(settings, context, options) {
    const connect = connector(settings, context, options.limits ?? GITHUB_LIMITS, options.log);
    return github_writerOn(connect, settings, context, {
        ...options,
        listing: listingFor(context, github_scopeOf(settings, options.router)),
    });
}
/** A writer on any DeploymentsApi (GitHub's, or MemoryApi in tests). */
function github_writerOn(connect, settings, context, options) {
    const log = options.log;
    if (!settings.enabled) {
        log.info('records: off (record: false)');
        return new GitHubWriter(settings, context, undefined, log);
    }
    if (!settings.token) {
        log.warning('records: no token, so no deployment is recorded. Pass `token: ${{ github.token }}` (the default in a workflow) and grant `deployments: write`.');
        return new GitHubWriter(settings, context, undefined, log);
    }
    const history = new github_GitHubHistory(connect, github_scopeOf(settings, options.router), context.repository, options.listing);
    return new GitHubWriter(settings, context, { connect, history, router: options.router }, log);
}
/**
 * What this run read of one scope's records so far (deployments listed, latest statuses), shared
 * by every history and writer of the run, so a rollback's reads are not paid twice.
 */
class github_Listing {
    seen = [];
    statuses = new Map();
    source;
    done = false;
    /** A deployment this run created: the newest of all, so it goes first if listing began. */
    created(d) {
        if (this.source || this.done)
            this.seen.unshift(d);
    }
    /** Newest first: what was listed already, then further pages as the caller goes on. */
    async *all(open) {
        let i = 0;
        for (;;) {
            while (i < this.seen.length)
                yield this.seen[i++];
            if (this.done)
                return;
            this.source ??= await open();
            let next;
            try {
                next = await this.source.next();
            }
            catch (e) {
                // A failed read ends that generator; the list itself did not end: start again if asked.
                this.source = undefined;
                throw e;
            }
            if (next.done) {
                this.done = true;
                return;
            }
            if (!this.seen.some((d) => d.id === next.value.id))
                this.seen.push(next.value);
        }
    }
}
/** One Listing per scope for the whole run (an action run is one process). */
const listings = new Map();
function listingFor(context, scope) {
    const key = JSON.stringify([context.apiUrl, context.repository, scope.environment, scope.service]);
    let listing = listings.get(key);
    if (!listing)
        listings.set(key, (listing = new github_Listing()));
    return listing;
}
class github_GitHubHistory {
    connect;
    scope;
    repository;
    listing;
    constructor(connect, scope, repository, listing = new github_Listing()) {
        this.connect = connect;
        this.scope = scope;
        this.repository = repository;
        this.listing = listing;
    }
    records(options = {}) {
        return this.read(options);
    }
    async *read(options) {
        const api = await this.connect();
        const task = record_taskFor(this.scope.service);
        const listed = this.listing.all(async () => api.deployments(this.scope.environment, task));
        for await (const d of listed) {
            if (options.before !== undefined && d.id >= options.before)
                continue;
            // GitHub filters by task and environment; checked again, with the service, on our side.
            if (d.task !== task || d.environment !== this.scope.environment)
                continue;
            const payload = readPayload(d.payload, this.repository);
            if (!payload || !inScope(payload, this.scope))
                continue;
            if (options.fresh)
                this.listing.statuses.delete(d.id);
            const status = await this.status(api, d.id);
            yield toRecord(d, payload, status);
        }
    }
    /** The latest status, read once per run unless asked fresh. */
    status(api, id) {
        const statuses = this.listing.statuses;
        let status = statuses.get(id);
        if (!status) {
            status = api.latestStatus(id);
            status.catch(() => statuses.delete(id));
            statuses.set(id, status);
        }
        return status;
    }
}
/** An error's message as a clause inside a sentence: without its closing period. */
function clause(e) {
    return (0,action_kit/* errorMessage */.gJ)(e).replace(/\.+$/, '');
}
function toRecord(d, payload, status) {
    return {
        id: d.id,
        sha: d.sha,
        createdAt: d.created_at,
        state: (status?.state ?? 'pending'),
        statusDescription: status?.description ?? '',
        statusAt: status?.created_at ?? d.created_at,
        payload,
    };
}
class GitHubWriter {
    settings;
    context;
    github;
    log;
    deploymentId;
    payload;
    /** Why this run has no record, once it failed to get one. */
    missing;
    constructor(settings, context, github, log) {
        this.settings = settings;
        this.context = context;
        this.github = github;
        this.log = log;
    }
    get scope() {
        return this.github?.history.scope;
    }
    async start(draft, options = {}) {
        if (!this.github)
            return undefined;
        // Before traffic moves, one answer-less request ends the attempt: the change must not wait.
        if (options.afterTraffic)
            return (0,budget/* afterTraffic */.Wv)(() => this.open(draft, options));
        return this.open(draft, options);
    }
    async open(draft, options) {
        if (!this.github)
            return undefined;
        const { connect, history } = this.github;
        try {
            const api = await connect();
            // The live record is the one a rollback undoes; otherwise the newest success.
            const liveId = draft.previous.deployment_id ?? draft.rolled_back_id ?? (await this.liveId());
            const image = draft.image ?? this.settings.image;
            const payload = {
                ...draft,
                tool: 'cutover',
                schema: record_PAYLOAD_SCHEMA,
                service: this.scope.service,
                // The address only when the action was asked to record it.
                router: this.github.router.address
                    ? { ...history.scope.router, address: this.github.router.address }
                    : history.scope.router,
                ...(image ? { image } : {}),
                previous: { ...draft.previous, ...(liveId ? { deployment_id: liveId } : {}) },
            };
            const created = await api.createDeployment({
                ref: options.ref ?? this.context.sha,
                environment: this.scope.environment,
                task: record_taskFor(this.scope.service),
                payload,
                production: this.settings.production,
                description: `${draft.strategy} of ${this.scope.service} to ${draft.slot}${image ? ` (${image})` : ''}`,
            });
            this.deploymentId = created.id;
            this.payload = payload;
            history.listing.created(created);
            await this.setStatus(api, created.id, 'in_progress', {
                description: options.description ?? `${draft.strategy} to ${draft.slot}`,
            });
            this.log.info(`records: deployment ${created.id} of ${this.scope.service} in ${this.scope.environment} is in progress`);
            return created.id;
        }
        catch (e) {
            return this.lost(e, options.afterTraffic ?? false);
        }
    }
    async continue(deploymentId, options = {}) {
        if (!this.github)
            return undefined;
        const { connect, history } = this.github;
        const refuse = (why) => new action_kit/* ConfigurationError */.j1(`Input 'deployment-id' has the value ${(0,action_kit/* quote */.hD)(String(deploymentId))}; allowed: an in-progress deployment of ${this.scope.service} in environment ${(0,action_kit/* quote */.hD)(this.scope.environment)} of ${this.context.repository}, but ${why}.`);
        try {
            const api = await connect();
            let deployment;
            try {
                deployment = await api.getDeployment(deploymentId);
            }
            catch (e) {
                if (e instanceof errors/* GitHubError */.y && e.kind === 'not-found')
                    throw refuse(`GitHub has no deployment ${deploymentId} in ${this.context.repository}`);
                throw e;
            }
            if (deployment.environment !== this.scope.environment)
                throw refuse(`it is in environment ${(0,action_kit/* quote */.hD)(deployment.environment)}`);
            const payload = readPayload(deployment.payload, this.context.repository);
            if (!payload)
                throw refuse('it is not a cutover record');
            if (deployment.task !== record_taskFor(this.scope.service) || !inScope(payload, this.scope))
                throw refuse(`it is a record of ${(0,action_kit/* quote */.hD)(payload.service)}`);
            history.listing.statuses.delete(deploymentId);
            const status = await history.status(api, deploymentId);
            const record = toRecord(deployment, payload, status);
            if (['failure', 'error', 'inactive', 'success'].includes(record.state))
                throw new action_kit/* ConfigurationError */.j1(`Deployment ${deploymentId} (input 'deployment-id') already ended: it is ${record.state}${record.statusDescription ? ` ("${record.statusDescription}")` : ''}. ${record.state === 'success' ? 'Its release went live already' : 'It was rolled back or aborted (e.g. while paused between step jobs), so this walk is over'}; nothing moved.`);
            if (record.state !== 'in_progress')
                throw refuse(`it is ${record.state}${record.statusDescription ? ` ("${record.statusDescription}")` : ''}, no longer in progress`);
            // Two runs whose plans both ran before either moved traffic planned onto the same idle
            // slot; the newer run's deploy may have overwritten it. The newest plan wins: this one
            // stands down before it moves anything, and its record says why.
            const newer = options.standDownIfSuperseded ? await this.newerDeploy(deploymentId) : undefined;
            if (newer) {
                const why = `superseded by deployment ${newer.id} (${newer.payload.strategy} to ${newer.payload.slot}${newer.payload.image ? `, ${newer.payload.image}` : ''}), planned after it`;
                await this.setStatus(api, deploymentId, 'failure', { description: why });
                throw new action_kit/* ConfigurationError */.j1(`Deployment ${deploymentId} (input 'deployment-id') was ${why}: ${newer.payload.slot} may hold that release now, so this run moves nothing and its record ends failure. Nothing moved.`);
            }
            this.deploymentId = deploymentId;
            this.payload = payload;
            this.log.info(`records: continuing deployment ${deploymentId} of ${this.scope.service} (${record.statusDescription || 'in progress'})`);
            return record;
        }
        catch (e) {
            if (e instanceof action_kit/* ConfigurationError */.j1)
                throw e;
            this.lost(e, false);
            return undefined;
        }
    }
    async progress(description) {
        return (0,budget/* afterTraffic */.Wv)(() => this.progressNow(description));
    }
    async progressNow(description) {
        const id = this.deploymentId;
        if (!this.github || id === undefined)
            return;
        try {
            const api = await this.github.connect();
            await this.setStatus(api, id, 'in_progress', { description });
            this.log.debug(`records: deployment ${id}: ${description}`);
        }
        catch (e) {
            this.log.warning(`records: deployment ${id} could not be marked "${description}": ${clause(e)}. Traffic is unaffected; the record lags behind.`);
        }
    }
    async finish(outcome, description) {
        return (0,budget/* afterTraffic */.Wv)(() => this.finishNow(outcome, description));
    }
    async finishNow(outcome, description) {
        const id = this.deploymentId;
        if (!this.github || id === undefined) {
            if (this.missing)
                this.log.warning(`records: no record of this ${outcome} (${description}): it could not be created (${this.missing}).`);
            return;
        }
        try {
            const api = await this.github.connect();
            await this.setStatus(api, id, outcome, {
                description,
                ...(outcome === 'success' && this.settings.environmentUrl
                    ? { environmentUrl: this.settings.environmentUrl }
                    : {}),
            });
            this.log.info(`records: deployment ${id} is ${outcome}`);
            if (outcome === 'success')
                await this.supersede(api, id);
        }
        catch (e) {
            this.log.warning(`records: deployment ${id} could not be marked ${outcome}: ${clause(e)}. The traffic change stands; the record is incomplete.`);
        }
    }
    /**
     * After a success: the rolled-back deployment (if any) becomes failure, earlier successes
     * inactive. Stops at the first earlier record already inactive: everything before it was
     * deactivated by an earlier run.
     */
    async supersede(api, id) {
        const rolledBack = this.payload?.rolled_back_id;
        let looked = 0;
        for await (const r of this.github.history.records({ fresh: true, before: id })) {
            if (r.id === rolledBack && r.state !== 'failure') {
                await this.setStatus(api, r.id, 'failure', {
                    description: `rolled back by deployment ${id}`,
                });
                this.log.info(`records: deployment ${r.id} is now failure (rolled back)`);
                continue;
            }
            if (r.state === 'inactive')
                return;
            if (r.state === 'success') {
                await this.setStatus(api, r.id, 'inactive', {
                    description: `superseded by deployment ${id}`,
                });
                this.log.debug(`records: deployment ${r.id} is now inactive`);
            }
            if (++looked >= DEACTIVATE_AT_MOST)
                return;
        }
    }
    /** Sets a status; what this run read of that deployment's status is stale from now on. */
    async setStatus(api, id, ...[state, extra]) {
        this.github?.history.listing.statuses.delete(id);
        await api.createStatus(id, state, extra);
    }
    /** The service's newest deploy record when it is newer than `id` (a later run's plan), else undefined. */
    async newerDeploy(id) {
        for await (const r of this.github.history.records()) {
            if (r.payload.strategy === 'rollback')
                continue;
            return r.id > id ? r : undefined;
        }
        return undefined;
    }
    /** The newest live (success) record of the scope, looking back a few records at most. */
    async liveId() {
        let looked = 0;
        for await (const r of this.github.history.records()) {
            if (r.state === 'success')
                return r.id;
            if (r.state === 'inactive' || ++looked >= LIVE_LOOKUP)
                return undefined;
        }
        return undefined;
    }
    /** The record is lost: a refused token before traffic moves stops the step, the rest warns. */
    lost(e, afterTraffic) {
        if (!afterTraffic && e instanceof errors/* GitHubError */.y && e.refused)
            throw new action_kit/* ConfigurationError */.j1((0,action_kit/* errorMessage */.gJ)(e));
        this.missing = clause(e);
        this.log.warning(`records: the deployment record is missing: ${this.missing}. Traffic still moves; its outcome decides this step.`);
        return undefined;
    }
}
/** How far request-abort looks for the walk in progress: it is among the newest records. */
const WALK_LOOKUP = 30;
/**
 * A walk's abort watch has its own connection and time budget: polling every 10 s through a
 * six-hour walk must never spend the 30 s its record writes need (each poll still has 10 s).
 * The budget covers the longest walk (360 minutes, ~2,200 polls) at up to 1 s a poll: a smaller
 * one would let the watch, and so the rollback button, go blind half-way through a long walk.
 */
const WATCH_LIMITS = { requestTimeoutMs: 10_000, budgetMs: 40 * 60_000 };
/**
 * request-abort: finds the service's walk in progress in the environment (walkInProgress) and adds
 * the abort marker to its deployment. Moves no traffic. Throws GitHubError when the records cannot
 * be read or the status cannot be written: the abort was not posted, and the caller must say so.
 */
async function requestWalkAbort(settings, context, options) {
    const limits = options.limits ?? GITHUB_LIMITS;
    const connect = connector(settings, context, limits, options.log);
    const scope = github_scopeOf(settings, options.router);
    const history = new github_GitHubHistory(connect, scope, context.repository, listingFor(context, scope));
    return github_abortOn(connect, history, context, options.reason, options.log);
}
/** requestWalkAbort on any DeploymentsApi (MemoryRecords in tests). */
async function github_abortOn(connect, history, context, reason, log) {
    const records = [];
    for await (const r of history.records()) {
        records.push(r);
        if (records.length >= WALK_LOOKUP)
            break;
    }
    const walk = walkInProgress(records);
    const { service, environment } = history.scope;
    if (!walk)
        return {
            none: `no canary walk of ${service} is in progress in ${environment} (${records.length} newest record(s) read): there is nothing to abort`,
        };
    const description = abortDescription(reason, context.runUrl);
    const api = await connect();
    history.listing.statuses.delete(walk.id);
    await api.createStatus(walk.id, 'in_progress', { description });
    log.info(`records: deployment ${walk.id} (canary of ${service} to ${walk.payload.slot}, "${walk.statusDescription}") now carries "${description}"`);
    return { posted: walk, description };
}
/**
 * The watch of a walk's own deployment (`deploymentId()` is read at each check: the record may be
 * opened by this very job). Reads the newest statuses in one request through its own connection.
 */
function openWalkWatch(settings, context, options) {
    if (!settings.enabled || !settings.token)
        return { check: async () => undefined };
    const connect = connector(settings, context, options.limits ?? WATCH_LIMITS, options.log);
    return github_watchOn(connect, options.deploymentId, options.log);
}
/** openWalkWatch on any DeploymentsApi. */
function github_watchOn(connect, deploymentId, log) {
    let warned = false;
    return {
        async check() {
            const id = deploymentId();
            if (id === undefined)
                return undefined;
            try {
                const api = await connect();
                return walkStop(await api.statuses(id, ABORT_STATUSES_READ));
            }
            catch (e) {
                if (!warned)
                    log.warning(`records: could not read the statuses of deployment ${id}, so an abort request (the rollback button) may not be seen: ${clause(e)}. The walk goes on; cutover keeps trying.`);
                warned = true;
                return undefined;
            }
        },
    };
}

;// CONCATENATED MODULE: ./build/tsc/packages/records/memory.js
/**
 * Deployment records in memory, for unit tests: the same history and writer as on GitHub, over
 * a DeploymentsApi that keeps deployments in an array and counts calls.
 */




class MemoryApi {
    pageSize;
    stored = [];
    /** Calls made, a page of a listing counting as one. */
    calls = 0;
    /** When set, every call throws it (an outage, a refused token). */
    failure;
    nextId = 1;
    clock = Date.parse('2026-11-24T12:00:00Z');
    constructor(pageSize = 100) {
        this.pageSize = pageSize;
    }
    call() {
        this.calls++;
        if (this.failure)
            throw this.failure;
    }
    now() {
        return new Date((this.clock += 1000)).toISOString();
    }
    async createDeployment(input) {
        this.call();
        const d = {
            id: this.nextId++,
            sha: input.ref,
            created_at: this.now(),
            environment: input.environment,
            task: input.task,
            payload: structuredClone(input.payload),
            statuses: [],
        };
        this.stored.push(d);
        return d;
    }
    async getDeployment(id) {
        this.call();
        const d = this.stored.find((s) => s.id === id);
        if (!d)
            throw new GitHubError('not-found', `GitHub could not read deployment ${id}: 404`, 404);
        return d;
    }
    async createStatus(id, state, extra = {}) {
        this.call();
        const d = this.stored.find((s) => s.id === id);
        if (!d)
            throw new GitHubError('not-found', `no deployment ${id}`, 404);
        d.statuses.push({ state, description: extra.description ?? '', created_at: this.now() });
    }
    async latestStatus(id) {
        this.call();
        return this.stored.find((s) => s.id === id)?.statuses.at(-1);
    }
    async statuses(id, count) {
        this.call();
        return [...(this.stored.find((s) => s.id === id)?.statuses ?? [])].reverse().slice(0, count);
    }
    async *deployments(environment, task) {
        const all = this.stored
            .filter((d) => d.environment === environment && d.task === task)
            .sort((a, b) => b.id - a.id);
        for (let i = 0; i < all.length || i === 0; i += this.pageSize) {
            this.call();
            yield* all.slice(i, i + this.pageSize);
        }
    }
    /** The states a deployment went through, oldest first. */
    states(id) {
        return this.stored.find((s) => s.id === id)?.statuses.map((s) => s.state) ?? [];
    }
    /** Adds a finished record directly (no call counted), for a history to read. */
    seed(payload, environment, ...states) {
        const d = {
            id: this.nextId++,
            sha: '0123456789abcdef0123456789abcdef01234567',
            created_at: this.now(),
            environment,
            task: taskFor(payload.service),
            payload: structuredClone(payload),
            statuses: states.map((state) => ({ state, description: '', created_at: this.now() })),
        };
        this.stored.push(d);
        return d.id;
    }
}
/** A history and writers for one scope, all on one MemoryApi. */
class MemoryRecords {
    api;
    settings;
    router;
    history;
    context = {
        apiUrl: 'memory:',
        repository: 'acme/orders',
        sha: '0123456789abcdef0123456789abcdef01234567',
        runUrl: 'https://github.com/acme/orders/actions/runs/1',
    };
    log;
    /** What this "run" read, shared by the history and the writers, as in one action run. */
    listing = new Listing();
    constructor(options = {}) {
        this.api = options.api ?? new MemoryApi();
        this.settings = {
            enabled: true,
            token: 'memory',
            environment: 'production',
            production: true,
            service: 'orders',
            ...options.settings,
        };
        this.router = options.router ?? { type: 'haproxy', name: 'haproxy web' };
        this.log = options.log ?? silentLog;
        this.history = new GitHubHistory(async () => this.api, scopeOf(this.settings, this.router), this.context.repository, this.listing);
    }
    /** A writer, as one run (one job) would have. */
    writer() {
        return writerOn(async () => this.api, this.settings, this.context, {
            router: this.router,
            log: this.log,
            listing: this.listing,
        });
    }
    /** request-abort, as a rollback run would post it. */
    requestAbort(reason) {
        return abortOn(async () => this.api, this.history, this.context, reason, this.log);
    }
    /** A walk's watch of its deployment. */
    watch(deploymentId) {
        return watchOn(async () => this.api, deploymentId, this.log);
    }
    /** A complete schema-2 payload for this scope, for seeding. */
    payload(fields) {
        return {
            tool: 'cutover',
            schema: PAYLOAD_SCHEMA,
            service: this.settings.service,
            strategy: 'blue-green',
            router: this.router,
            weights: fields.slot === 'blue' ? { blue: 100, green: 0 } : { blue: 0, green: 100 },
            previous: { slot: fields.slot === 'blue' ? 'green' : 'blue' },
            ...fields,
        };
    }
}

// EXTERNAL MODULE: ./build/tsc/packages/records/api.js
var api = __webpack_require__(1794);
;// CONCATENATED MODULE: ./build/tsc/packages/records/index.js










/***/ }),

/***/ 2043:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CT: () => (/* binding */ FLAG_NO_HEALTH),
/* harmony export */   Ui: () => (/* binding */ isFlagRouter),
/* harmony export */   cg: () => (/* binding */ gateSlotNames),
/* harmony export */   he: () => (/* binding */ DEFAULT_VARIANTS),
/* harmony export */   i$: () => (/* binding */ routerKind),
/* harmony export */   p0: () => (/* binding */ flagServers),
/* harmony export */   w8: () => (/* binding */ isFlagRouterType)
/* harmony export */ });
/* unused harmony exports FLAG_ROUTER_TYPES, FLAG_SLOT_STATE */
/* harmony import */ var _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _weights_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(545);
/**
 * Flag routers: a feature flag walked like a canary (docs/architecture.md, "A flag is a router
 * kind"). The two slots are the flag's states, `blue` = off (its stable state) and `green` = on;
 * the weight of green is the rollout percentage. A flag router's `servers()` names each slot by
 * the variant label the application puts on its metrics (`variants: { off, on }`, default
 * "off"/"on"), one "server" per slot, so the gate's {{canary}} and {{stable}} can be bound to the
 * labels instead of the slots' names (`gateSlotNames`).
 */


/** The router kinds whose slots are a flag's off and on states. */
const FLAG_ROUTER_TYPES = ['unleash', 'flagd'];
/** The variant labels when the config gives none. */
const DEFAULT_VARIANTS = { off: 'off', on: 'on' };
/** Which state each slot is: blue is the flag off, green the flag on. */
const FLAG_SLOT_STATE = { blue: 'off', green: 'on' };
function isFlagRouterType(type) {
    return FLAG_ROUTER_TYPES.includes(type);
}
/**
 * What a flag router's `servers()` answers: each slot one entry named by its variant label.
 * `address` says where the flag lives (for logs and `idle-servers`), never a credential.
 */
function flagServers(variants, address) {
    return {
        blue: [{ name: variants.off, address }],
        green: [{ name: variants.on, address }],
    };
}
/**
 * The router kind of a `router` input: `traffic` (every entry moves requests between servers) or
 * `flag` (every entry is a flag). A list mixing both is refused: its members would be asked to
 * agree on weights that mean different things, and the gate could not name one label per slot.
 */
function routerKind(types, input = 'router') {
    const flags = types.filter(isFlagRouterType);
    if (flags.length === 0)
        return 'traffic';
    if (flags.length === types.length)
        return 'flag';
    const others = [...new Set(types.filter((t) => !isFlagRouterType(t)))];
    throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input '${input}' lists flag routers (${[...new Set(flags)].join(', ')}) together with traffic routers (${others.join(', ')}); allowed: a list of flag routers only (${FLAG_ROUTER_TYPES.join(', ')}) or of traffic routers only. Walk the flag and the traffic in separate steps.`);
}
/**
 * The names the gate's {{canary}} and {{stable}} stand for. A traffic router: the slots' names
 * (`blue`, `green`). A flag router: the variant label its `servers()` gives each slot; every
 * router of a list must give the same one label per slot, or the gate could judge the wrong
 * users (an error before anything moves).
 */
function gateSlotNames(kind, servers) {
    if (kind === 'traffic')
        return { blue: 'blue', green: 'green' };
    const names = {};
    for (const slot of _weights_js__WEBPACK_IMPORTED_MODULE_1__/* .SLOTS */ ._f) {
        const labels = [...new Set(servers[slot].map((s) => s.name))];
        const [label] = labels;
        if (labels.length !== 1 || label === undefined || label === '')
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`The flag router's ${FLAG_SLOT_STATE[slot]} state (slot ${slot}) has ${labels.length === 0 ? 'no variant label' : `the variant labels ${labels.map((l) => (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(l)).join(', ')}`}; the gate's {{canary}}/{{stable}} need exactly one: give every router of the list the same 'variants: { off: <label>, on: <label> }'.`);
        names[slot] = label;
    }
    if (names.blue === names.green)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`The flag router's off and on states have the same variant label ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(names.blue)}; the gate could not tell the users apart: give 'variants' two different labels.`);
    return names;
}
/** A router (or a group of them) whose slots are a flag's states: every member is a flag. */
function isFlagRouter(router) {
    const group = router.routers;
    const members = Array.isArray(group) ? group : [router];
    return members.length > 0 && members.every((r) => isFlagRouterType(r.type));
}
/** What stands in for a health check on a flag: there is no slot of servers to ask. */
const FLAG_NO_HEALTH = 'a feature flag: no health URL applies (its states are not servers); the gate judges its users';


/***/ }),

/***/ 3178:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CT: () => (/* reexport */ router_flag/* FLAG_NO_HEALTH */.CT),
  bF: () => (/* reexport */ GroupRouter),
  KJ: () => (/* reexport */ router/* RouterError */.K),
  Vm: () => (/* reexport */ RoutersPutBack),
  f6: () => (/* reexport */ canRollSlots),
  Yy: () => (/* reexport */ describeConfig),
  fU: () => (/* reexport */ formatMatch),
  cg: () => (/* reexport */ router_flag/* gateSlotNames */.cg),
  Ui: () => (/* reexport */ router_flag/* isFlagRouter */.Ui),
  Y5: () => (/* reexport */ openRouter),
  Nu: () => (/* reexport */ parseMatch),
  YH: () => (/* reexport */ parseRouterConfigs),
  Pv: () => (/* reexport */ parseRouterCredentials),
  i$: () => (/* reexport */ router_flag/* routerKind */.i$),
  h6: () => (/* reexport */ routerSecrets),
  NP: () => (/* reexport */ unreachedText),
  tE: () => (/* reexport */ withCredentials)
});

// UNUSED EXPORTS: CREDENTIALS_INPUT, CREDENTIAL_KEYS, ConcurrentChange, ConcurrentEdit, DEFAULT_VARIANTS, DNS_KEYS, DNS_PROVIDERS, DnsRouter, FLAGD_CHECK_KEYS, FLAGD_CHECK_TOLERANCE, FLAGD_KEYS, FLAG_ROUTER_TYPES, FLAG_SLOT_STATE, FlagdRefusal, FlagdRouter, HaproxyRouter, KubernetesRouter, MAX_ROUTERS, MAX_SERVERS_PER_SLOT, MAX_SERVICES, MemoryRouter, NginxRouter, ROUTER_TYPES, RolloutFailed, SERVICE_NAME, SLOTS, UNLEASH_KEYS, UNLEASH_OPERATORS, UNLEASH_STRATEGY_TITLE, UnleashRefusal, UnleashRouter, agreed, allOn, assertWritable, describeConstraint, describeRecords, describeState, desiredRecords, dnsSecrets, domainName, evaluateSplit, flagServers, flagState, flagdDescribe, flagdWhere, formatObserved, formatWeights, fractionalRule, fromRegexLiteral, haproxyWeights, headerBlockRegex, inZone, indentOf, isFlagRouterType, judgeSafetyWrite, liveSlot, luaWeights, matchVariable, nginxVariable, otherSlot, parseDnsConfig, parseDnsServer, parseDnsSlot, parseFlagdConfig, parseHeaderBlockRegex, parseMatchFile, parseProcesses, parseRollout, parseRouterConfig, parseServersState, parseShowMap, parseUnleashConfig, planHaproxyWrite, planUnleashWrite, regexLiteral, reloadFinished, renderMatchFile, renderUpstream, ruleWeights, sameMatch, sameWeights, servedShape, slotAnswered, splitAnswer, splitRefusal, spreadWeights, toPercent, unleashDescribe, unleashFlagState, unleashSecrets, upstreamFileFor, weightsFor, withWeights

// EXTERNAL MODULE: ./build/tsc/packages/router/router.js
var router = __webpack_require__(7832);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/util.js
var util = __webpack_require__(6719);
// EXTERNAL MODULE: ./build/tsc/packages/domain/slots.js
var domain_slots = __webpack_require__(545);
;// CONCATENATED MODULE: ./build/tsc/packages/router/kubernetes-config.js
/**
 * The `router` mapping for `type: kubernetes`, validated before anything talks to a cluster.
 * Kept apart from the provider so parsing never loads the Kubernetes client.
 */



const KUBERNETES_KEYS = [
    'type',
    'name',
    'namespace',
    'context',
    'slots',
    'route',
    'timeout',
];
/** Gateway API allows at most 16 rules in an HTTPRoute. */
const MAX_RULES = 16;
const DEFAULT_TIMEOUT_MS = 30_000;
// The name rules the API server applies (k8s.io/apimachinery validation).
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const NAMESPACE_RULE = 'a namespace name (lower-case letters, digits and -, at most 63)';
const SUBDOMAIN_RULE = 'a Kubernetes object name (lower-case letters, digits, - and ., at most 253)';
const SERVICE_RULE = 'a Service name (lower-case letters, digits and -, starting with a letter, at most 63)';
const LABEL_RULE = 'a label key such as slot or example.com/slot';
function isNamespace(s) {
    return s.length <= 63 && DNS_LABEL.test(s);
}
function isObjectName(s) {
    return s.length <= 253 && DNS_SUBDOMAIN.test(s);
}
function isServiceName(s) {
    return s.length <= 63 && DNS_1035_LABEL.test(s);
}
function isLabelKey(s) {
    const slash = s.lastIndexOf('/');
    const prefix = slash < 0 ? undefined : s.slice(0, slash);
    const name = slash < 0 ? s : s.slice(slash + 1);
    if (prefix !== undefined && !isObjectName(prefix))
        return false;
    return name.length <= 63 && LABEL_NAME.test(name);
}
function parseKubernetesConfig(map, options = {}) {
    const fail = options.fail ??
        ((message) => {
            throw new action_kit/* ConfigurationError */.j1(`Input 'router': ${message}`);
        });
    const field = options.field ?? ((key) => key);
    const named = (key) => `'${field(key)}'`;
    const unknown = Object.keys(map).filter((k) => !KUBERNETES_KEYS.includes(k));
    if (unknown.length > 0)
        fail(`unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')} for type kubernetes; allowed: ${KUBERNETES_KEYS.join(', ')}.`);
    const text = (where, key, path, valid, rule) => {
        const v = where[key];
        if (v === undefined || v === null || v === '')
            return fail(`${named(path)} is required: ${rule}.`);
        if (typeof v !== 'string')
            return fail(`${named(path)} must be ${rule}, got ${(0,util/* describeValue */.bp)(v)}.`);
        const s = v.trim();
        if (!valid(s))
            return fail(`${named(path)} is ${(0,action_kit/* quote */.hD)(cap(s))}; allowed: ${rule}.`);
        return s;
    };
    const mapping = (v, path, shape) => {
        if (v === undefined || v === null)
            return fail(`${named(path)} is required: ${shape}.`);
        if (typeof v !== 'object' || Array.isArray(v))
            return fail(`${named(path)} must be a mapping ${shape}, got ${(0,util/* describeValue */.bp)(v)}.`);
        return v;
    };
    const onlyKeys = (m, path, allowed) => {
        const extra = Object.keys(m).filter((k) => !allowed.includes(k));
        if (extra.length > 0)
            fail(`${named(path)} has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: ${allowed.join(', ')}.`);
    };
    const namespace = text(map, 'namespace', 'namespace', isNamespace, NAMESPACE_RULE);
    let context;
    if (map.context !== undefined && map.context !== null) {
        const v = map.context;
        if (typeof v !== 'string' || v.trim() === '' || /[\n\r]/.test(v))
            fail(`${named('context')} must be the name of a kubeconfig context, got ${(0,util/* describeValue */.bp)(v)}.`);
        context = v.trim();
    }
    const slotsMap = mapping(map.slots, 'slots', '{ blue: { deployment, service }, green: { deployment, service } }');
    onlyKeys(slotsMap, 'slots', domain_slots/* SLOTS */._f);
    const targets = {};
    for (const slot of domain_slots/* SLOTS */._f) {
        const m = mapping(slotsMap[slot], `slots.${slot}`, '{ deployment: <name>, service: <name> }');
        onlyKeys(m, `slots.${slot}`, ['deployment', 'service']);
        targets[slot] = {
            deployment: text(m, 'deployment', `slots.${slot}.deployment`, isObjectName, SUBDOMAIN_RULE),
            service: text(m, 'service', `slots.${slot}.service`, isServiceName, SERVICE_RULE),
        };
    }
    for (const key of ['deployment', 'service']) {
        if (targets.blue[key] === targets.green[key])
            fail(`${named(`slots.blue.${key}`)} and ${named(`slots.green.${key}`)} are both ${(0,action_kit/* quote */.hD)(targets.blue[key])}; each slot needs its own ${key === 'service' ? 'Service' : 'Deployment'}.`);
    }
    const routeMap = mapping(map.route, 'route', '{ httproute: <name>, rule?: <index> } or { service: <name>, label: <key> }');
    let route;
    if ('httproute' in routeMap && 'service' in routeMap) {
        return fail(`${named('route')} has both 'httproute' and 'service'; give one: { httproute: <name> } to split by weights, or { service: <name>, label: <key> } for blue-green by selector.`);
    }
    else if ('httproute' in routeMap) {
        onlyKeys(routeMap, 'route', ['httproute', 'rule']);
        const name = text(routeMap, 'httproute', 'route.httproute', isObjectName, SUBDOMAIN_RULE);
        route = { kind: 'httproute', name };
        const rule = routeMap.rule;
        if (rule !== undefined && rule !== null) {
            const n = typeof rule === 'number' ? rule : /^\s*\d+\s*$/.test(String(rule)) ? Number(rule) : NaN;
            if (!Number.isInteger(n) || n < 0 || n >= MAX_RULES)
                fail(`${named('route.rule')} is ${(0,action_kit/* quote */.hD)(rule)}; allowed: the index of a rule in the HTTPRoute, a whole number from 0 to ${MAX_RULES - 1}.`);
            route.rule = n;
        }
    }
    else if ('service' in routeMap) {
        onlyKeys(routeMap, 'route', ['service', 'label']);
        const name = text(routeMap, 'service', 'route.service', isServiceName, SERVICE_RULE);
        const label = text(routeMap, 'label', 'route.label', isLabelKey, LABEL_RULE);
        if (name === targets.blue.service || name === targets.green.service)
            fail(`${named('route.service')} is ${(0,action_kit/* quote */.hD)(name)}, which is also a slot's Service; the switching Service must be a third Service whose selector picks the slot.`);
        route = { kind: 'service', name, label };
    }
    else {
        return fail(`${named('route')} needs 'httproute' (weights on an HTTPRoute) or 'service' with 'label' (a Service selector, blue-green only); got keys ${Object.keys(routeMap).map(action_kit/* quote */.hD).join(', ') || 'none'}.`);
    }
    let timeout = DEFAULT_TIMEOUT_MS;
    if (map.timeout !== undefined && map.timeout !== null) {
        const v = map.timeout;
        let ms = NaN;
        try {
            ms = (0,action_kit/* parseDuration */.E9)(field('timeout'), String(v));
        }
        catch {
            ms = NaN;
        }
        if (!(ms >= 1000 && ms <= 600_000))
            fail(`${named('timeout')} is ${(0,action_kit/* quote */.hD)(v)}; allowed: a duration from 1s to 10m, e.g. 30s.`);
        timeout = ms;
    }
    let name = `kubernetes ${namespace}/${route.name}`;
    if (map.name !== undefined && map.name !== null) {
        const v = map.name;
        // The same rule as every router's name (config.ts).
        if (typeof v !== 'string' || !ROUTER_NAME.test(v))
            fail(`${named('name')} is ${typeof v === 'string' ? (0,action_kit/* quote */.hD)(cap(v)) : (0,util/* describeValue */.bp)(v)}; allowed: a label of 1 to 64 printable characters, e.g. "orders (eu)".`);
        name = v;
    }
    return {
        type: 'kubernetes',
        name,
        namespace,
        ...(context === undefined ? {} : { context }),
        slots: { blue: [targets.blue.service], green: [targets.green.service] },
        targets,
        route,
        timeout,
    };
}
/** For logs and errors: never credentials, never the API server's address. */
function kubernetesDescribe(config) {
    const where = config.context ? ` (context ${config.context})` : '';
    const route = config.route.kind === 'httproute'
        ? `HTTPRoute ${config.namespace}/${config.route.name}${config.route.rule === undefined ? '' : ` rule ${config.route.rule}`}`
        : `Service ${config.namespace}/${config.route.name} selector ${config.route.label}`;
    return `kubernetes ${route}${where}`;
}
function cap(s) {
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/config-fields.js
/**
 * What every router kind's parser starts with (dns, unleash, flagd): how it fails, how it names a
 * field, how it shows a value, whether a key is given, and the refusal of keys the kind does not
 * take — so every kind words these errors the same way.
 */


/** The helpers, after refusing any key of `map` that `keys` does not list. */
function configFields(map, type, keys, options, 
/** Appended to the list of allowed keys, e.g. " (and services)". */
alsoAllowed = '') {
    const fail = options.fail ??
        ((message) => {
            throw new action_kit/* ConfigurationError */.j1(`Input 'router': ${message}`);
        });
    const named = (key) => `'${(options.field ?? ((k) => k))(key)}'`;
    const shown = (v) => typeof v === 'string' ? (0,action_kit/* quote */.hD)(v.length > 80 ? `${v.slice(0, 80)}…` : v) : (0,util/* describeValue */.bp)(v);
    const present = (m, key) => m[key] !== undefined && m[key] !== null && m[key] !== '';
    const unknown = Object.keys(map).filter((k) => !keys.includes(k));
    if (unknown.length > 0)
        fail(`unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')} for type ${type}; allowed: ${keys.join(', ')}${alsoAllowed}.`);
    return { fail, named, shown, present };
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./build/tsc/packages/router/dns-wire.js
/**
 * The little of the DNS wire format the dns router needs, written here rather than taken from
 * npm: no maintained package signs TSIG (RFC 8945), and queries, an RFC 2136 UPDATE and the
 * HMAC-SHA256 signature are together a few hundred lines. Every exchange has a deadline for the
 * whole exchange (send, receive to the last byte), over UDP (queries) or TCP (updates, and a
 * truncated UDP answer).
 */


const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, AAAA: 28, ANY: 255, TSIG: 250 };
const CLASS_IN = 1;
const CLASS_NONE = 254;
const CLASS_ANY = 255;
const OPCODE_UPDATE = 5;
const RCODES = [
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
];
const TSIG_ERRORS = {
    16: 'BADSIG',
    17: 'BADKEY',
    18: 'BADTIME',
    22: 'BADTRUNC',
};
function rcodeName(code) {
    return RCODES[code] ?? TSIG_ERRORS[code] ?? `RCODE ${code}`;
}
/** A name in canonical form: lower case, no trailing dot ("" is the root). */
function canonicalName(name) {
    return name.replace(/\.$/, '').toLowerCase();
}
/** A domain name as wire labels (uncompressed). Throws on a label over 63 or a name over 255 bytes. */
function encodeName(name) {
    const n = canonicalName(name);
    const parts = [];
    for (const label of n === '' ? [] : n.split('.')) {
        const bytes = Buffer.from(label, 'ascii');
        if (bytes.length === 0 || bytes.length > 63)
            throw new RangeError(`bad DNS label in ${name}`);
        parts.push(Buffer.from([bytes.length]), bytes);
    }
    parts.push(Buffer.from([0]));
    const out = Buffer.concat(parts);
    if (out.length > 255)
        throw new RangeError(`DNS name over 255 bytes: ${name}`);
    return out;
}
function u16(n) {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    return b;
}
function u32(n) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
}
/** RDATA of an A/AAAA/CNAME record. */
function encodeRdata(type, value) {
    if (type === 'A') {
        if (!(0,external_node_net_.isIPv4)(value))
            throw new RangeError(`not an IPv4 address: ${value}`);
        return Buffer.from(value.split('.').map(Number));
    }
    if (type === 'AAAA') {
        if (!(0,external_node_net_.isIPv6)(value))
            throw new RangeError(`not an IPv6 address: ${value}`);
        return ipv6Bytes(value);
    }
    return encodeName(value);
}
function ipv6Bytes(address) {
    let text = address;
    // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
    const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (v4) {
        const [a, b, c, d] = v4[1].split('.').map(Number);
        text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head = '', tail] = text.split('::');
    const h = head === '' ? [] : head.split(':');
    const t = tail === undefined || tail === '' ? [] : tail.split(':');
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const out = Buffer.alloc(16);
    groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
    return out;
}
/** An address in one spelling (IPv6 compressed, lower case), so answers and config compare. */
function normalAddress(address) {
    if ((0,external_node_net_.isIPv4)(address))
        return address;
    if (!(0,external_node_net_.isIPv6)(address))
        return address;
    return formatIPv6(ipv6Bytes(address));
}
function formatIPv6(b) {
    const groups = [...Array(8).keys()].map((i) => b.readUInt16BE(i * 2));
    // The longest run of two or more zero groups becomes '::' (RFC 5952).
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0)
            j++;
        if (j - i > bestLen) {
            best = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    if (best < 0)
        return hex.join(':');
    return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
function header(id, flags, counts) {
    return Buffer.concat([u16(id), u16(flags), ...counts.map(u16)]);
}
/** A query for `name`/`type` with RD clear: an authoritative server answers from its zone. */
function encodeQuery(id, name, type) {
    return Buffer.concat([header(id, 0, [1, 0, 0, 0]), encodeName(name), u16(type), u16(CLASS_IN)]);
}
/**
 * An RFC 2136 UPDATE for `zone`: delete the RRsets of `deleteTypes` at `name`, then add `add`
 * with `ttl`. One message: the server applies all of it or none (RFC 2136 §3.7 ... atomically).
 */
function encodeUpdate(id, zone, name, deleteTypes, add, ttl) {
    const owner = encodeName(name);
    const updates = [];
    // "Delete an RRset": class ANY, TTL 0, no RDATA (RFC 2136 §2.5.2).
    for (const t of deleteTypes)
        updates.push(owner, u16(TYPE[t]), u16(CLASS_ANY), u32(0), u16(0));
    for (const r of add) {
        const rdata = encodeRdata(r.type, r.value);
        updates.push(owner, u16(TYPE[r.type]), u16(CLASS_IN), u32(ttl), u16(rdata.length), rdata);
    }
    const count = deleteTypes.length + add.length;
    return Buffer.concat([
        header(id, OPCODE_UPDATE << 11, [1, 0, count, 0]),
        encodeName(zone),
        u16(TYPE.SOA),
        u16(CLASS_IN),
        ...updates,
    ]);
}
// CLASS_NONE is the "delete an RR from an RRset" class; kept for completeness of the table above.
void CLASS_NONE;
/** The TSIG variables (RFC 8945 §4.3.3) that follow the message in the MAC's input. */
function tsigVariables(key, timeSigned, fudge, error, other) {
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
    ]);
}
function timeBytes(seconds) {
    const b = Buffer.alloc(6);
    b.writeUIntBE(seconds, 0, 6);
    return b;
}
/** Appends a TSIG record to `message` (ARCOUNT + 1); returns the signed message and its MAC. */
function signTsig(message, key, now = Math.floor(Date.now() / 1000)) {
    const fudge = 300;
    const mac = (0,external_node_crypto_.createHmac)('sha256', key.secret)
        .update(message)
        .update(tsigVariables(key, now, fudge, 0, Buffer.alloc(0)))
        .digest();
    const id = message.readUInt16BE(0);
    const rdata = Buffer.concat([
        encodeName(`${key.algorithm}.`),
        timeBytes(now),
        u16(fudge),
        u16(mac.length),
        mac,
        u16(id),
        u16(0),
        u16(0),
    ]);
    const rr = Buffer.concat([
        encodeName(key.name),
        u16(TYPE.TSIG),
        u16(CLASS_ANY),
        u32(0),
        u16(rdata.length),
        rdata,
    ]);
    const signed = Buffer.concat([message, rr]);
    signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
    return { signed, mac };
}
/** Reads a possibly compressed name at `offset`; returns it and the offset after it. */
function readName(buf, offset) {
    const labels = [];
    let pos = offset;
    let end = -1;
    for (let jumps = 0; jumps < 64;) {
        const len = buf.readUInt8(pos);
        if (len === 0) {
            if (end < 0)
                end = pos + 1;
            return [labels.join('.').toLowerCase(), end];
        }
        if ((len & 0xc0) === 0xc0) {
            if (end < 0)
                end = pos + 2;
            pos = buf.readUInt16BE(pos) & 0x3fff;
            jumps++;
            continue;
        }
        labels.push(buf.toString('ascii', pos + 1, pos + 1 + len));
        pos += 1 + len;
    }
    throw new RangeError('DNS name with a compression loop');
}
/** Parses a response; throws a RangeError on a malformed one. */
function decodeResponse(buf) {
    if (buf.length < 12)
        throw new RangeError(`DNS message of ${buf.length} bytes`);
    const flags = buf.readUInt16BE(2);
    const counts = [4, 6, 8, 10].map((o) => buf.readUInt16BE(o));
    let pos = 12;
    for (let i = 0; i < counts[0]; i++)
        pos = readName(buf, pos)[1] + 4;
    const answers = [];
    let tsig;
    const sections = counts[1] + counts[2] + counts[3];
    for (let i = 0; i < sections; i++) {
        const start = pos;
        const [name, after] = readName(buf, pos);
        const type = buf.readUInt16BE(after);
        const ttl = buf.readUInt32BE(after + 4);
        const rdlen = buf.readUInt16BE(after + 8);
        const rd = after + 10;
        if (rd + rdlen > buf.length)
            throw new RangeError('DNS record runs past the message');
        pos = rd + rdlen;
        if (i < counts[1]) {
            let data;
            if (type === TYPE.A && rdlen === 4)
                data = [...buf.subarray(rd, rd + 4)].join('.');
            else if (type === TYPE.AAAA && rdlen === 16)
                data = formatIPv6(buf.subarray(rd, rd + 16));
            else if (type === TYPE.CNAME)
                data = readName(buf, rd)[0];
            else
                data = buf.subarray(rd, rd + rdlen).toString('hex');
            answers.push({ name, type, ttl, data });
        }
        else if (type === TYPE.TSIG && i === sections - 1) {
            let p = readName(buf, rd)[1];
            const timeSigned = buf.readUIntBE(p, 6);
            const fudge = buf.readUInt16BE(p + 6);
            const macLen = buf.readUInt16BE(p + 8);
            const mac = Buffer.from(buf.subarray(p + 10, p + 10 + macLen));
            p += 10 + macLen + 2;
            const error = buf.readUInt16BE(p);
            const otherLen = buf.readUInt16BE(p + 2);
            const other = Buffer.from(buf.subarray(p + 4, p + 4 + otherLen));
            tsig = { error, mac, start, timeSigned, fudge, other };
        }
    }
    return {
        id: buf.readUInt16BE(0),
        rcode: flags & 0x0f,
        authoritative: (flags & 0x0400) !== 0,
        truncated: (flags & 0x0200) !== 0,
        answers,
        ...(tsig ? { tsig } : {}),
    };
}
/**
 * Checks a signed response's MAC against the request's (RFC 8945 §5.3): the server holds the
 * same key. False when the response is unsigned or its MAC differs.
 */
function verifyTsig(response, parsed, key, requestMac) {
    const t = parsed.tsig;
    if (!t || t.mac.length === 0)
        return false;
    const unsigned = Buffer.from(response.subarray(0, t.start));
    unsigned.writeUInt16BE(response.readUInt16BE(10) - 1, 10);
    const expected = (0,external_node_crypto_.createHmac)('sha256', key.secret)
        .update(u16(requestMac.length))
        .update(requestMac)
        .update(unsigned)
        .update(tsigVariables(key, t.timeSigned, t.fudge, t.error, t.other))
        .digest();
    return expected.length === t.mac.length && (0,external_node_crypto_.timingSafeEqual)(expected, t.mac);
}
function randomId() {
    return (0,external_node_crypto_.randomInt)(0, 0x10000);
}
/** Why an exchange failed, for messages: "no answer within 2s", "ECONNREFUSED". */
class ExchangeError extends Error {
    name = 'ExchangeError';
}
/**
 * One UDP exchange: the answer with our id, or an ExchangeError at the deadline. Answers with
 * another id (late answers to an earlier query) are ignored.
 */
async function udpExchange(to, message, timeoutMs) {
    const { createSocket } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1314, 19));
    const id = message.readUInt16BE(0);
    return new Promise((resolve, reject) => {
        const socket = createSocket((0,external_node_net_.isIPv6)(to.host) ? 'udp6' : 'udp4');
        let settled = false;
        const settle = (done) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(deadline);
            socket.close();
            done();
        };
        const deadline = setTimeout(() => settle(() => reject(new ExchangeError(`no answer over UDP within ${timeoutMs} ms`))), timeoutMs);
        socket.on('error', (e) => settle(() => reject(new ExchangeError(e.code ?? e.message))));
        socket.on('message', (msg) => {
            if (msg.length >= 2 && msg.readUInt16BE(0) === id)
                settle(() => resolve(msg));
        });
        socket.connect(to.port, to.host, () => socket.send(message));
    });
}
/** One TCP exchange (two-byte length prefix), the deadline covering connect, send and the whole answer. */
async function tcpExchange(to, message, timeoutMs) {
    const { connect } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7030, 19));
    return new Promise((resolve, reject) => {
        const socket = connect(to.port, to.host);
        let buffered = Buffer.alloc(0);
        let settled = false;
        const settle = (done) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(deadline);
            socket.destroy();
            done();
        };
        const deadline = setTimeout(() => settle(() => reject(new ExchangeError(buffered.length === 0
            ? `no answer over TCP within ${timeoutMs} ms`
            : `an unfinished answer over TCP (${buffered.length} bytes) within ${timeoutMs} ms`))), timeoutMs);
        socket.on('connect', () => socket.write(Buffer.concat([u16(message.length), message])));
        socket.on('data', (chunk) => {
            buffered = Buffer.concat([buffered, chunk]);
            if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0))
                settle(() => resolve(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
        });
        socket.on('error', (e) => settle(() => reject(new ExchangeError(e.code ?? e.message))));
        socket.on('close', () => settle(() => reject(new ExchangeError('the server closed the TCP connection without a whole answer'))));
    });
}
/** Asks one server for `name`/`type`: UDP, then TCP when the answer is truncated; one deadline for both. */
async function query(to, name, type, timeoutMs) {
    const started = Date.now();
    const message = encodeQuery(randomId(), name, type);
    const udp = decodeResponse(await udpExchange(to, message, timeoutMs));
    if (!udp.truncated)
        return udp;
    const left = timeoutMs - (Date.now() - started);
    if (left <= 0)
        throw new ExchangeError(`a truncated UDP answer and no time left for TCP within ${timeoutMs} ms`);
    return decodeResponse(await tcpExchange(to, message, left));
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/dns-config.js
/**
 * The `router` mapping for `type: dns`, validated before anything talks to a DNS server: the
 * record must lie inside the zone, the TTL be 1 s to a day, each slot be addresses or one CNAME
 * target, every server an IP address and port (a name would need a resolver to find the server
 * we are meant to check without one), and the credentials of the provider present.
 */






const DNS_PROVIDERS = ['powerdns', 'rfc2136'];
const DNS_KEYS = [
    'type',
    'name',
    'provider',
    'zone',
    'record',
    'ttl',
    'slots',
    'servers',
    'api-url',
    'api-key',
    'api-server-id',
    'server',
    'tsig-key-name',
    'tsig-algorithm',
    'tsig-secret',
    'timeout',
    'propagation-timeout',
    'wait-ttl',
];
const PDNS_ONLY = ['api-url', 'api-key', 'api-server-id'];
const RFC2136_ONLY = ['server', 'tsig-key-name', 'tsig-algorithm', 'tsig-secret'];
const MAX_DNS_SERVERS = 16;
const MAX_ADDRESSES = 64;
const LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
const dns_config_ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u;
/** A domain name of letters, digits, '-' and '_' labels (trailing dot optional), or undefined. */
function domainName(value) {
    const n = canonicalName(value.trim());
    if (n === '' || n.length > 253)
        return undefined;
    return n.split('.').every((l) => LABEL.test(l)) ? n : undefined;
}
/** `record` is `zone` itself or a name below it. */
function inZone(record, zone) {
    return record === zone || record.endsWith(`.${zone}`);
}
/** host:port with an IP address (IPv6 in brackets); port 53 when left out. */
function parseDnsServer(value) {
    const s = value.trim();
    let host;
    let port = 53;
    const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(s);
    if (v6) {
        host = v6[1];
        if (v6[2])
            port = Number(v6[2]);
    }
    else if ((0,external_node_net_.isIP)(s) === 6) {
        host = s;
    }
    else {
        const m = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(s);
        if (!m)
            return undefined;
        host = m[1];
        if (m[2])
            port = Number(m[2]);
    }
    if (!(0,external_node_net_.isIP)(host) || port < 1 || port > 65535)
        return undefined;
    const normal = normalAddress(host);
    return {
        host: normal,
        port,
        label: (0,external_node_net_.isIP)(normal) === 6 ? `[${normal}]:${port}` : `${normal}:${port}`,
    };
}
/** A slot's value: addresses (one or a list, A and AAAA) or one CNAME target; never both. */
function parseDnsSlot(value) {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0 || value === undefined || value === null || value === '')
        return { error: 'is required' };
    if (list.length > MAX_ADDRESSES)
        return { error: `lists ${list.length} addresses; allowed: at most ${MAX_ADDRESSES}` };
    const a = [];
    const aaaa = [];
    const names = [];
    for (const [i, item] of list.entries()) {
        if (typeof item !== 'string')
            return { error: `is ${(0,util/* describeValue */.bp)(item)}`, index: i };
        const s = item.trim();
        const family = (0,external_node_net_.isIP)(s);
        if (family === 4)
            a.push(s);
        else if (family === 6)
            aaaa.push(normalAddress(s));
        else if (/^[0-9.]+$/.test(s))
            return { error: `is ${(0,action_kit/* quote */.hD)(s)}, not an IPv4 address`, index: i };
        else if (s.includes(':'))
            return { error: `is ${(0,action_kit/* quote */.hD)(s)}, not an IPv6 address`, index: i };
        else {
            const n = domainName(s);
            if (!n)
                return { error: `is ${(0,action_kit/* quote */.hD)(s)}, neither an address nor a host name`, index: i };
            names.push(n);
        }
    }
    if (names.length > 0 && (a.length > 0 || aaaa.length > 0 || names.length > 1))
        return {
            error: `mixes ${names.length > 1 ? 'several CNAME targets' : 'a CNAME target with addresses'} (${list.join(', ')}); a name holds either one CNAME or A/AAAA records, never both`,
        };
    if (names.length === 1)
        return { slot: { kind: 'cname', target: names[0] }, values: names };
    const values = [...a, ...aaaa];
    if (new Set(values).size !== values.length)
        return { error: `lists an address twice (${values.join(', ')})` };
    return { slot: { kind: 'addresses', a, aaaa }, values };
}
function parseDnsConfig(map, options = {}) {
    const fields = configFields(map, 'dns', DNS_KEYS, options);
    const { fail, named, shown } = fields;
    const present = (key) => fields.present(map, key);
    const text = (key, rule) => {
        const v = map[key];
        if (!present(key))
            return fail(`${named(key)} is required for type dns: ${rule}.`);
        if (typeof v !== 'string' && typeof v !== 'number')
            return fail(`${named(key)} must be ${rule}, got ${(0,util/* describeValue */.bp)(v)}.`);
        return String(v).trim();
    };
    /** A secret: its value never appears in a message. */
    const secret = (key, rule) => {
        const v = map[key];
        if (!present(key))
            return fail(`${named(key)} is required for provider ${provider}: ${rule}.`);
        if (typeof v !== 'string')
            return fail(`${named(key)} must be ${rule} (a string; its value is not shown).`);
        return v.trim();
    };
    const provider = text('provider', DNS_PROVIDERS.join(' or '));
    if (!DNS_PROVIDERS.includes(provider))
        fail(`${named('provider')} is ${shown(provider)}; allowed: ${DNS_PROVIDERS.join(', ')}.`);
    const foreign = (provider === 'powerdns' ? RFC2136_ONLY : PDNS_ONLY).filter(present);
    if (foreign.length > 0)
        fail(`${foreign.map(named).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} for provider ${provider === 'powerdns' ? 'rfc2136' : 'powerdns'}, not ${provider}; allowed for ${provider}: ${(provider === 'powerdns' ? PDNS_ONLY : RFC2136_ONLY).join(', ')}.`);
    const zoneText = text('zone', 'the zone the record is in, e.g. example.com');
    const zone = domainName(zoneText);
    if (!zone)
        fail(`${named('zone')} is ${shown(zoneText)}; allowed: a domain name such as example.com.`);
    const recordText = text('record', 'the name to switch, inside the zone, e.g. app.example.com');
    const record = domainName(recordText);
    if (!record)
        fail(`${named('record')} is ${shown(recordText)}; allowed: a fully qualified name such as app.example.com.`);
    if (!inZone(record, zone))
        fail(`${named('record')} is ${shown(recordText)}, outside zone ${(0,action_kit/* quote */.hD)(zone)}; allowed: ${zone} or a name ending in .${zone}.`);
    let ttl = 60;
    if (present('ttl')) {
        const v = map.ttl;
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > 86_400)
            fail(`${named('ttl')} is ${shown(v)}; allowed: whole seconds from 1 to 86400 (a day).`);
        ttl = n;
    }
    const slotsValue = map.slots;
    if (slotsValue === undefined || slotsValue === null)
        fail(`${named('slots')} is required: { blue: <addresses or a CNAME target>, green: ... }.`);
    if (typeof slotsValue !== 'object' || Array.isArray(slotsValue))
        fail(`${named('slots')} must be a mapping { blue: ..., green: ... }, got ${(0,util/* describeValue */.bp)(slotsValue)}.`);
    const slotsMap = slotsValue;
    const extra = Object.keys(slotsMap).filter((k) => !domain_slots/* SLOTS */._f.includes(k));
    if (extra.length > 0)
        fail(`${named('slots')} has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: blue, green.`);
    const targets = {};
    const slots = {};
    for (const slot of domain_slots/* SLOTS */._f) {
        const parsed = parseDnsSlot(slotsMap[slot]);
        if ('error' in parsed)
            return fail(`${named(`slots.${slot}${parsed.index !== undefined && Array.isArray(slotsMap[slot]) ? `[${parsed.index}]` : ''}`)} ${parsed.error}; allowed: IPv4/IPv6 addresses (one or a list) or one CNAME target name.`);
        targets[slot] = parsed.slot;
        slots[slot] = parsed.values;
    }
    const shared = slots.blue.filter((v) => slots.green.includes(v));
    if (shared.length > 0)
        fail(`${named('slots.blue')} and ${named('slots.green')} both hold ${shared.join(', ')}; the two slots must differ.`);
    for (const slot of domain_slots/* SLOTS */._f) {
        const t = targets[slot];
        if (t.kind === 'cname' && record === zone)
            fail(`${named(`slots.${slot}`)} is a CNAME target, but ${named('record')} is the zone apex ${(0,action_kit/* quote */.hD)(zone)}, which cannot hold a CNAME (it has SOA and NS); give addresses.`);
        if (t.kind === 'cname' && t.target === record)
            fail(`${named(`slots.${slot}`)} is the record itself (${record}); a CNAME to itself is a loop.`);
    }
    const serversValue = map.servers;
    const serverList = typeof serversValue === 'string' ? [serversValue] : serversValue;
    if (!Array.isArray(serverList) || serverList.length === 0)
        fail(`${named('servers')} is required: the authoritative servers to read the answer back from, as a list of IP:port (e.g. [192.0.2.53:53, "[2001:db8::53]:53"]).`);
    if (serverList.length > MAX_DNS_SERVERS)
        fail(`${named('servers')} lists ${serverList.length} servers; allowed: at most ${MAX_DNS_SERVERS}.`);
    const servers = serverList.map((v, i) => {
        const s = typeof v === 'string' ? parseDnsServer(v) : undefined;
        if (!s)
            return fail(`${named(`servers[${i}]`)} is ${shown(v)}; allowed: an authoritative server's IP address and port, e.g. 192.0.2.53:53 or [2001:db8::53]:53 (a name would need a resolver; the check must not use one).`);
        return s;
    });
    const labels = servers.map((s) => s.label);
    const twice = labels.find((l, i) => labels.indexOf(l) !== i);
    if (twice)
        fail(`${named('servers')} lists ${twice} twice; list each server once.`);
    let api;
    let update;
    if (provider === 'powerdns') {
        const url = text('api-url', 'the PowerDNS HTTP API base, e.g. http://127.0.0.1:8081');
        try {
            (0,util/* parseHttpUrl */.f$)('router.api-url', url);
        }
        catch {
            fail(`${named('api-url')} is ${shown(url)}; allowed: an http(s) URL such as http://127.0.0.1:8081 (the webserver of pdns).`);
        }
        const key = secret('api-key', "the API key of pdns ('api-key' in pdns.conf), e.g. ${{ secrets.PDNS_API_KEY }}");
        const serverId = present('api-server-id') ? text('api-server-id', 'a server id') : 'localhost';
        if (!/^[A-Za-z0-9_.-]+$/.test(serverId))
            fail(`${named('api-server-id')} is ${shown(serverId)}; allowed: the API's server id (letters, digits, _ . -), default localhost.`);
        api = { url: url.replace(/\/+$/, ''), key, serverId };
    }
    else {
        let server = servers[0];
        if (present('server')) {
            const v = map.server;
            const s = typeof v === 'string' ? parseDnsServer(v) : undefined;
            if (!s)
                fail(`${named('server')} is ${shown(v)}; allowed: the primary's IP address and port that takes UPDATEs, e.g. 192.0.2.53:53.`);
            server = s;
        }
        const keyText = text('tsig-key-name', 'the TSIG key name the server knows, e.g. cutover-key');
        const keyName = domainName(keyText);
        if (!keyName)
            fail(`${named('tsig-key-name')} is ${shown(keyText)}; allowed: a key name such as cutover-key.`);
        const algorithm = present('tsig-algorithm')
            ? text('tsig-algorithm', 'hmac-sha256').toLowerCase()
            : 'hmac-sha256';
        if (algorithm !== 'hmac-sha256')
            fail(`${named('tsig-algorithm')} is ${shown(algorithm)}; allowed: hmac-sha256 (tsig-keygen's and keymgr's default).`);
        const secretText = secret('tsig-secret', 'the base64 secret of the TSIG key, e.g. ${{ secrets.DNS_TSIG_SECRET }}');
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secretText) || Buffer.from(secretText, 'base64').length < 16)
            fail(`${named('tsig-secret')} is not a base64 secret of at least 16 bytes (its value is not shown); allowed: the secret line of tsig-keygen's output.`);
        update = { server, keyName: keyName, algorithm: 'hmac-sha256', secret: secretText };
    }
    const duration = (key, fallback, min, max, rule) => {
        if (!present(key))
            return fallback;
        const v = map[key];
        try {
            const ms = (0,action_kit/* parseDuration */.E9)(`router.${key}`, String(v));
            if (ms < min || ms > max)
                throw new Error();
            return ms;
        }
        catch {
            return fail(`${named(key)} is ${shown(v)}; allowed: ${rule}.`);
        }
    };
    const timeout = duration('timeout', 5000, 100, 120_000, 'a duration from 100ms to 2m, e.g. 5s');
    const propagationTimeout = duration('propagation-timeout', 30_000, 1000, 600_000, 'a duration from 1s to 10m, e.g. 30s (how long every server may take to answer the new slot)');
    let waitTtl = false;
    if (present('wait-ttl')) {
        const v = map['wait-ttl'];
        if (v === true || v === 'true')
            waitTtl = true;
        else if (v === false || v === 'false')
            waitTtl = false;
        else
            fail(`${named('wait-ttl')} is ${shown(v)}; allowed: true or false.`);
    }
    let name = `dns ${record}`;
    if (present('name')) {
        const v = map.name;
        if (typeof v !== 'string' || !dns_config_ROUTER_NAME.test(v))
            fail(`${named('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "dns app (pdns)".`);
        name = v;
    }
    return {
        type: 'dns',
        name,
        provider,
        zone: zone,
        record: record,
        ttl,
        slots,
        targets,
        servers,
        ...(api ? { api } : {}),
        ...(update ? { update } : {}),
        timeout,
        propagationTimeout,
        waitTtl,
    };
}
/** The values to mask before anything is logged: the API key or the TSIG secret. */
function dnsSecrets(config) {
    return [config.api?.key, config.update?.secret].filter((s) => !!s);
}
/** For logs: provider, where it is written and what record. Never a credential. */
function dnsDescribe(config) {
    const where = config.provider === 'powerdns'
        ? `powerdns ${config.api?.url}`
        : `rfc2136 ${config.update?.server.label} key ${config.update?.keyName}`;
    const what = `dns ${config.record} (${where}; checked on ${config.servers.map((s) => s.label).join(', ')})`;
    return config.name === `dns ${config.record}` ? what : `${config.name} (${what})`;
}
/** What makes two dns configs the same router: where it writes and what record. */
function dnsKey(config) {
    const where = config.provider === 'powerdns' ? config.api?.url : config.update?.server.label;
    return `dns ${config.provider} ${where} ${config.record}`;
}

// EXTERNAL MODULE: ./build/tsc/packages/router/flag.js
var router_flag = __webpack_require__(2043);
;// CONCATENATED MODULE: ./build/tsc/packages/router/flagd-config.js
/**
 * The `router` mapping for `type: flagd`, validated before anything is read or written: the flag
 * definitions live in a file (its absolute path) or in one key of a Kubernetes ConfigMap (reached
 * with the kubeconfig the kubernetes router uses, and its `context`); `flag` names the flag whose
 * `fractional` rule cutover owns, `variants` the flag's off and on variants (the labels the
 * application puts on its metrics). Kept apart from the provider so parsing never loads flagd-core.
 */






const FLAGD_KEYS = [
    'type',
    'name',
    'flag',
    'variants',
    'file',
    'configmap',
    'context',
    'timeout',
];
const CONFIGMAP_KEYS = ['namespace', 'name', 'key'];
/** The keys Kubernetes allows in a ConfigMap's data (k8s.io/apimachinery IsConfigMapKey). */
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
const flagd_config_ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u;
/** A flag key or a variant label: printable, no control characters, no surrounding blanks. */
const FLAG_KEY = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,254}[^\s\p{Cc}])?$/u;
const VARIANT = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u;
function parseFlagdConfig(map, options = {}) {
    const { fail, named, shown, present } = configFields(map, 'flagd', FLAGD_KEYS, options, ' (and services)');
    if (!present(map, 'flag'))
        fail(`${named('flag')} is required for type flagd: the flag's key in the definitions' "flags".`);
    const flagValue = map.flag;
    if (typeof flagValue !== 'string' || !FLAG_KEY.test(flagValue))
        fail(`${named('flag')} is ${shown(flagValue)}; allowed: a flag key of 1 to 256 printable characters, as in the definitions' "flags" (e.g. new-checkout).`);
    const flag = flagValue;
    let variants = { ...router_flag/* DEFAULT_VARIANTS */.he };
    if (map.variants !== undefined && map.variants !== null) {
        const v = map.variants;
        if (typeof v !== 'object' || Array.isArray(v))
            fail(`${named('variants')} must be a mapping { off: <variant>, on: <variant> }, got ${(0,util/* describeValue */.bp)(v)}.`);
        const m = v;
        const extra = Object.keys(m).filter((k) => k !== 'off' && k !== 'on');
        if (extra.length > 0)
            fail(`${named('variants')} has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: off, on.`);
        for (const state of ['off', 'on']) {
            if (m[state] === undefined || m[state] === null)
                continue;
            const label = m[state];
            if (typeof label !== 'string' || !VARIANT.test(label))
                fail(`${named(`variants.${state}`)} is ${shown(label)}; allowed: the name of one of the flag's variants (1 to 64 printable characters), e.g. ${state}.`);
            variants[state] = label;
        }
        variants = { off: variants.off, on: variants.on };
    }
    if (variants.off === variants.on)
        fail(`${named('variants.off')} and ${named('variants.on')} are both ${(0,action_kit/* quote */.hD)(variants.off)}; the flag's off and on states need two different variants.`);
    let source;
    const hasFile = present(map, 'file');
    const hasConfigMap = present(map, 'configmap');
    if (hasFile && hasConfigMap)
        fail(`${named('file')} and ${named('configmap')} are both given; give one: the definitions file's path, or { namespace, name, key } of a ConfigMap.`);
    if (hasFile) {
        const v = map.file;
        if (typeof v !== 'string' || !(0,external_node_path_.isAbsolute)(v.trim()) || /[\0\n\r]/.test(v))
            fail(`${named('file')} is ${shown(v)}; allowed: the absolute path of the flagd definitions file (JSON), e.g. /etc/flagd/flags.json.`);
        if (present(map, 'context'))
            fail(`${named('context')} is for a ConfigMap ('configmap'), not for 'file'.`);
        source = { kind: 'file', path: (0,external_node_path_.normalize)(v.trim()) };
    }
    else if (hasConfigMap) {
        const v = map.configmap;
        if (typeof v !== 'object' || v === null || Array.isArray(v))
            fail(`${named('configmap')} must be a mapping { namespace, name, key }, got ${(0,util/* describeValue */.bp)(v)}.`);
        const m = v;
        const extra = Object.keys(m).filter((k) => !CONFIGMAP_KEYS.includes(k));
        if (extra.length > 0)
            fail(`${named('configmap')} has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: ${CONFIGMAP_KEYS.join(', ')}.`);
        const part = (key, valid, rule) => {
            const p = m[key];
            if (!present(m, key))
                return fail(`${named(`configmap.${key}`)} is required: ${rule}.`);
            if (typeof p !== 'string' || !valid(p.trim()))
                return fail(`${named(`configmap.${key}`)} is ${shown(p)}; allowed: ${rule}.`);
            return p.trim();
        };
        const namespace = part('namespace', isNamespace, 'a namespace name (lower-case letters, digits and -, at most 63)');
        const name = part('name', isObjectName, 'a ConfigMap name (lower-case letters, digits, - and ., at most 253)');
        const key = part('key', (s) => s.length <= 253 && CONFIGMAP_KEY.test(s), "the key in the ConfigMap's data holding the definitions (letters, digits, - _ ., at most 253), e.g. flags.json");
        let context;
        if (map.context !== undefined && map.context !== null) {
            const c = map.context;
            if (typeof c !== 'string' || c.trim() === '' || /[\n\r]/.test(c))
                fail(`${named('context')} must be the name of a kubeconfig context, got ${(0,util/* describeValue */.bp)(c)}.`);
            context = c.trim();
        }
        source = { kind: 'configmap', namespace, name, key, ...(context ? { context } : {}) };
    }
    else {
        return fail(`${named('file')} or ${named('configmap')} is required for type flagd: the absolute path of the definitions file, or { namespace, name, key } of the ConfigMap holding them.`);
    }
    let timeout = 10_000;
    if (map.timeout !== undefined && map.timeout !== null) {
        const v = map.timeout;
        let ms = NaN;
        try {
            ms = (0,action_kit/* parseDuration */.E9)(`router.timeout`, String(v));
        }
        catch {
            ms = NaN;
        }
        if (!(ms >= 100 && ms <= 120_000))
            fail(`${named('timeout')} is ${shown(v)}; allowed: a duration from 100ms to 2m, e.g. 10s.`);
        timeout = ms;
    }
    let name = `flagd ${flag}`;
    if (map.name !== undefined && map.name !== null) {
        const v = map.name;
        if (typeof v !== 'string' || !flagd_config_ROUTER_NAME.test(v))
            fail(`${named('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "checkout flag (eu)".`);
        name = v;
    }
    return {
        type: 'flagd',
        name,
        flag,
        variants,
        source,
        slots: { blue: [variants.off], green: [variants.on] },
        timeout,
    };
}
/** Where the definitions are, for logs: a path, or the ConfigMap and key. Never a credential. */
function flagdWhere(source) {
    if (source.kind === 'file')
        return source.path;
    return `ConfigMap ${source.namespace}/${source.name} key ${source.key}${source.context ? ` (context ${source.context})` : ''}`;
}
/** For logs: the flag and where its definition is. */
function flagdDescribe(config) {
    const what = `flagd flag ${config.flag} in ${flagdWhere(config.source)}`;
    return config.name === `flagd ${config.flag}` ? what : `${config.name} (${what})`;
}
/** What makes two flagd configs the same router: the same flag in the same definitions. */
function flagdKey(config) {
    const s = config.source;
    const where = s.kind === 'file'
        ? `file ${s.path}`
        : `configmap ${s.context ?? ''} ${s.namespace} ${s.name} ${s.key}`;
    return `flagd ${where} ${config.flag}`;
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/unleash-config.js
/**
 * The `router` mapping for `type: unleash`, validated before anything talks to Unleash: the
 * server's base URL, an admin API token (a secret), optionally a client (backend) token to
 * confirm through the client API what SDKs are served, the project, environment and flag, and
 * the flexibleRollout strategy cutover owns there (stickiness, group id, constraints).
 * What only the server knows (the flag, project, environment and context fields exist) is
 * checked by the router before its first write (packages/router/unleash.ts).
 */




/** Unleash's constraint operators (8.2): which take a list (`values`) and which one `value`. */
const UNLEASH_LIST_OPERATORS = [
    'IN',
    'NOT_IN',
    'STR_CONTAINS',
    'STR_STARTS_WITH',
    'STR_ENDS_WITH',
];
const UNLEASH_VALUE_OPERATORS = [
    'NUM_EQ',
    'NUM_GT',
    'NUM_GTE',
    'NUM_LT',
    'NUM_LTE',
    'DATE_AFTER',
    'DATE_BEFORE',
    'SEMVER_EQ',
    'SEMVER_GT',
    'SEMVER_LT',
];
const UNLEASH_OPERATORS = [...UNLEASH_LIST_OPERATORS, ...UNLEASH_VALUE_OPERATORS];
const UNLEASH_KEYS = [
    'type',
    'name',
    'url',
    'token',
    'client-token',
    'project',
    'environment',
    'flag',
    'stickiness',
    'group-id',
    'constraints',
    'variants',
    'timeout',
    'propagation-timeout',
];
const CONSTRAINT_KEYS = ['context', 'operator', 'values', 'value', 'inverted', 'case-insensitive'];
const unleash_config_ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u;
/** Unleash's feature names: URL-friendly (letters, digits, - _ . ~), at most 100. */
const UNLEASH_NAME = /^[A-Za-z0-9_.~-]{1,100}$/;
/** Project and environment ids. */
const UNLEASH_ID = /^[A-Za-z0-9_.~-]{1,100}$/;
/** A context field's name. */
const CONTEXT_NAME = /^[A-Za-z0-9_.~-]{1,100}$/;
const unleash_config_VARIANT = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,62}[^\s\p{Cc}])?$/u;
const MAX_CONSTRAINTS = 30;
const MAX_VALUES = 1000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
function parseUnleashConfig(map, options = {}) {
    const { fail, named, shown, present } = configFields(map, 'unleash', UNLEASH_KEYS, options, ' (and services)');
    const text = (key, pattern, rule, fallback) => {
        if (!present(map, key)) {
            if (fallback !== undefined)
                return fallback;
            return fail(`${named(key)} is required for type unleash: ${rule}.`);
        }
        const v = map[key];
        if (typeof v !== 'string' || !pattern.test(v.trim()))
            return fail(`${named(key)} is ${shown(v)}; allowed: ${rule}.`);
        return v.trim();
    };
    /** A secret: its value never appears in a message. */
    const secret = (key, rule) => {
        if (!present(map, key))
            return undefined;
        const v = map[key];
        if (typeof v !== 'string' || v.trim() === '' || /[\s\p{Cc}]/u.test(v.trim()))
            return fail(`${named(key)} must be ${rule}: one string without blanks (its value is not shown).`);
        return v.trim();
    };
    const urlText = text('url', /^\S+$/, "the Unleash server's base URL, e.g. https://unleash.example.com (the API is under /api)");
    try {
        (0,util/* parseHttpUrl */.f$)('router.url', urlText);
    }
    catch (e) {
        // parseHttpUrl never echoes a URL that holds credentials; neither do we.
        const withCredentials = /user name or password/.test(e.message);
        fail(`${named('url')} ${withCredentials ? 'has a user name or password in it' : `is ${shown(urlText)}`}; allowed: an http(s) URL of the Unleash server, e.g. https://unleash.example.com, without credentials (the token goes in 'token').`);
    }
    const url = urlText.replace(/\/+$/, '').replace(/\/api$/, '');
    const tokenRule = 'an Unleash admin API token (a personal access token or an admin token), e.g. ${{ secrets.UNLEASH_ADMIN_TOKEN }}';
    const token = secret('token', tokenRule);
    if (token === undefined)
        fail(`${named('token')} is required for type unleash: ${tokenRule}.`);
    const clientToken = secret('client-token', "a client (backend) token of the flag's environment, e.g. ${{ secrets.UNLEASH_CLIENT_TOKEN }}");
    const project = text('project', UNLEASH_ID, "the flag's project id (letters, digits, - _ . ~), default default", 'default');
    const environment = text('environment', UNLEASH_ID, 'the environment whose strategy is walked, e.g. production (letters, digits, - _ . ~)');
    const flag = text('flag', UNLEASH_NAME, "the flag's name in Unleash (letters, digits, - _ . ~, at most 100), e.g. new-checkout");
    const stickiness = text('stickiness', CONTEXT_NAME, 'the context field that keeps a user in or out as the rollout grows: userId (default), sessionId, random, default, or a custom field marked for stickiness', 'userId');
    const groupId = text('group-id', /^[^\s\p{Cc}](?:[^\p{Cc}]{0,98}[^\s\p{Cc}])?$/u, 'the group id the rollout hashes users with (default: the flag name); flags with the same group id expose the same users', flag);
    const constraints = [];
    if (map.constraints !== undefined && map.constraints !== null) {
        const list = map.constraints;
        if (!Array.isArray(list))
            fail(`${named('constraints')} must be a list of { context, operator, values | value }, got ${(0,util/* describeValue */.bp)(list)}.`);
        if (list.length > MAX_CONSTRAINTS)
            fail(`${named('constraints')} lists ${list.length} constraints; allowed: at most ${MAX_CONSTRAINTS}.`);
        for (const [i, item] of list.entries()) {
            constraints.push(parseConstraint(item, `constraints[${i}]`, { fail, named, shown, present }));
        }
    }
    let variants = { ...router_flag/* DEFAULT_VARIANTS */.he };
    if (map.variants !== undefined && map.variants !== null) {
        const v = map.variants;
        if (typeof v !== 'object' || Array.isArray(v))
            fail(`${named('variants')} must be a mapping { off: <label>, on: <label> }, got ${(0,util/* describeValue */.bp)(v)}.`);
        const m = v;
        const extra = Object.keys(m).filter((k) => k !== 'off' && k !== 'on');
        if (extra.length > 0)
            fail(`${named('variants')} has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: off, on.`);
        for (const state of ['off', 'on']) {
            if (m[state] === undefined || m[state] === null)
                continue;
            const label = m[state];
            if (typeof label !== 'string' || !unleash_config_VARIANT.test(label))
                fail(`${named(`variants.${state}`)} is ${shown(label)}; allowed: the label the application puts on its metrics with the flag ${state} (1 to 64 printable characters), e.g. ${state}.`);
            variants[state] = label;
        }
        variants = { off: variants.off, on: variants.on };
    }
    if (variants.off === variants.on)
        fail(`${named('variants.off')} and ${named('variants.on')} are both ${(0,action_kit/* quote */.hD)(variants.off)}; the gate needs two different labels to tell the users apart.`);
    const duration = (key, fallback, min, max, rule) => {
        if (!present(map, key))
            return fallback;
        const v = map[key];
        let ms = NaN;
        try {
            ms = (0,action_kit/* parseDuration */.E9)(`router.${key}`, String(v));
        }
        catch {
            ms = NaN;
        }
        if (!(ms >= min && ms <= max))
            return fail(`${named(key)} is ${shown(v)}; allowed: ${rule}.`);
        return ms;
    };
    const timeout = duration('timeout', 10_000, 100, 120_000, 'a duration from 100ms to 2m, e.g. 10s (each request to Unleash, its whole answer included)');
    const propagationTimeout = duration('propagation-timeout', 30_000, 1000, 600_000, "a duration from 1s to 10m, e.g. 30s (how long Unleash's client API may take to serve a change)");
    let name = `unleash ${flag}`;
    if (present(map, 'name')) {
        const v = map.name;
        if (typeof v !== 'string' || !unleash_config_ROUTER_NAME.test(v))
            fail(`${named('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "checkout flag (eu)".`);
        name = v;
    }
    return {
        type: 'unleash',
        name,
        url,
        token: token,
        ...(clientToken !== undefined ? { clientToken } : {}),
        project,
        environment,
        flag,
        stickiness,
        groupId,
        constraints,
        variants,
        slots: { blue: [variants.off], green: [variants.on] },
        timeout,
        propagationTimeout,
    };
}
function parseConstraint(item, path, h) {
    const { fail, named, shown, present } = h;
    if (typeof item !== 'object' || item === null || Array.isArray(item))
        return fail(`${named(path)} must be a mapping { context, operator, values | value }, got ${(0,util/* describeValue */.bp)(item)}.`);
    const m = item;
    const extra = Object.keys(m).filter((k) => !CONSTRAINT_KEYS.includes(k));
    if (extra.length > 0)
        fail(`${named(path)} has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: ${CONSTRAINT_KEYS.join(', ')}.`);
    const context = m.context;
    if (typeof context !== 'string' || !CONTEXT_NAME.test(context.trim()))
        fail(`${named(`${path}.context`)} is ${shown(context)}; allowed: the name of an Unleash context field, e.g. userId, region or currentTime.`);
    const op = typeof m.operator === 'string' ? m.operator.trim().toUpperCase() : m.operator;
    if (!UNLEASH_OPERATORS.includes(op))
        fail(`${named(`${path}.operator`)} is ${shown(m.operator)}; allowed: ${UNLEASH_OPERATORS.join(', ')}.`);
    const operator = op;
    const out = { contextName: context.trim(), operator };
    const isList = UNLEASH_LIST_OPERATORS.includes(operator);
    if (isList) {
        if (present(m, 'value'))
            fail(`${named(`${path}.value`)} is for the one-value operators (${UNLEASH_VALUE_OPERATORS.join(', ')}); ${operator} takes 'values', a list.`);
        const raw = typeof m.values === 'string' || typeof m.values === 'number' ? [m.values] : m.values;
        if (!Array.isArray(raw) || raw.length === 0)
            fail(`${named(`${path}.values`)} is required for ${operator}: a list of the values to match, e.g. [eu-west, eu-central].`);
        const values = raw;
        if (values.length > MAX_VALUES)
            fail(`${named(`${path}.values`)} lists ${values.length} values; allowed: at most ${MAX_VALUES}.`);
        out.values = values.map((v, j) => {
            if ((typeof v !== 'string' && typeof v !== 'number') || String(v).trim() === '')
                return fail(`${named(`${path}.values[${j}]`)} is ${shown(v)}; allowed: a non-empty string or number.`);
            return String(v).trim();
        });
    }
    else {
        if (present(m, 'values'))
            fail(`${named(`${path}.values`)} is for the list operators (${UNLEASH_LIST_OPERATORS.join(', ')}); ${operator} takes one 'value'.`);
        const v = m.value instanceof Date ? m.value.toISOString() : m.value;
        if ((typeof v !== 'string' && typeof v !== 'number') || String(v).trim() === '')
            return fail(`${named(`${path}.value`)} is required for ${operator}: ${operator.startsWith('DATE') ? 'an ISO 8601 date, e.g. 2026-12-24T00:00:00Z' : operator.startsWith('NUM') ? 'a number' : 'a semantic version, e.g. 1.2.3'}.`);
        const value = String(v).trim();
        if (operator.startsWith('DATE') && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))))
            fail(`${named(`${path}.value`)} is ${shown(v)}; allowed: an ISO 8601 date for ${operator}, e.g. 2026-12-24T00:00:00Z.`);
        if (operator.startsWith('NUM') && !Number.isFinite(Number(value)))
            fail(`${named(`${path}.value`)} is ${shown(v)}; allowed: a number for ${operator}.`);
        if (operator.startsWith('SEMVER') && !SEMVER.test(value))
            fail(`${named(`${path}.value`)} is ${shown(v)}; allowed: a semantic version for ${operator}, e.g. 1.2.3.`);
        out.value = operator.startsWith('DATE') ? new Date(value).toISOString() : value;
    }
    for (const [key, prop] of [
        ['inverted', 'inverted'],
        ['case-insensitive', 'caseInsensitive'],
    ]) {
        if (m[key] === undefined || m[key] === null)
            continue;
        if (typeof m[key] !== 'boolean')
            fail(`${named(`${path}.${key}`)} is ${shown(m[key])}; allowed: true or false.`);
        out[prop] = m[key];
    }
    return out;
}
/** The values to mask before anything is logged: the admin token and the client token. */
function unleashSecrets(config) {
    return [config.token, config.clientToken].filter((s) => !!s);
}
/** For logs: the flag, its project and environment, and the server. Never a credential. */
function unleashDescribe(config) {
    const what = `unleash flag ${config.flag} (project ${config.project}, environment ${config.environment}) at ${config.url}`;
    return config.name === `unleash ${config.flag}` ? what : `${config.name} (${what})`;
}
/** What makes two unleash configs the same router: the same flag in the same environment. */
function unleashKey(config) {
    return `unleash ${config.url} ${config.project} ${config.environment} ${config.flag}`;
}
/** For logs: a constraint as Unleash's UI shows it, e.g. `region IN [eu]`. */
function describeConstraint(c) {
    const what = c.values ? `[${c.values.join(', ')}]` : (c.value ?? '');
    return `${c.contextName} ${c.inverted ? 'NOT ' : ''}${c.operator} ${what}${c.caseInsensitive ? ' (case-insensitive)' : ''}`;
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/config.js
/**
 * The `router` input: one YAML mapping, or a list of them (an HA pair, one per zone), validated
 * here, once, before anything talks to a router. Every error names the input, the field
 * (`router[1].slots.blue[0]`), the value and what is allowed.
 */








const ROUTER_TYPES = ['haproxy', 'nginx', 'kubernetes', 'dns', 'flagd', 'unleash'];
/** A service's name, as the traffic actions' `service` input allows it. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Services one router may list. */
const MAX_SERVICES = 100;
const KEYS = {
    haproxy: [
        'type',
        'name',
        'address',
        'backend',
        'slots',
        'timeout',
        'match-map',
        'match-backends',
    ],
    nginx: [
        'type',
        'name',
        'upstream-file',
        'read',
        'write',
        'upstream',
        'slots',
        'test',
        'reload',
        'workers',
        'pid-file',
        'timeout',
        'match-file',
    ],
};
const SERVER_NAME = /^[A-Za-z0-9_.:-]+$/;
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const config_ROUTER_NAME = /^[^\s\p{Cc}][^\p{Cc}]{0,62}[^\s\p{Cc}]$|^[^\s\p{Cc}]$/u;
/** More servers than this per slot is a configuration mistake, not a topology. */
const MAX_SERVERS_PER_SLOT = 64;
/** Routers in one `router` list. */
const MAX_ROUTERS = 16;
/** A value for an error message: quoted and capped, never a whole blob. */
function shown(value) {
    if (typeof value === 'string')
        return (0,action_kit/* quote */.hD)(value.length > 80 ? `${value.slice(0, 80)}…` : value);
    return (0,util/* describeValue */.bp)(value);
}
/**
 * The `router` input: one mapping or a list of mappings, every entry validated before any is
 * used. A list of one is the same as the mapping.
 */
function parseRouterConfigs(value, options = {}) {
    const input = options.input ?? 'router';
    if (!Array.isArray(value))
        return [parseOne(value, options, '')];
    if (value.length === 0)
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}': is an empty list; give one router mapping, or a list of them.`);
    if (value.length > MAX_ROUTERS)
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}': lists ${value.length} routers; allowed: at most ${MAX_ROUTERS}.`);
    const configs = value.map((entry, i) => parseOne(entry, options, `${input}[${i}].`));
    const seen = new Map();
    configs.forEach((config, i) => {
        const key = routerKey(config);
        const first = seen.get(key);
        if (first !== undefined)
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}': '${input}[${i}]' is the same router as '${input}[${first}]' (${describeConfig(config)}); list each router once.`);
        seen.set(key, i);
    });
    const types = new Set(configs.map((c) => c.type));
    if (types.size > 1)
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}': mixes router types (${[...types].join(', ')}); all routers of a list must be of one type, since they carry the same servers.`);
    return configs;
}
/** One router mapping (a list is refused: use parseRouterConfigs for the `router` input). */
function parseRouterConfig(value, options = {}) {
    if (Array.isArray(value)) {
        const configs = parseRouterConfigs(value, options);
        if (configs.length === 1)
            return configs[0];
        throw new ConfigurationError(`Input '${options.input ?? 'router'}': lists ${configs.length} routers, but this step takes one router mapping.`);
    }
    return parseOne(value, options, '');
}
/** One router mapping: its `services:` (any type) here, the rest by its type. */
function parseOne(value, options, prefix) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !('services' in value))
        return parseRouter(value, options, prefix);
    const { services, ...rest } = value;
    const config = parseRouter(rest, options, prefix);
    return { ...config, services: parseServices(services, options.input ?? 'router', prefix) };
}
/** `services: [orders, ...]` (one name alone is a list of one): service names, each once. */
function parseServices(value, input, prefix) {
    const fail = (message, at = '') => {
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}': '${prefix}services${at}' ${message}`);
    };
    const list = typeof value === 'string' ? [value] : value;
    if (Array.isArray(list) && list.length === 0)
        fail('is an empty list; list the services this router serves, e.g. [orders, payments].');
    if (!Array.isArray(list))
        fail(`is ${shown(value)}; allowed: a list of the services this router serves, e.g. [orders, payments].`);
    const names = list;
    if (names.length > MAX_SERVICES)
        fail(`lists ${names.length} services; allowed: at most ${MAX_SERVICES}.`);
    const seen = new Set();
    names.forEach((name, i) => {
        if (typeof name !== 'string' || !SERVICE_NAME.test(name))
            fail(`is ${shown(name)}; allowed: a service name of 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.`, `[${i}]`);
        if (seen.has(name))
            fail(`names ${shown(name)} twice; list each service once.`);
        seen.add(name);
    });
    return names;
}
function parseRouter(value, options, prefix) {
    const input = options.input ?? 'router';
    const fail = (message) => {
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}': ${message}`);
    };
    /** A field's name as the user wrote it: `slots.blue` alone, `router[1].slots.blue` in a list. */
    const field = (path) => `'${prefix}${path}'`;
    /** This list entry, quoted (`'router[1]'`), or nothing for a single mapping. */
    const entry = prefix === '' ? '' : `'${prefix.slice(0, -1)}' `;
    if (value === undefined || value === null || value === '')
        fail(`${entry}is required: a YAML mapping with at least \`type\`.`);
    if (typeof value !== 'object' || Array.isArray(value)) {
        fail(prefix === ''
            ? `must be a YAML mapping (type, address, ...) or a list of them, got ${(0,util/* describeValue */.bp)(value)}.`
            : `${entry}must be a YAML mapping (type, address, ...), got ${(0,util/* describeValue */.bp)(value)}.`);
    }
    const map = value;
    const type = map.type;
    if (!ROUTER_TYPES.includes(type)) {
        fail(`${field('type')} is ${shown(type)}; allowed: ${ROUTER_TYPES.join(', ')}.`);
    }
    // Kubernetes validates its own keys (packages/router/kubernetes-config.ts).
    if (type === 'kubernetes')
        return parseKubernetesConfig(map, { fail, field: (key) => `${prefix}${key}` });
    // DNS too (packages/router/dns-config.ts).
    if (type === 'dns')
        return parseDnsConfig(map, { fail, field: (key) => `${prefix}${key}` });
    // A flagd flag too (packages/router/flagd-config.ts).
    if (type === 'flagd')
        return parseFlagdConfig(map, { fail, field: (key) => `${prefix}${key}` });
    // An Unleash flag too (packages/router/unleash-config.ts).
    if (type === 'unleash')
        return parseUnleashConfig(map, { fail, field: (key) => `${prefix}${key}` });
    const routerType = type;
    const unknown = Object.keys(map).filter((k) => !KEYS[routerType].includes(k));
    if (unknown.length > 0) {
        fail(`unknown key ${unknown.map((k) => shown(k)).join(', ')}${prefix ? ` in ${prefix.slice(0, -1)}` : ''} for type ${routerType}; allowed: ${KEYS[routerType].join(', ')}.`);
    }
    const present = (key) => map[key] !== undefined && map[key] !== null;
    const text = (key, pattern, what) => {
        const v = map[key];
        if (v === undefined || v === null || v === '')
            fail(`${field(key)} is required for type ${routerType}.`);
        if (typeof v !== 'string' && typeof v !== 'number')
            fail(`${field(key)} must be a string, got ${(0,util/* describeValue */.bp)(v)}.`);
        const s = String(v).trim();
        if (pattern && !pattern.test(s))
            fail(`${field(key)} is ${shown(s)}; allowed: ${what}.`);
        return s;
    };
    const slots = (pattern, what) => {
        const v = map.slots;
        if (v === undefined || v === null)
            fail(`${field('slots')} is required: { blue: ..., green: ... } with ${what}.`);
        if (typeof v !== 'object' || Array.isArray(v))
            fail(`${field('slots')} must be a mapping { blue: ..., green: ... }, got ${(0,util/* describeValue */.bp)(v)}.`);
        const m = v;
        const extra = Object.keys(m).filter((k) => !domain_slots/* SLOTS */._f.includes(k));
        if (extra.length > 0)
            fail(`${field('slots')} has unknown key ${extra.map((k) => shown(k)).join(', ')}; allowed: blue, green.`);
        const out = {};
        const owner = new Map();
        for (const slot of domain_slots/* SLOTS */._f) {
            const s = m[slot];
            if (s === undefined || s === null || s === '' || (Array.isArray(s) && s.length === 0))
                fail(`${field(`slots.${slot}`)} is required: ${what}.`);
            const list = Array.isArray(s) ? s : [s];
            if (list.length > MAX_SERVERS_PER_SLOT)
                fail(`${field(`slots.${slot}`)} lists ${list.length} servers; allowed: at most ${MAX_SERVERS_PER_SLOT}.`);
            out[slot] = list.map((server, i) => {
                const path = Array.isArray(s) ? `slots.${slot}[${i}]` : `slots.${slot}`;
                if (typeof server !== 'string' && typeof server !== 'number')
                    fail(`${field(path)} is ${(0,util/* describeValue */.bp)(server)}; allowed: ${what}.`);
                const name = String(server).trim();
                if (!pattern.test(name))
                    fail(`${field(path)} is ${shown(server)}; allowed: ${what}.`);
                const first = owner.get(name);
                if (first !== undefined)
                    fail(first.startsWith(`slots.${slot}`)
                        ? `${field(path)} is ${shown(name)} again (already ${field(first)}); each server once.`
                        : `${field(first)} and ${field(path)} are both ${shown(name)}; the two slots must differ.`);
                owner.set(name, path);
                return name;
            });
        }
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
            return fail(`${field('timeout')} is ${shown(v)}; allowed: a duration from 100ms to 2m, e.g. 5s.`);
        }
    };
    const argv = (key, example, options = {}) => {
        const v = map[key];
        if (!Array.isArray(v) ||
            v.some((a) => typeof a !== 'string' && typeof a !== 'number') ||
            (!options.allowEmpty && (v.length === 0 || String(v[0]).trim() === ''))) {
            return fail(`${field(key)} must be a command as a YAML list of arguments, e.g. ${example}${options.allowEmpty ? ' ([] to skip it)' : ''}; got ${shown(Array.isArray(v) ? v.join(' ') : v)}.`);
        }
        return v.map(String);
    };
    const haproxyMatch = (backend) => {
        const file = text('match-map');
        if (!file.startsWith('/') || /[\s;\\#]/.test(file))
            fail(`${field('match-map')} is ${shown(file)}; allowed: the absolute path of the map file, as the HAProxy config's map_reg() names it (no spaces, ';', '#' or '\\').`);
        const v = map['match-backends'];
        const backends = { blue: `${backend}-blue`, green: `${backend}-green` };
        if (v !== undefined && v !== null) {
            if (typeof v !== 'object' || Array.isArray(v))
                fail(`${field('match-backends')} must be a mapping { blue: <backend>, green: <backend> }, got ${(0,util/* describeValue */.bp)(v)}.`);
            const m = v;
            const extra = Object.keys(m).filter((k) => !domain_slots/* SLOTS */._f.includes(k));
            if (extra.length > 0)
                fail(`${field('match-backends')} has unknown key ${extra.map((k) => shown(k)).join(', ')}; allowed: blue, green.`);
            for (const slot of domain_slots/* SLOTS */._f) {
                const b = m[slot];
                if (b === undefined)
                    continue;
                if (typeof b !== 'string' || !SERVER_NAME.test(b))
                    fail(`${field(`match-backends.${slot}`)} is ${shown(b)}; allowed: a backend name (letters, digits, _ . : -).`);
                backends[slot] = b;
            }
        }
        return { map: file, backends };
    };
    const name = (fallback) => {
        if (!present('name'))
            return fallback;
        const v = map.name;
        if (typeof v !== 'string' || !config_ROUTER_NAME.test(v))
            fail(`${field('name')} is ${shown(v)}; allowed: a label of 1 to 64 printable characters, e.g. "haproxy web (zone a)".`);
        return v;
    };
    if (routerType === 'haproxy') {
        const address = text('address');
        const backend = text('backend', SERVER_NAME, 'a backend name (letters, digits, _ . : -)');
        return {
            type: 'haproxy',
            name: name(`haproxy ${backend}`),
            address: parseHaproxyAddress(address, (m) => fail(`${field('address')} ${m}`)),
            backend,
            slots: slots(SERVER_NAME, 'server names in that backend'),
            timeout: timeout(),
            ...(present('match-map') ? { match: haproxyMatch(backend) } : {}),
        };
    }
    const upstream = text('upstream', /^[A-Za-z0-9_.-]+$/, 'an upstream block name (letters, digits, _ . -)');
    let access;
    if (present('upstream-file')) {
        if (present('read') || present('write'))
            fail(`${field('upstream-file')} and ${field(present('read') ? 'read' : 'write')} are both given; use 'upstream-file' for a local nginx, or 'read' and 'write' commands for a remote one.`);
        const file = text('upstream-file');
        const pidFile = present('pid-file') ? text('pid-file') : '/run/nginx.pid';
        const absolute = (p) => ((0,external_node_path_.isAbsolute)(p) ? p : (0,external_node_path_.resolve)(options.workspace ?? '.', p));
        access = { kind: 'local', upstreamFile: absolute(file), pidFile: absolute(pidFile) };
    }
    else if (present('read') || present('write')) {
        if (!present('read') || !present('write'))
            fail(`${field(present('read') ? 'write' : 'read')} is required with ${field(present('read') ? 'read' : 'write')}: a remote nginx needs both commands.`);
        if (present('pid-file'))
            fail(`${field('pid-file')} is for a local nginx ('upstream-file'); with 'read'/'write' commands give 'workers'.`);
        if (!present('workers'))
            fail(`${field('workers')} is required with 'read'/'write' commands: a command that lists the nginx master's children as "pid args" lines, so the reload can be awaited (e.g. [ssh, lb1, 'ps -o pid=,args= --ppid "$(cat /run/nginx.pid)"']).`);
        // Their defaults (nginx -t, nginx -s reload) run on the runner, not where read/write reach.
        const local = ['test', 'reload'].filter((key) => !present(key));
        if (local.length > 0)
            fail(`${local.map(field).join(' and ')} ${local.length === 1 ? 'is' : 'are'} required with 'read'/'write' commands: the default${local.length === 1 ? '' : 's'} (${local.map((key) => (key === 'test' ? 'nginx -t' : 'nginx -s reload')).join(', ')}) would run on the runner, not on the nginx that 'read' and 'write' reach. Give commands that run there, e.g. test: [ssh, lb1, nginx, -t] ([] to skip the test) and reload: [ssh, lb1, nginx, -s, reload].`);
        access = {
            kind: 'command',
            read: argv('read', '[ssh, lb1, cat, /etc/nginx/conf.d/upstream.conf]'),
            write: argv('write', "[ssh, lb1, 'cat > /etc/nginx/conf.d/upstream.conf.new && mv /etc/nginx/conf.d/upstream.conf.new /etc/nginx/conf.d/upstream.conf']"),
        };
    }
    else {
        return fail(`${field('upstream-file')} is required for type nginx (or 'read' and 'write' commands for a remote nginx).`);
    }
    let matchFile;
    if (present('match-file')) {
        if (access.kind !== 'local')
            fail(`${field('match-file')} needs a local nginx ('upstream-file'); with 'read'/'write' commands there is no header/cookie phase.`);
        const file = text('match-file');
        matchFile = (0,external_node_path_.isAbsolute)(file) ? file : (0,external_node_path_.resolve)(options.workspace ?? '.', file);
    }
    return {
        type: 'nginx',
        name: name(`nginx ${upstream}`),
        upstream,
        access,
        slots: slots(HOST_PORT, 'host:port of the slot, as in the upstream'),
        test: present('test') ? argv('test', '[nginx, -t]', { allowEmpty: true }) : ['nginx', '-t'],
        reload: present('reload') ? argv('reload', '[nginx, -s, reload]') : ['nginx', '-s', 'reload'],
        ...(present('workers')
            ? { workers: argv('workers', '[ps, -o, "pid=,args=", --ppid, "1234"]') }
            : {}),
        ...(matchFile === undefined ? {} : { matchFile }),
        timeout: timeout(),
    };
}
function parseHaproxyAddress(address, fail) {
    if (address.startsWith('/'))
        return { kind: 'unix', path: address };
    const m = HOST_PORT.exec(address);
    const port = m ? Number(m[1]) : NaN;
    if (!m || port < 1 || port > 65535) {
        return fail(`is ${shown(address)}; allowed: host:port of the HAProxy runtime API (stats socket), or the absolute path of its unix socket.`);
    }
    const host = address.slice(0, address.lastIndexOf(':')).replace(/^\[|\]$/g, '');
    return { kind: 'tcp', host, port };
}
/** What makes two configs the same router: where it is and what it changes. */
function routerKey(config) {
    if (config.type === 'haproxy') {
        const a = config.address;
        return `haproxy ${a.kind === 'unix' ? a.path : `${a.host}:${a.port}`} ${config.backend}`;
    }
    if (config.type === 'nginx') {
        const a = config.access;
        const where = a.kind === 'local' ? a.upstreamFile : JSON.stringify([a.read, a.write]);
        return `nginx ${where} ${config.upstream}`;
    }
    if (config.type === 'dns')
        return dnsKey(config);
    if (config.type === 'flagd')
        return flagdKey(config);
    if (config.type === 'unleash')
        return unleashKey(config);
    return `kubernetes ${config.context ?? ''} ${config.namespace} ${JSON.stringify(config.route)}`;
}
/** For logs: where the router is, and its name when it is not the default. Never in records. */
function describeConfig(config) {
    if (config.type === 'kubernetes')
        return kubernetesDescribe(config);
    if (config.type === 'dns')
        return dnsDescribe(config);
    if (config.type === 'flagd')
        return flagdDescribe(config);
    if (config.type === 'unleash')
        return unleashDescribe(config);
    let where;
    let fallback;
    if (config.type === 'haproxy') {
        const a = config.address;
        where = `haproxy ${a.kind === 'unix' ? a.path : `${a.host}:${a.port}`} backend ${config.backend}`;
        fallback = `haproxy ${config.backend}`;
    }
    else {
        const file = config.access.kind === 'local'
            ? config.access.upstreamFile
            : `the file read by \`${config.access.read.join(' ')}\``;
        where = `nginx upstream ${config.upstream} in ${file}`;
        fallback = `nginx ${config.upstream}`;
    }
    return config.name === fallback ? where : `${config.name} (${where})`;
}
/** Credentials inside router configs (a DNS API key or TSIG secret, Unleash tokens), to mask before anything is logged. */
function routerSecrets(configs) {
    return configs.flatMap((c) => c.type === 'dns' ? dnsSecrets(c) : c.type === 'unleash' ? unleashSecrets(c) : []);
}
/** The input that carries a router's secrets apart from its YAML (a GitHub secret). */
const CREDENTIALS_INPUT = 'router-credentials';
/** The keys each router type takes as secrets, which `router-credentials` may carry. */
const CREDENTIAL_KEYS = {
    unleash: ['token', 'client-token'],
    dns: ['api-key', 'tsig-secret'],
};
const ALL_CREDENTIAL_KEYS = Object.values(CREDENTIAL_KEYS).flat();
const CREDENTIALS_SHAPE = "a YAML mapping of the router's secret keys, e.g. `token: …` and `client-token: …` (unleash), `api-key: …` (dns, powerdns) or `tsig-secret: …` (dns, rfc2136)";
/** Whether a router mapping (unparsed) takes `key` as a secret: by type, and for dns by provider. */
function takesCredential(map, key) {
    if (map.type === 'dns') {
        if (map.provider === 'powerdns')
            return key === 'api-key';
        if (map.provider === 'rfc2136')
            return key === 'tsig-secret';
        // An unknown provider is refused by the dns parser, with its own message.
        return CREDENTIAL_KEYS.dns?.includes(key) ?? false;
    }
    return (typeof map.type === 'string' && (CREDENTIAL_KEYS[map.type] ?? []).includes(key));
}
/**
 * `router-credentials` (the raw input text): a mapping of secret keys to their values. `mask` is
 * called with every line and every value BEFORE the text is parsed or checked, so no error
 * (a YAML one included) can print a value; messages name keys, never values. Empty: undefined.
 */
function parseRouterCredentials(raw, mask, input = CREDENTIALS_INPUT) {
    if (raw.trim() === '')
        return undefined;
    for (const line of raw.split(/\r\n|\r|\n/)) {
        const text = line.trim();
        if (text === '')
            continue;
        mask(text);
        const value = /^[^:]*:\s*(.+)$/.exec(text)?.[1]?.trim();
        if (value)
            mask(value.replace(/^(['"])(.*)\1$/, '$2'));
    }
    // fromFile: true keeps js-yaml's message from quoting the text (it is all secret).
    let parsed;
    try {
        parsed = (0,action_kit/* parseYamlInput */.PJ)(input, raw, 'the value', { fromFile: true });
    }
    catch (e) {
        // Unleash's tokens start with '*', which YAML reads as an alias unless quoted.
        throw new action_kit/* ConfigurationError */.j1(`${e.message}. Quote a value that starts with *, &, !, %, @ or a quote, e.g. token: '*:production.…' (Unleash's tokens start with *).`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' is ${Array.isArray(parsed) ? 'a list' : parsed === null || parsed === undefined ? 'empty' : `a single ${typeof parsed}`}; allowed: ${CREDENTIALS_SHAPE}. (Values are secrets and are not shown.)`);
    const entries = Object.entries(parsed);
    for (const [, value] of entries)
        if (typeof value === 'string' && value.trim())
            mask(value.trim());
    const credentials = {};
    for (const [key, value] of entries) {
        if (!ALL_CREDENTIAL_KEYS.includes(key))
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the key ${shown(key)}, which no router type takes as a secret; allowed: ${Object.entries(CREDENTIAL_KEYS)
                .map(([type, keys]) => `${keys.join(', ')} (${type})`)
                .join('; ')}.`);
        if (typeof value !== 'string' || value.trim() === '')
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}': ${(0,action_kit/* quote */.hD)(key)} is ${typeof value === 'string' || value === null ? 'empty' : `not a string (a ${Array.isArray(value) ? 'list' : typeof value})`}; allowed: the secret as one string (its value is not shown).`);
        credentials[key] = value.trim();
    }
    return credentials;
}
/**
 * The `router` value (one mapping or a list, unparsed) with `credentials` merged into every
 * router that takes each key as a secret, before it is parsed. Pure: `raw` is not changed. A key
 * that no router of the value takes, or one the router YAML sets as well, is a ConfigurationError
 * naming the input and the key, never a value. A value that is not a mapping or a list of
 * mappings is returned as it is: the router parser refuses it with its own message.
 */
function withCredentials(raw, credentials, options = {}) {
    const input = options.input ?? 'router';
    const from = options.credentialsInput ?? CREDENTIALS_INPUT;
    const keys = Object.keys(credentials ?? {});
    if (!credentials || keys.length === 0)
        return raw;
    const list = Array.isArray(raw) ? raw : [raw];
    const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (list.length === 0 || !list.every(isMap))
        return raw;
    const merged = list.map((entry) => ({ ...entry }));
    const at = (i, key) => Array.isArray(raw) ? `${input}[${i}].${key}` : `${input}.${key}`;
    for (const key of keys) {
        const targets = merged.flatMap((entry, i) => (takesCredential(entry, key) ? [i] : []));
        if (targets.length === 0) {
            const types = [...new Set(merged.map((e) => (typeof e.type === 'string' ? e.type : '?')))];
            const allowed = [
                ...new Set(merged.flatMap((e) => ALL_CREDENTIAL_KEYS.filter((k) => takesCredential(e, k)))),
            ];
            throw new action_kit/* ConfigurationError */.j1(`Input '${from}' has the key ${(0,action_kit/* quote */.hD)(key)}, which ${Array.isArray(raw) ? 'no router of' : 'the router of'} input '${input}' (type ${types.join(', ')}) takes as a secret; allowed: ${allowed.length ? allowed.join(', ') : `nothing (only ${Object.keys(CREDENTIAL_KEYS).join(' and ')} routers take secrets)`}. (Its value is not shown.)`);
        }
        for (const i of targets) {
            const entry = merged[i];
            if (key in entry)
                throw new action_kit/* ConfigurationError */.j1(`Input '${from}' has the key ${(0,action_kit/* quote */.hD)(key)}, which input '${input}' sets too ('${at(i, key)}'); give each secret in one place: in '${from}', and not in the router YAML. (Neither value is shown.)`);
            entry[key] = credentials[key];
        }
    }
    return Array.isArray(raw) ? merged : merged[0];
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/match.js
/**
 * The header/cookie phase: requests that carry a chosen header or cookie value go to one slot
 * (the canary), all others by weight. A router that can do it offers `match` (router.ts); this
 * file holds the value, its parsing (the `match` input) and the pure renderings the providers
 * share (a regular expression over the request's header block for HAProxy, nginx `map` text).
 */

/** RFC 9110 token characters: a header name. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** A header value: visible ASCII and inner spaces, no leading/trailing space. */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/;
/** RFC 6265 cookie-octet: visible ASCII but `"`, `,`, `;`, `\` and space. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{1,200}$/;
/** "header x-canary=1" */
function formatMatch(m) {
    return `${m.kind} ${m.name}=${m.value}`;
}
/**
 * The `match` input, validated before anything is contacted: `header: <name>=<value>` (a token
 * name, a printable value) or `cookie: <name>=<value>` (a token name, cookie-octets).
 */
function parseMatch(input, text) {
    const allowed = `allowed: 'header: <name>=<value>' (e.g. header: x-canary=1) or 'cookie: <name>=<value>' (e.g. cookie: canary=always)`;
    const shown = JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
    const m = /^\s*(header|cookie)\s*:\s*([^=\s]*)\s*=(.*)$/.exec(text);
    if (!m)
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${shown}; ${allowed}.`);
    const kind = m[1];
    const name = m[2];
    const value = m[3].trim();
    if (!TOKEN.test(name))
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${shown}: the ${kind} name ${JSON.stringify(name)} is not allowed; allowed: 1 to 100 token characters (letters, digits and !#$%&'*+-.^_\`|~).`);
    if (kind === 'header' && !HEADER_VALUE.test(value))
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${shown}: the header value ${JSON.stringify(value)} is not allowed; allowed: 1 to 200 printable ASCII characters (inner spaces allowed).`);
    if (kind === 'cookie' && !COOKIE_VALUE.test(value))
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${shown}: the cookie value ${JSON.stringify(value)} is not allowed; allowed: 1 to 200 printable ASCII characters but space, '"', ',', ';' and '\\'.`);
    return { kind, name, value };
}
function sameMatch(a, b) {
    if (a === null || b === null)
        return a === b;
    return a.kind === b.kind && a.name === b.name && a.value === b.value && a.slot === b.slot;
}
/** A literal for a PCRE: letters and digits as they are, every other character as \xHH. */
function regexLiteral(text) {
    return [...text]
        .map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
        .join('');
}
/** Undoes regexLiteral; undefined when `text` is not one. */
function fromRegexLiteral(text) {
    if (!/^(?:[A-Za-z0-9]|\\x[0-9a-f]{2})*$/.test(text))
        return undefined;
    return text.replace(/\\x([0-9a-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
}
/**
 * A PCRE over HAProxy's `req.hdrs` (the request's header block, one `name: value\r\n` line each)
 * that finds the match: the header name ignoring case and the exact value; or the cookie's
 * exact name=value among the Cookie header's pairs. Letters and digits only, the rest as \xHH,
 * so the runtime API's argument parser (spaces, `;`) never splits it.
 */
function headerBlockRegex(m) {
    const EOL = '[[:cntrl:]]';
    if (m.kind === 'header')
        return `(^|${EOL})(?i:${regexLiteral(m.name)}):[[:blank:]]*${regexLiteral(m.value)}${EOL}`;
    return `(^|${EOL})(?i:cookie):([^[:cntrl:]]*\\x3b)?[[:blank:]]*${regexLiteral(m.name)}=${regexLiteral(m.value)}(\\x3b|${EOL})`;
}
/** Reads headerBlockRegex back; undefined for anything else (someone else's entry). */
function parseHeaderBlockRegex(regex) {
    const lit = '((?:[A-Za-z0-9]|\\\\x[0-9a-f]{2})+)';
    const header = new RegExp(`^\\(\\^\\|\\[\\[:cntrl:\\]\\]\\)\\(\\?i:${lit}\\):\\[\\[:blank:\\]\\]\\*${lit}\\[\\[:cntrl:\\]\\]$`).exec(regex);
    const cookie = new RegExp(`^\\(\\^\\|\\[\\[:cntrl:\\]\\]\\)\\(\\?i:cookie\\):\\(\\[\\^\\[:cntrl:\\]\\]\\*\\\\x3b\\)\\?\\[\\[:blank:\\]\\]\\*${lit}=${lit}\\(\\\\x3b\\|\\[\\[:cntrl:\\]\\]\\)$`).exec(regex);
    const found = header ?? cookie;
    if (!found)
        return undefined;
    const name = fromRegexLiteral(found[1]);
    const value = fromRegexLiteral(found[2]);
    if (name === undefined || value === undefined)
        return undefined;
    return { kind: header ? 'header' : 'cookie', name, value };
}
/** The nginx variable that carries the header or cookie (`$http_x_canary`, `$cookie_canary`), or why there is none. */
function nginxVariable(m) {
    if (!/^[A-Za-z0-9_-]+$/.test(m.name))
        return {
            problem: `nginx has no variable for the ${m.kind} ${JSON.stringify(m.name)}: an nginx ${m.kind} match needs a name of letters, digits, '-' and '_'`,
        };
    return m.kind === 'header'
        ? `$http_${m.name.toLowerCase().replace(/-/g, '_')}`
        : `$cookie_${m.name}`;
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/weights.js
/** Weights as routers need them: what may be written, and raw server weights as percentages. */


/** A target a router may be asked to write: whole percentages adding up to 100. */
function assertWritable(target) {
    for (const slot of domain_slots/* SLOTS */._f) {
        const w = target[slot];
        if (!Number.isInteger(w) || w < 0 || w > 100) {
            throw new RangeError(`weight of ${slot} must be a whole number from 0 to 100, got ${w}`);
        }
    }
    if (target.blue + target.green !== 100) {
        throw new RangeError(`weights must add up to 100, got ${(0,domain_slots/* formatWeights */.V7)(target)}`);
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
/**
 * Equal integer weights for every server of a slot such that the slots' totals split traffic
 * as `target` says: per-server weight = share × k / servers, with the smallest k that makes both
 * integral within 1..maxWeight. When no k fits (HAProxy's 256 with uneven server counts), the
 * closest split whose percentages still round to `target`. A slot at 0% gets weight 0.
 */
function weights_spreadWeights(target, servers, maxWeight) {
    for (const slot of domain_slots/* SLOTS */._f) {
        if (target[slot] > 0 && servers[slot] < 1)
            throw new RangeError(`slot ${slot} has no server to take ${target[slot]}%`);
    }
    const perServer = (slot, k) => (target[slot] * k) / Math.max(1, servers[slot]);
    for (let k = 1;; k++) {
        const blue = perServer('blue', k);
        const green = perServer('green', k);
        if (blue > maxWeight || green > maxWeight)
            break;
        if (Number.isInteger(blue) && Number.isInteger(green))
            return { blue, green };
    }
    // No exact split fits: search every pair of per-server weights for the closest one.
    let best;
    const range = (slot) => target[slot] === 0 ? [0] : [...Array(maxWeight).keys()].map((i) => i + 1);
    for (const blue of range('blue')) {
        for (const green of range('green')) {
            const totalBlue = blue * servers.blue;
            const totalGreen = green * servers.green;
            if (!(0,domain_slots/* sameWeights */.ML)(toPercent(totalBlue, totalGreen), target))
                continue;
            const error = Math.abs((totalBlue * 100) / (totalBlue + totalGreen) - target.blue);
            if (!best || error < best.error)
                best = { blue, green, error };
        }
    }
    if (!best)
        throw new RangeError(`no weights up to ${maxWeight} split ${(0,domain_slots/* formatWeights */.V7)(target)} over ${servers.blue} and ${servers.green} servers`);
    return { blue: best.blue, green: best.green };
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/haproxy.js
/**
 * HAProxy through its runtime API (the `stats socket`, level admin), over TCP or a unix socket.
 * Weight changes apply instantly, with no reload and no dropped connection. A slot may have many
 * servers: its share is spread evenly over those an operator has not put in maintenance or
 * drain; those are reported and left exactly as they are.
 */





/** srv_admin_state bits that mean "no traffic": forced, inherited, config, resolver and hostname maintenance, drain. */
const ADMIN_MAINT = 0x01 | 0x02 | 0x04 | 0x20 | 0x40;
const ADMIN_DRAIN = 0x08 | 0x10;
const OP_STOPPED = 0;
/** HAProxy's largest server weight. */
const HAPROXY_MAX_WEIGHT = 256;
class HaproxyRouter {
    config;
    type = 'haproxy';
    name;
    notes = [];
    log;
    /** The header/cookie phase, when the config names the map (`match-map`). */
    match;
    constructor(config, options = {}) {
        this.config = config;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
        if (config.match) {
            const { map, backends } = config.match;
            this.match = {
                read: () => this.readMatch(map, backends),
                write: (route) => this.writeMatch(map, backends, route),
            };
        }
    }
    /** `show map <file>`: at most one entry, ours; anything else is an error, never a guess. */
    async readMatch(map, backends) {
        const reply = await this.command(`show map ${map}`);
        const entries = parseShowMap(reply);
        if (entries === undefined)
            throw new router/* RouterError */.K(`HAProxy ${this.describe()}: cannot read map ${map}: "${reply.trim().replace(/\s+/g, ' ').slice(0, 300)}" (is it the file the config's map_reg() names?)`);
        if (entries.length === 0)
            return null;
        const [entry] = entries;
        const match = entries.length === 1 && entry ? parseHeaderBlockRegex(entry.key) : undefined;
        const slot = domain_slots/* SLOTS */._f.find((s) => backends[s] === entry?.value);
        if (!match || !slot)
            throw new router/* RouterError */.K(`HAProxy ${this.describe()}: map ${map} holds entries cutover did not write (${entries
                .map((e) => `${e.key} -> ${e.value}`)
                .join('; ')
                .slice(0, 300)}); clear it (clear map ${map}) or fix it by hand`);
        return { ...match, slot };
    }
    /** Replaces the map's content in one command line (clear, add), then reads it back. */
    async writeMatch(map, backends, route) {
        // The runtime API unescapes backslashes: the regex's \xHH go over as \\xHH.
        const line = route === null
            ? `clear map ${map}`
            : `clear map ${map}; add map ${map} ${headerBlockRegex(route).replace(/\\/g, '\\\\')} ${backends[route.slot]}`;
        const reply = (await this.command(line)).trim();
        const what = route === null ? 'clearing the match' : `${formatMatch(route)} -> ${route.slot}`;
        if (reply !== '')
            throw new router/* RouterError */.K(`HAProxy ${this.describe()} did not take ${what} in map ${map}: it answered "${reply.replace(/\s+/g, ' ').slice(0, 300)}"`);
        const now = await this.readMatch(map, backends);
        if (!sameMatch(now, route))
            throw new router/* RouterError */.K(`HAProxy ${this.describe()}: map ${map} reads ${now ? `${formatMatch(now)} -> ${now.slot}` : 'no match'} after ${what}`);
    }
    describe() {
        return describeConfig(this.config);
    }
    /**
     * Sends one command line (several commands may be joined with `;`) and returns HAProxy's reply.
     * The router's `timeout` is a deadline for the whole exchange (connect, write, read to the
     * end), not for the gap between bytes: a peer that answers a byte at a time is cut off at the
     * deadline like one that never answers.
     */
    async command(line) {
        const { address, timeout } = this.config;
        const where = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;
        // Loaded here, not at start-up: an nginx user never pays for node:net.
        const { connect } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7030, 19));
        return new Promise((resolve, reject) => {
            const socket = address.kind === 'unix' ? connect(address.path) : connect(address.port, address.host);
            const chunks = [];
            let received = 0;
            let settled = false;
            const settle = (done) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(deadline);
                done();
            };
            const deadline = setTimeout(() => {
                socket.destroy();
                const got = received === 0
                    ? 'no answer'
                    : `an unfinished answer (${received} byte${received === 1 ? '' : 's'} so far)`;
                settle(() => reject(new router/* RouterError */.K(`router ${this.name}: the HAProxy runtime API at ${where} gave ${got} within the router's timeout of ${(0,action_kit/* formatDuration */.a3)(timeout)} (a deadline for the whole exchange; command: ${line})`)));
            }, timeout);
            socket.on('connect', () => socket.end(`${line}\n`));
            socket.on('data', (chunk) => {
                received += chunk.length;
                chunks.push(chunk);
            });
            socket.on('error', (e) => settle(() => reject(new router/* RouterError */.K(`router ${this.name}: cannot reach the HAProxy runtime API at ${where}: ${e.code ?? e.message}`))));
            socket.on('close', (hadError) => {
                if (!hadError)
                    settle(() => resolve(Buffer.concat(chunks).toString('utf8')));
            });
        });
    }
    /** Every slot server as HAProxy reports it now, in the config's order. */
    async state() {
        const { backend } = this.config;
        const rows = parseServersState(await this.command(`show servers state ${backend}`), backend);
        return slotState(rows, this.config);
    }
    async servers() {
        const state = await this.state();
        const out = {};
        for (const slot of domain_slots/* SLOTS */._f)
            out[slot] = state[slot].map((s) => ({ name: s.name, address: s.address }));
        return out;
    }
    async read() {
        return haproxyWeights(await this.state());
    }
    async write(target) {
        assertWritable(target);
        const { backend } = this.config;
        const before = await this.state();
        const plan = planHaproxyWrite(before, target, backend);
        for (const s of plan.skipped) {
            const note = `${this.name}: server ${backend}/${s.server} (slot ${s.slot}) is ${s.why}; left as it is (weight ${s.weight}), its slot's share went to the slot's other servers`;
            this.log.warning(note);
            if (!this.notes.includes(note))
                this.notes.push(note);
        }
        for (const s of plan.down) {
            const note = `${this.name}: server ${backend}/${s.server} (slot ${s.slot}) is DOWN by its health check; HAProxy sends its share to the other servers until it is back`;
            this.log.warning(note);
            if (!this.notes.includes(note))
                this.notes.push(note);
        }
        const weightOf = new Map(domain_slots/* SLOTS */._f.flatMap((slot) => before[slot].map((s) => [s.name, s.weight])));
        // Raise first, then lower: at no instant does a slot that should carry traffic weigh 0.
        const changes = [...plan.weights]
            .filter(([server, weight]) => weightOf.get(server) !== weight)
            .sort(([a, wa], [b, wb]) => wb - (weightOf.get(b) ?? 0) - (wa - (weightOf.get(a) ?? 0)));
        if (changes.length > 0) {
            const line = changes
                .map(([server, weight]) => `set server ${backend}/${server} weight ${weight}`)
                .join('; ');
            const reply = (await this.command(line)).trim();
            if (reply !== '') {
                const where = await this.putBack(changes.map(([server]) => server), weightOf);
                throw new router/* RouterError */.K(`HAProxy ${this.describe()} did not apply ${(0,domain_slots/* formatWeights */.V7)(target)}: it answered "${reply.replace(/\s+/g, ' ').slice(0, 300)}"; ${where}`);
            }
        }
        const after = await this.state();
        const wrong = domain_slots/* SLOTS */._f.flatMap((slot) => after[slot]).filter((s) => plan.weights.has(s.name) && plan.weights.get(s.name) !== s.weight);
        const now = haproxyWeights(after);
        if (wrong.length > 0 || !(0,domain_slots/* sameWeights */.ML)(now, target)) {
            throw new router/* RouterError */.K(`HAProxy ${this.describe()} reads ${(0,domain_slots/* formatWeights */.V7)(now)} after writing ${(0,domain_slots/* formatWeights */.V7)(target)}${wrong.length ? ` (${wrong.map((s) => `${s.name} weight ${s.weight}, expected ${plan.weights.get(s.name)}`).join(', ')})` : ''}; traffic is now ${(0,domain_slots/* formatWeights */.V7)(now)}`);
        }
    }
    /** After a refused change: every server we touched gets its weight from before, then says where traffic is. */
    async putBack(servers, weightOf) {
        try {
            const line = servers
                .map((s) => `set server ${this.config.backend}/${s} weight ${weightOf.get(s)}`)
                .join('; ');
            const reply = (await this.command(line)).trim();
            const now = (0,domain_slots/* formatWeights */.V7)(await this.read());
            return reply === ''
                ? `put back as it was: traffic is ${now}`
                : `putting it back was refused too ("${reply.replace(/\s+/g, ' ').slice(0, 200)}"): traffic is now ${now}`;
        }
        catch (e) {
            return `and putting it back failed (${e.message}): traffic is unknown, check ${this.describe()}`;
        }
    }
}
/**
 * Parses `show map <file>`: one `<ref> <key> <value>` line per entry; undefined when the answer
 * is not a map's content (an unknown map, an error).
 */
function parseShowMap(reply) {
    const lines = reply.split('\n').filter((l) => l.trim() !== '');
    const out = [];
    for (const line of lines) {
        const m = /^0x[0-9a-f]+ (\S+) (\S+)$/.exec(line.trim());
        if (!m)
            return undefined;
        out.push({ key: m[1], value: m[2] });
    }
    return out;
}
/** Each slot's servers, in the config's order; a configured server the backend lacks is an error. */
function slotState(rows, config) {
    const out = {};
    for (const slot of domain_slots/* SLOTS */._f) {
        out[slot] = config.slots[slot].map((name) => {
            const row = rows.find((r) => r.name === name);
            if (!row) {
                throw new router/* RouterError */.K(`HAProxy backend '${config.backend}' has no server '${name}' (slot ${slot}); its servers are: ${rows.map((r) => r.name).join(', ') || 'none'}`);
            }
            return row;
        });
    }
    return out;
}
/** A slot's traffic: the sum of its servers' weights, except those in maintenance or drain. */
function haproxyWeights(state) {
    const total = (slot) => state[slot].filter((s) => !s.maintenance && !s.draining).reduce((sum, s) => sum + s.weight, 0);
    return toPercent(total('blue'), total('green'));
}
/**
 * The pure decision behind a write: spread each slot's share evenly over its servers that an
 * operator left in service; refuse (nothing changed) when a slot that should carry traffic has
 * none left.
 */
function planHaproxyWrite(state, target, backend) {
    const skipped = [];
    const usable = {};
    for (const slot of domain_slots/* SLOTS */._f) {
        usable[slot] = [];
        for (const s of state[slot]) {
            if (s.maintenance || s.draining)
                skipped.push({
                    slot,
                    server: s.name,
                    why: s.maintenance ? 'in maintenance' : 'draining',
                    weight: s.weight,
                });
            else
                usable[slot].push(s);
        }
        const up = usable[slot].filter((s) => !s.down);
        if (target[slot] > 0 && up.length === 0) {
            const only = state[slot].length === 1 ? state[slot][0] : undefined;
            if (only) {
                const why = only.maintenance
                    ? 'in maintenance'
                    : only.draining
                        ? 'draining'
                        : 'DOWN by its health check';
                throw new router/* RouterError */.K(`HAProxy server ${backend}/${only.name} (slot ${slot}) is ${why}, so it cannot take ${target[slot]}% of traffic; nothing was changed`);
            }
            const why = state[slot]
                .map((s) => `${s.name} ${s.maintenance ? 'in maintenance' : s.draining ? 'draining' : 'DOWN by its health check'}`)
                .join(', ');
            throw new router/* RouterError */.K(`HAProxy backend ${backend}: no server of slot ${slot} can take ${target[slot]}% of traffic (${why}); nothing was changed`);
        }
    }
    const perServer = weights_spreadWeights(target, { blue: usable.blue.length, green: usable.green.length }, HAPROXY_MAX_WEIGHT);
    const weights = new Map();
    const down = [];
    for (const slot of domain_slots/* SLOTS */._f) {
        for (const s of usable[slot]) {
            weights.set(s.name, perServer[slot]);
            if (s.down && target[slot] > 0)
                down.push({ slot, server: s.name });
        }
    }
    return { weights, skipped, down };
}
/** Parses `show servers state <backend>`: a version line, a `#` header naming the columns, then a row per server. */
function parseServersState(reply, backend) {
    const lines = reply
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
    const header = lines.find((l) => l.startsWith('# '));
    if (!header) {
        const said = lines.join(' ').slice(0, 300);
        if (/can't find backend|no such backend/i.test(said))
            throw new router/* RouterError */.K(`HAProxy has no backend '${backend}'`);
        throw new router/* RouterError */.K(`unexpected answer from HAProxy to 'show servers state ${backend}': ${said || '(empty)'}`);
    }
    const columns = header.slice(2).split(/\s+/);
    const col = (name) => {
        const i = columns.indexOf(name);
        if (i < 0)
            throw new router/* RouterError */.K(`HAProxy's servers state has no column ${name}`);
        return i;
    };
    const [name, addr, weight, admin, op] = [
        'srv_name',
        'srv_addr',
        'srv_uweight',
        'srv_admin_state',
        'srv_op_state',
    ].map(col);
    const port = columns.indexOf('srv_port');
    return lines
        .filter((l) => !l.startsWith('#') && l.includes(' '))
        .map((l) => l.split(/\s+/))
        .map((f) => {
        const adminState = Number(f[admin]);
        const host = f[addr] ?? '';
        const p = port >= 0 ? f[port] : undefined;
        return {
            name: f[name] ?? '',
            address: p && p !== '0' && p !== '-' ? `${host.includes(':') ? `[${host}]` : host}:${p}` : host,
            weight: Number(f[weight]),
            maintenance: (adminState & ADMIN_MAINT) !== 0,
            draining: (adminState & ADMIN_DRAIN) !== 0,
            down: Number(f[op]) === OP_STOPPED,
        };
    });
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./build/tsc/packages/exec/index.js + 1 modules
var exec = __webpack_require__(179);
;// CONCATENATED MODULE: ./build/tsc/packages/router/nginx.js
/**
 * nginx through an upstream include file that this tool owns: rewritten atomically, checked
 * with `nginx -t`, loaded with a graceful reload, and awaited until no worker of the old
 * generation still accepts connections. Any failure restores the previous file, so what is on
 * disk always matches what nginx serves. Every operation is a command run through packages/exec
 * (or, for a local file, a careful file replace), so nginx may live on another host.
 */










/** nginx has no upper bound on `weight=`; this keeps the numbers readable. */
const NGINX_MAX_WEIGHT = 10_000;
/** How often the reload wait looks at the workers. */
const WORKER_POLL_MS = 10;
class NginxRouter {
    config;
    options;
    type = 'nginx';
    name;
    notes = [];
    log;
    /** The header/cookie phase, when the config names the include file (`match-file`). */
    match;
    constructor(config, options = {}) {
        this.config = config;
        this.options = options;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
        const file = config.matchFile;
        if (file)
            this.match = {
                read: async () => (await this.readMatchFile(file)).route,
                write: (route) => this.writeMatch(file, route),
            };
    }
    async readMatchFile(file) {
        let snapshot;
        try {
            snapshot = await readSnapshot(file);
        }
        catch (e) {
            throw new router/* RouterError */.K(`cannot read the nginx match file ${file}: ${e.code ?? e}. It must exist (cutover writes it; start from: ${JSON.stringify(renderMatchFile(this.config, null))})`);
        }
        const route = parseMatchFile(snapshot.text, this.config);
        if (route === undefined)
            throw new router/* RouterError */.K(`the nginx match file ${file} was not written by cutover (or was edited by hand); it must hold exactly what cutover renders, e.g. ${JSON.stringify(renderMatchFile(this.config, null))}`);
        return { route, snapshot };
    }
    /**
     * Written like the upstream file: an exclusive temp file renamed over it, `nginx -t`, reload,
     * and the reload awaited; any failure puts the previous file back (and reloads onto it).
     */
    async writeMatch(file, route) {
        const what = route === null ? 'no match' : `${formatMatch(route)} -> ${route.slot}`;
        if (route) {
            const variable = nginxVariable(route);
            if (typeof variable !== 'string')
                throw new router/* RouterError */.K(`${this.name}: ${variable.problem}`);
        }
        const { route: before, snapshot } = await this.readMatchFile(file);
        if (sameMatch(before, route))
            return;
        const oldWorkers = await this.workerPids('before the change; nothing was changed');
        const written = await (async () => {
            await replaceFile(snapshot, renderMatchFile(this.config, route));
            return readSnapshot(file);
        })();
        const putBack = async (why) => {
            const restored = await replaceFile(written, snapshot.text)
                .then(() => this.command(this.config.reload, 'reload'))
                .then(() => `restored ${file} and reloaded: new connections get ${before ? `${formatMatch(before)} -> ${before.slot}` : 'no match'}`, (r) => `restoring ${file} failed too (${r.message}): check ${this.describe()}`);
            throw new router/* RouterError */.K(`nginx did not take ${what} (${why}); ${restored}`);
        };
        try {
            if (this.config.test.length > 0)
                await this.command(this.config.test, 'configuration test');
            await this.command(this.config.reload, 'reload');
        }
        catch (e) {
            return putBack(e.message);
        }
        const deadline = Date.now() + this.config.timeout;
        for (;;) {
            if (reloadFinished(oldWorkers, await this.processes()))
                break;
            if (Date.now() >= deadline)
                return putBack(`the reload did not finish within ${this.config.timeout} ms`);
            await (0,util/* sleep */.yy)(WORKER_POLL_MS);
        }
        const after = (await this.readMatchFile(file)).route;
        if (!sameMatch(after, route))
            throw new router/* RouterError */.K(`${file} reads ${after ? `${formatMatch(after)} -> ${after.slot}` : 'no match'} after writing ${what}`);
    }
    describe() {
        return describeConfig(this.config);
    }
    async read() {
        return weightsOf(parseUpstream((await this.readFile()).text, this.config));
    }
    async servers() {
        parseUpstream((await this.readFile()).text, this.config); // every configured server is there
        const out = {};
        for (const slot of domain_slots/* SLOTS */._f)
            out[slot] = this.config.slots[slot].map((address) => ({ name: address, address }));
        return out;
    }
    async write(target) {
        assertWritable(target);
        const snapshot = await this.readFile();
        const previous = weightsOf(parseUpstream(snapshot.text, this.config)); // refuse a file we do not understand
        const next = renderUpstream(snapshot.text, this.config, target);
        // The old generation of workers, listed before anything changes: a router that cannot be
        // awaited is refused here, with nothing changed.
        const oldWorkers = await this.workerPids('before the change; nothing was changed');
        let written;
        try {
            written = await this.replace(next, snapshot);
        }
        catch (e) {
            // A write command stopped at its deadline may have replaced the file all the same: put the
            // previous text back. nginx was not reloaded either way, so it serves the previous weights.
            if (!(e instanceof WriteFailed) || !e.timedOut)
                throw e;
            const restored = await this.writeCommand(snapshot.text).then(() => `wrote the previous file back`, (r) => `writing the previous file back failed too (${r.message}): the file may say ${(0,domain_slots/* formatWeights */.V7)(target)} or ${(0,domain_slots/* formatWeights */.V7)(previous)}; fix it before nginx's next reload`);
            throw new router/* RouterError */.K(`${e.message}; ${restored}; nginx was not reloaded, traffic stays at ${(0,domain_slots/* formatWeights */.V7)(previous)}`);
        }
        try {
            if (this.config.test.length > 0)
                await this.command(this.config.test, 'configuration test');
            await this.command(this.config.reload, 'reload');
        }
        catch (e) {
            const restored = await this.replace(snapshot.text, written).then(() => `restored ${this.fileName()}`, (r) => `restoring ${this.fileName()} failed too (${r.message}): it says ${(0,domain_slots/* formatWeights */.V7)(target)} until fixed`);
            // A reload stopped at its deadline may have reached nginx: reload once more, onto the
            // restored file, rather than claim where traffic is.
            if (e instanceof CommandTimedOut && e.what === 'reload') {
                const again = await this.command(this.config.reload, 'reload').then(() => `reloaded again: new connections get ${(0,domain_slots/* formatWeights */.V7)(previous)} once nginx takes that reload`, (r) => `reloading again failed too (${r.message}): traffic is unknown, nginx serves ${(0,domain_slots/* formatWeights */.V7)(target)} or ${(0,domain_slots/* formatWeights */.V7)(previous)}; check ${this.describe()}`);
                throw new router/* RouterError */.K(`${e.message} (nginx may have taken the reload); ${restored}, ${again}`);
            }
            // nginx did not load the new file, so it still serves the previous weights.
            throw new router/* RouterError */.K(`${e.message}; ${restored}, traffic stays at ${(0,domain_slots/* formatWeights */.V7)(previous)}`);
        }
        await this.awaitReload(oldWorkers, target, previous, snapshot.text);
        const after = await this.read();
        if (!(0,domain_slots/* sameWeights */.ML)(after, target)) {
            throw new router/* RouterError */.K(`${this.fileName()} reads ${(0,domain_slots/* formatWeights */.V7)(after)} after writing ${(0,domain_slots/* formatWeights */.V7)(target)}`);
        }
    }
    fileName() {
        const a = this.config.access;
        return a.kind === 'local' ? a.upstreamFile : `the upstream file (${a.read.join(' ')})`;
    }
    async readFile() {
        const access = this.config.access;
        if (access.kind === 'command') {
            try {
                const { stdout } = await (0,exec/* run */.eF)(access.read, { timeoutMs: this.config.timeout });
                return { text: stdout };
            }
            catch (e) {
                throw new router/* RouterError */.K(`cannot read the nginx upstream file: ${commandFailure(e, 'read', this.config.timeout)}`);
            }
        }
        try {
            return await readSnapshot(access.upstreamFile);
        }
        catch (e) {
            throw new router/* RouterError */.K(`cannot read the nginx upstream file ${access.upstreamFile}: ${e.code ?? e}. It must exist and hold 'upstream ${this.config.upstream} { ... }' with a server line per slot server`);
        }
    }
    /** Replaces the file with `content` unless someone changed it since `expected` was read; returns what is there now. */
    async replace(content, expected) {
        const access = this.config.access;
        if (access.kind === 'local') {
            await replaceFile(expected, content, this.options.beforeReplace);
            return readSnapshot(access.upstreamFile);
        }
        await this.options.beforeReplace?.();
        const now = await this.readFile();
        if (now.text !== expected.text)
            throw changedMeanwhile(this.fileName());
        await this.writeCommand(content);
        return { text: content };
    }
    /** Runs the `write` command with `content` on its stdin. */
    async writeCommand(content) {
        const access = this.config.access;
        if (access.kind !== 'command')
            throw new RangeError('writeCommand needs command access');
        try {
            await (0,exec/* run */.eF)(access.write, { timeoutMs: this.config.timeout, input: content });
        }
        catch (e) {
            throw new WriteFailed(`cannot rewrite the nginx upstream file: ${commandFailure(e, 'write', this.config.timeout)}`, e instanceof exec/* CommandFailed */.nk && e.timedOut);
        }
    }
    async command(argv, what) {
        try {
            await (0,exec/* run */.eF)(argv, { timeoutMs: this.config.timeout, log: this.log });
        }
        catch (e) {
            const message = `nginx ${commandFailure(e, what, this.config.timeout)}`;
            if (e instanceof exec/* CommandFailed */.nk && e.timedOut)
                throw new CommandTimedOut(message, what);
            throw new router/* RouterError */.K(message);
        }
    }
    /** The master's children now, as `pid args` lines. */
    async processes() {
        const access = this.config.access;
        let argv = this.config.workers;
        if (!argv) {
            if (access.kind !== 'local')
                throw new router/* RouterError */.K('no `workers` command'); // parse refuses this
            let pid;
            try {
                pid = (await (0,promises_.readFile)(access.pidFile, 'utf8')).trim();
            }
            catch (e) {
                throw new router/* RouterError */.K(`cannot read nginx's pid file ${access.pidFile} (${e.code ?? e}), needed to await the reload; set the router's \`pid-file\` (nginx's \`pid\` directive) or \`workers\``);
            }
            if (!/^\d+$/.test(pid))
                throw new router/* RouterError */.K(`nginx's pid file ${access.pidFile} does not hold a process id`);
            argv = ['ps', '-o', 'pid=,args=', '--ppid', pid];
        }
        try {
            // ps exits 1 when the master has no children: an empty list, not a failure.
            const { stdout } = await (0,exec/* run */.eF)(argv, { timeoutMs: this.config.timeout, okCodes: [0, 1] });
            return parseProcesses(stdout);
        }
        catch (e) {
            throw new router/* RouterError */.K(`cannot list nginx's workers: ${commandFailure(e, 'workers', this.config.timeout)}`);
        }
    }
    async workerPids(when) {
        let list;
        try {
            list = await this.processes();
        }
        catch (e) {
            throw new router/* RouterError */.K(`${e.message} (${when})`);
        }
        const accepting = list.filter(isAcceptingWorker);
        if (accepting.length === 0)
            throw new router/* RouterError */.K(`nginx has no worker process to await a reload with (${when}); is it running, and does \`pid-file\`/\`workers\` point at its master?`);
        return new Set(accepting.map((p) => p.pid));
    }
    /**
     * nginx applies a reload asynchronously: the master starts new workers, then tells the old
     * ones to stop accepting. Done when every accepting worker is of the new generation; bounded
     * by the router's timeout, after which the previous file is put back and reloaded.
     */
    async awaitReload(oldWorkers, target, previous, previousText) {
        const deadline = Date.now() + this.config.timeout;
        let last = [];
        for (;;) {
            last = await this.processes();
            if (reloadFinished(oldWorkers, last))
                return;
            if (Date.now() >= deadline)
                break;
            await (0,util/* sleep */.yy)(WORKER_POLL_MS);
        }
        const stale = last
            .filter((p) => oldWorkers.has(p.pid) && isAcceptingWorker(p))
            .map((p) => p.pid);
        let restored;
        try {
            await this.replace(previousText, await this.readFile());
            await this.command(this.config.reload, 'reload');
            restored = `restored ${this.fileName()} and reloaded again: new connections get ${(0,domain_slots/* formatWeights */.V7)(previous)} once nginx takes that reload`;
        }
        catch (e) {
            restored = `restoring the previous file failed too (${e.message}); check nginx: the file may say ${(0,domain_slots/* formatWeights */.V7)(target)}`;
        }
        throw new router/* RouterError */.K(`nginx did not finish the reload within ${this.config.timeout} ms: old worker${stale.length === 1 ? '' : 's'} ${stale.join(', ') || '(none)'} still accepting, ${last.filter((p) => !oldWorkers.has(p.pid) && isAcceptingWorker(p)).length} new; see nginx's error log; ${restored}`);
    }
}
/** The variable the documented `proxy_pass http://$cutover_<upstream>;` reads. */
function matchVariable(config) {
    return `cutover_${config.upstream.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
/**
 * The match include file: a `map` that sets `$cutover_<upstream>` to the weighted upstream, or
 * for requests carrying the header/cookie value (exact, case-sensitive) to an upstream of the
 * slot's servers. Its first line says what it holds, so it is read back without guessing.
 */
function renderMatchFile(config, route) {
    const variable = matchVariable(config);
    const head = `# cutover match: ${JSON.stringify(route)} (written by cutover; nginx: proxy_pass http://$${variable};)\n`;
    if (route === null)
        return `${head}map "" $${variable} {\n  default ${config.upstream};\n}\n`;
    const source = nginxVariable(route);
    if (typeof source !== 'string')
        throw new router/* RouterError */.K(source.problem);
    const upstream = `${variable}_${route.slot}`;
    return `${head}upstream ${upstream} {\n${config.slots[route.slot].map((a) => `  server ${a};\n`).join('')}}\nmap ${source} $${variable} {\n  "~^${regexLiteral(route.value)}$" ${upstream};\n  default ${config.upstream};\n}\n`;
}
/** Reads renderMatchFile back: null (no match), the route, or undefined for any other text. */
function parseMatchFile(text, config) {
    const m = /^# cutover match: (.*) \(written by cutover/.exec(text);
    if (!m)
        return undefined;
    let route;
    try {
        route = JSON.parse(m[1]);
    }
    catch {
        return undefined;
    }
    try {
        return renderMatchFile(config, route) === text ? route : undefined;
    }
    catch {
        return undefined;
    }
}
/** The `write` command failed; when it was stopped at its deadline, it may have written. */
class WriteFailed extends router/* RouterError */.K {
    timedOut;
    constructor(message, timedOut) {
        super(message);
        this.timedOut = timedOut;
    }
}
/** A command stopped at the router's deadline: it may have done its work. */
class CommandTimedOut extends router/* RouterError */.K {
    what;
    constructor(message, what) {
        super(message);
        this.what = what;
    }
}
/** CommandFailed in this router's words: "reload failed (nginx -s reload: exit code 1): <last lines>". */
function commandFailure(e, what, timeoutMs) {
    if (!(e instanceof exec/* CommandFailed */.nk))
        return `${what} failed: ${e.message}`;
    const notFound = e.notFound || e.code === 127;
    const why = e.timedOut
        ? `timed out after ${timeoutMs} ms`
        : notFound
            ? 'command not found'
            : `exit code ${e.code}`;
    const lines = notFound ? '' : e.lastLines.slice(-3).join(' | ');
    return `${what} failed (${e.argv.join(' ')}: ${why})${lines ? `: ${lines}` : ''}`;
}
function changedMeanwhile(file) {
    return new router/* RouterError */.K(`${file} was changed by someone else while cutover was rewriting it; nothing was changed (their version stays): run the step again`);
}
function isAcceptingWorker(p) {
    return /\bworker process\b/.test(p.args) && !/shutting down/.test(p.args);
}
/** Done when at least one new worker accepts and no worker of the old generation still does. */
function reloadFinished(oldWorkers, now) {
    const accepting = now.filter(isAcceptingWorker);
    return accepting.length > 0 && accepting.every((p) => !oldWorkers.has(p.pid));
}
/** `ps -o pid=,args=` output: "  123 nginx: worker process" per line. */
function parseProcesses(stdout) {
    return stdout
        .split('\n')
        .map((l) => /^\s*(\d+)\s+(.*?)\s*$/.exec(l))
        .filter((m) => m !== null)
        .map((m) => ({ pid: Number(m[1]), args: m[2] }));
}
/** Reads a local file through its symlinks, with the stat of the version read. */
async function readSnapshot(configured) {
    const path = await (0,promises_.realpath)(configured);
    const handle = await (0,promises_.open)(path, 'r');
    try {
        const stat = await handle.stat();
        const text = await handle.readFile('utf8');
        return {
            text,
            local: {
                path,
                ino: stat.ino,
                mtimeMs: stat.mtimeMs,
                size: stat.size,
                mode: stat.mode & 0o7777,
                uid: stat.uid,
                gid: stat.gid,
            },
        };
    }
    finally {
        await handle.close();
    }
}
/**
 * Replaces a local file so readers see the old or the new version, never half: a temp file
 * beside the real target (symlinks resolved), created exclusively under a random name (a link
 * planted there is never followed), with the original's mode and owner, flushed, compared with
 * what was read (a concurrent writer's version is never overwritten), then renamed over it.
 */
async function replaceFile(expected, content, beforeRename) {
    const local = expected.local;
    if (!local)
        throw new RangeError('replaceFile needs a local snapshot');
    const { path } = local;
    const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(path), `.${(0,external_node_path_.basename)(path)}.cutover-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`);
    let created = false;
    try {
        const handle = await (0,promises_.open)(temp, 'wx', 0o600);
        created = true;
        try {
            await handle.writeFile(content);
            const made = await handle.stat();
            if (made.uid !== local.uid || made.gid !== local.gid) {
                await handle.chown(local.uid, local.gid).catch((e) => {
                    throw new router/* RouterError */.K(`cannot rewrite the nginx upstream file ${path} keeping its owner ${local.uid}:${local.gid} (${e.code ?? e}); run as root or as its owner; nothing was changed`);
                });
            }
            await handle.chmod(local.mode);
            await handle.sync();
        }
        finally {
            await handle.close();
        }
        await beforeRename?.();
        const now = await readSnapshot(path).catch(() => undefined);
        if (!now?.local ||
            now.text !== expected.text ||
            now.local.ino !== local.ino ||
            now.local.mtimeMs !== local.mtimeMs)
            throw changedMeanwhile(path);
        await (0,promises_.rename)(temp, path);
        created = false;
    }
    catch (e) {
        if (created)
            await (0,promises_.rm)(temp, { force: true }).catch(() => { });
        if (e instanceof router/* RouterError */.K)
            throw e;
        throw new router/* RouterError */.K(`cannot rewrite the nginx upstream file ${path}: ${e.code ?? e}`);
    }
}
function weightsOf(servers) {
    const total = (slot) => servers[slot].filter((s) => !s.down).reduce((sum, s) => sum + s.weight, 0);
    return toPercent(total('blue'), total('green'));
}
const SERVER_LINE = /^\s*server\s+(\S+)((?:\s+[^;\s]+)*)\s*;/;
/** Finds the upstream block and the server line of each slot server in it. */
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
    for (const slot of domain_slots/* SLOTS */._f) {
        out[slot] = config.slots[slot].map((address) => {
            const server = servers.get(address);
            if (!server) {
                throw new router/* RouterError */.K(`upstream '${config.upstream}' in ${config.access.kind === 'local' ? config.access.upstreamFile : 'the upstream file'} has no server ${address} (slot ${slot}); its servers are: ${[...servers.keys()].join(', ') || 'none'}`);
            }
            return server;
        });
    }
    return out;
}
function findBlock(text, config) {
    const open = new RegExp(`(^|\\n)\\s*upstream\\s+${config.upstream.replace(/[.]/g, '\\.')}\\s*\\{`).exec(text);
    const close = open ? text.indexOf('}', open.index + open[0].length) : -1;
    if (!open || close < 0) {
        throw new router/* RouterError */.K(`${config.access.kind === 'local' ? config.access.upstreamFile : 'the upstream file'} has no 'upstream ${config.upstream} { ... }' block`);
    }
    const start = open.index + open[0].length;
    return { start, end: close, body: text.slice(start, close) };
}
/**
 * The same file with only the slot servers' lines changed; every other line is kept as it was.
 * A slot's share is spread evenly over its servers; a slot at 0% is `down` (nginx refuses weight=0).
 */
function renderUpstream(text, config, target) {
    const block = findBlock(text, config);
    const perServer = weights_spreadWeights(target, { blue: config.slots.blue.length, green: config.slots.green.length }, NGINX_MAX_WEIGHT);
    const slotOf = new Map(domain_slots/* SLOTS */._f.flatMap((slot) => config.slots[slot].map((address) => [address, slot])));
    const body = block.body
        .split('\n')
        .map((line) => {
        const m = SERVER_LINE.exec(line);
        const slot = m ? slotOf.get(m[1]) : undefined;
        if (!m || !slot)
            return line;
        const indent = /^\s*/.exec(line)?.[0] ?? '    ';
        const keep = (m[2] ?? '')
            .trim()
            .split(/\s+/)
            .filter((p) => p && p !== 'down' && !p.startsWith('weight='));
        const share = target[slot] === 0 ? ['down'] : [`weight=${perServer[slot]}`];
        return `${indent}server ${m[1]} ${[...share, ...keep].join(' ')};`;
    })
        .join('\n');
    return text.slice(0, block.start) + body + text.slice(block.end);
}
/** A fresh include file for an upstream, as the sandbox and docs show it. */
function upstreamFileFor(upstream, slots, weights, extra = []) {
    const lists = { blue: [slots.blue].flat(), green: [slots.green].flat() };
    const perServer = spreadWeights(weights, { blue: lists.blue.length, green: lists.green.length }, NGINX_MAX_WEIGHT);
    const lines = SLOTS.flatMap((slot) => lists[slot].map((address) => `    server ${address} ${weights[slot] === 0 ? 'down' : `weight=${perServer[slot]}`};`));
    return [
        `# Managed by cutover: rewritten on every traffic change. Edit the server lines' other parameters freely.`,
        `upstream ${upstream} {`,
        ...lines,
        ...extra.map((e) => `    ${e}`),
        `}`,
        '',
    ].join('\n');
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/group.js
/**
 * Several routers that must act as one (an HA pair, one per zone): all get the same weights and
 * are all read back. Routers that disagree before a change are refused; when one fails, every
 * router is put back where it was and the error says where traffic is on each.
 *
 * A change needs every router to answer, except a move back to the known-good slot
 * (`writeReachable`, used only through packages/traffic/move.ts `moveTowardSafety`): it is made
 * on every router that answers, and names each one that did not with what it held at its last
 * read in this process.
 */




/**
 * The decision, pure: a move toward safety stands when at least one router took it and every
 * router that took it reads `target`; the rest are named. No router moved: a RouterError
 * naming each one (nothing to stand on).
 */
function judgeSafetyWrite(target, outcomes) {
    const unreached = outcomes.flatMap((o) => o.moved
        ? []
        : [{ router: o.router, error: o.error, ...(o.lastRead ? { lastRead: o.lastRead } : {}) }]);
    const moved = outcomes.filter((o) => o.moved);
    if (moved.length === 0)
        throw new router/* RouterError */.K(`no router took ${(0,domain_slots/* formatWeights */.V7)(target)}: ${unreached.map(unreachedText).join('; ')}`);
    const astray = moved.filter((o) => !(0,domain_slots/* sameWeights */.ML)(o.weights, target));
    if (astray.length > 0)
        throw new router/* RouterError */.K(`after writing ${(0,domain_slots/* formatWeights */.V7)(target)} ${astray.map((o) => `${o.router} reads ${(0,domain_slots/* formatWeights */.V7)(o.weights)}`).join('; ')}${unreached.length > 0 ? `; not moved: ${unreached.map(unreachedText).join('; ')}` : ''}`);
    return { after: target, unreached };
}
/** "haproxy … (ECONNREFUSED); at its last read (…) it held blue 90% / green 10%", or that it never answered. */
function unreachedText(u) {
    const last = u.lastRead
        ? `at its last read (${u.lastRead.at}) it held ${(0,domain_slots/* formatWeights */.V7)(u.lastRead.weights)}`
        : 'it answered no read in this run, so what it holds is unknown';
    return `${u.router} (${u.error}); ${last}`;
}
/** A change that failed part-way and was undone: every router reads the weights from before again. */
class RoutersPutBack extends router/* RouterError */.K {
    restored;
    name = 'RoutersPutBack';
    constructor(message, 
    /** The weights every router was put back to (and reads). */
    restored) {
        super(message);
        this.restored = restored;
    }
}
class GroupRouter {
    routers;
    type = 'group';
    name;
    log;
    /** Each member's last successful read (or verified write) in this process. */
    last = new Map();
    constructor(routers, options = {}) {
        this.routers = routers;
        if (routers.length === 0)
            throw new RangeError('a router group needs at least one router');
        this.name = [...new Set(routers.map((r) => r.name))].join(' + ');
        this.log = options.log ?? action_kit/* silentLog */.aB;
    }
    get notes() {
        return this.routers.flatMap((r) => r.notes);
    }
    /**
     * The header/cookie phase when every router can do it (else absent: the step refuses before
     * anything moves). Setting a match is all or nothing: the routers must agree first, and when
     * one fails every router is put back. Clearing it (toward safety) goes ahead on every router
     * that answers and names the others.
     */
    get match() {
        const members = this.routers.map((r) => r.match);
        if (members.some((m) => m === undefined))
            return undefined;
        const all = members;
        const show = (m) => (m ? `${formatMatch(m)} -> ${m.slot}` : 'no match');
        const readAll = async () => {
            const reads = await Promise.all(all.map((m) => m.read()));
            const first = reads[0] ?? null;
            if (reads.some((r) => !sameMatch(r, first)))
                throw new router/* RouterError */.K(`the routers disagree on the header/cookie match: ${this.routers.map((r, i) => `${r.describe()}: ${show(reads[i] ?? null)}`).join('; ')}`);
            return first;
        };
        return {
            read: readAll,
            write: async (route) => {
                if (route === null) {
                    const results = await Promise.allSettled(all.map((m) => m.write(null)));
                    const failed = results.flatMap((r, i) => r.status === 'rejected'
                        ? [`${this.routers[i].describe()} (${message(r.reason)})`]
                        : []);
                    if (failed.length > 0)
                        throw new router/* RouterError */.K(`the header/cookie match was cleared on ${results.length - failed.length} of ${results.length} routers; not on: ${failed.join('; ')}`);
                    return;
                }
                const before = await readAll();
                const results = await Promise.allSettled(all.map((m) => m.write(route)));
                const failed = results.flatMap((r, i) => r.status === 'rejected'
                    ? [`${this.routers[i].describe()}: ${message(r.reason)}`]
                    : []);
                if (failed.length === 0)
                    return;
                await Promise.allSettled(all.map((m) => m.write(before)));
                throw new router/* RouterError */.K(`${failed.join('; ')}; every router was put back to ${show(before)}`);
            },
        };
    }
    describe() {
        return `${this.routers.length} routers: ${this.routers.map((r) => r.describe()).join('; ')}`;
    }
    /** The one state all routers share; refused when they disagree. */
    async read() {
        const all = await this.readAll();
        return agreed(this.routers, all);
    }
    async write(target) {
        const before = agreed(this.routers, await this.readAll(), 'nothing was changed');
        // Every member's own pre-write check first: a refusal then changes no router at all.
        const checks = await Promise.allSettled(this.routers.map((r) => r.check?.(target)));
        const refused = checks.flatMap((r, i) => r.status === 'rejected'
            ? [`${this.routers[i].describe()}: ${message(r.reason)}`]
            : []);
        if (refused.length > 0)
            throw new router/* RouterError */.K(`${refused.join('; ')}; nothing was changed (${(0,domain_slots/* formatWeights */.V7)(before)})`);
        const results = await Promise.allSettled(this.routers.map((r) => r.write(target)));
        const failed = results.flatMap((r, i) => r.status === 'rejected' ? [{ router: this.routers[i], error: r.reason }] : []);
        if (failed.length === 0) {
            // Each router verified itself; read all back once more so a group never reports half a change.
            agreed(this.routers, await this.readAll(), `after writing ${(0,domain_slots/* formatWeights */.V7)(target)}`);
            return;
        }
        for (const f of failed)
            this.log.warning(`${f.router.describe()} refused ${(0,domain_slots/* formatWeights */.V7)(target)}: ${message(f.error)}`);
        this.log.warning(`putting every router back to ${(0,domain_slots/* formatWeights */.V7)(before)}`);
        await Promise.allSettled(this.routers.map((r) => r.write(before)));
        const states = await Promise.allSettled(this.routers.map((r) => this.readOne(r)));
        const where = states.map((r, i) => whereText(this.routers[i], r));
        for (const line of where)
            this.log.warning(`traffic now: ${line}`);
        const said = (f) => message(f.error).includes(f.router.describe())
            ? message(f.error)
            : `${f.router.describe()} failed: ${message(f.error)}`;
        const text = `${failed.map(said).join('; ')}; every router was put back to ${(0,domain_slots/* formatWeights */.V7)(before)}. Traffic now: ${where.join('; ')}`;
        // Some router had taken the change and every one reads `before` again: the change was undone.
        const undone = failed.length < this.routers.length &&
            states.every((r) => r.status === 'fulfilled' && (0,domain_slots/* sameWeights */.ML)(r.value, before));
        throw undone ? new RoutersPutBack(text, before) : new router/* RouterError */.K(text);
    }
    /**
     * A move toward the known-good slot: `target` is written to every router that answers and read
     * back; the routers that did not answer (or refused) are returned with their last read, and
     * nobody is put back. Throws only when no router took it.
     */
    async writeReachable(target) {
        const outcomes = await Promise.all(this.routers.map(async (r) => {
            try {
                await r.write(target);
                return { router: r.describe(), moved: true, weights: await this.readOne(r) };
            }
            catch (e) {
                const lastRead = this.last.get(r);
                return {
                    router: r.describe(),
                    moved: false,
                    error: message(e),
                    ...(lastRead ? { lastRead } : {}),
                };
            }
        }));
        return judgeSafetyWrite(target, outcomes);
    }
    /**
     * The weights the routers that answer agree on, and the ones that did not answer (with their
     * last read): what a move toward safety starts from. Routers that answer but disagree read as
     * a split (splitOf). Throws when none answers.
     */
    async readReachable() {
        const all = await Promise.allSettled(this.routers.map((r) => this.readOne(r)));
        const answered = all.flatMap((r, i) => r.status === 'fulfilled' ? [{ router: this.routers[i], weights: r.value }] : []);
        const unreached = all.flatMap((r, i) => {
            if (r.status === 'fulfilled')
                return [];
            const router = this.routers[i];
            const lastRead = this.last.get(router);
            return [
                { router: router.describe(), error: message(r.reason), ...(lastRead ? { lastRead } : {}) },
            ];
        });
        if (answered.length === 0)
            throw new router/* RouterError */.K(`no router could be read: ${unreached.map(unreachedText).join('; ')}`);
        const weights = answered.map((a) => a.weights);
        const first = weights[0];
        if (weights.every((w) => (0,domain_slots/* sameWeights */.ML)(w, first)))
            return { after: first, unreached };
        // A move back to safety never waits for the routers to agree: an earlier one that reached
        // only some of them leaves exactly this. Their shared state is a split, so the move writes
        // the safe slot to every router that answers.
        this.log.warning(`the routers disagree: ${answered.map((a) => `${a.router.describe()}: ${(0,domain_slots/* formatWeights */.V7)(a.weights)}`).join('; ')}; moving back to safety goes ahead on every router that answers`);
        return { after: splitOf(weights), unreached };
    }
    /**
     * Every router's servers; a server listed by several routers appears once. A router that does
     * not answer is left out (they front the same servers); none answering is an error.
     */
    async servers() {
        const settled = await Promise.allSettled(this.routers.map((r) => r.servers()));
        const all = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        if (all.length === 0)
            throw settled[0].reason;
        const out = {};
        for (const slot of domain_slots/* SLOTS */._f) {
            const seen = new Set();
            out[slot] = all
                .flatMap((s) => s[slot])
                .filter((s) => {
                const key = `${s.name}\n${s.address}`;
                if (seen.has(key))
                    return false;
                seen.add(key);
                return true;
            });
        }
        return out;
    }
    /** One line per router: its weights, or why they could not be read. */
    async whereTrafficIs() {
        const all = await Promise.allSettled(this.routers.map((r) => this.readOne(r)));
        return all.map((r, i) => whereText(this.routers[i], r));
    }
    /** One member's read, remembered as its last read. */
    async readOne(router) {
        const weights = await router.read();
        this.last.set(router, { weights, at: new Date().toISOString() });
        return weights;
    }
    async readAll() {
        const all = await Promise.allSettled(this.routers.map((r) => this.readOne(r)));
        const failed = all.flatMap((r, i) => r.status === 'rejected'
            ? [`${this.routers[i].describe()}: ${message(r.reason)}`]
            : []);
        if (failed.length > 0)
            throw new router/* RouterError */.K(`cannot read every router: ${failed.join('; ')}; nothing was changed (only a move back to the known-good slot, such as rollback, goes ahead without every router)`);
        return all.map((r) => r.value);
    }
}
/**
 * What routers that disagree hold together: the mean weights, never 100% on one slot (some
 * router is not there), so a move to either slot still writes every router. Pure.
 */
function splitOf(weights) {
    const blue = Math.round(weights.reduce((sum, w) => sum + w.blue, 0) / weights.length);
    const clamped = Math.min(99, Math.max(1, blue));
    return { blue: clamped, green: 100 - clamped };
}
/** The weights all routers agree on, or a RouterError showing each one's. */
function agreed(routers, weights, when) {
    const first = weights[0];
    if (weights.every((w) => (0,domain_slots/* sameWeights */.ML)(w, first)))
        return first;
    throw new router/* RouterError */.K(`the routers disagree${when && when.startsWith('after') ? ` ${when}` : ''}: ${routers.map((r, i) => `${r.describe()}: ${(0,domain_slots/* formatWeights */.V7)(weights[i])}`).join('; ')}${when && !when.startsWith('after') ? `; ${when}` : ''}. Bring them to the same weights first (e.g. with to: blue|green on each)`);
}
function whereText(router, read) {
    return read.status === 'fulfilled'
        ? `${router.describe()}: ${(0,domain_slots/* formatWeights */.V7)(read.value)}`
        : `${router.describe()}: unknown (${message(read.reason)})`;
}
function message(e) {
    return e instanceof Error ? e.message : String(e);
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/dns.js
/**
 * A DNS record as the router: each slot is a set of addresses (A/AAAA) or one CNAME target, and
 * moving traffic means changing what the authoritative servers answer for `record`.
 *
 * - PowerDNS Authoritative through its HTTP API: an RRset REPLACE for blue-green; a canary is a
 *   LUA record `A "pickwrandom({{w,'addr'},...})"` (weight first; every query a fresh weighted
 *   draw, LUA answers are not cached by pdns).
 * - RFC 2136 UPDATE signed with TSIG hmac-sha256 (BIND 9, Knot, pdns with dnsupdate): blue-green
 *   only; a split is refused before anything moves (`canSplit` false).
 *
 * "Done" is read back: after the change every listed authoritative server is asked directly
 * (UDP, TCP when truncated, a deadline per exchange) until each serves the new slot, or the
 * change is put back and the error says what each server answers. The record's TTL is reported,
 * and with `wait-ttl` one TTL (the longer of the old and new) is waited so caches expired.
 */






const RRSET_TYPES = ['A', 'AAAA', 'CNAME', 'LUA'];
/** Answers counted per server after a split, for the log's observed canary share. */
const CANARY_SAMPLE = 200;
/** pickwrandom weights: per-address weights up to this, spread exactly where possible. */
const LUA_MAX_WEIGHT = 10_000;
/** The records that put `target` in place (a split only for address slots with the same families). */
function desiredRecords(targets, target) {
    const out = { A: [], AAAA: [], CNAME: [], LUA: [] };
    const live = (0,domain_slots/* liveSlot */.dz)(target);
    if (live) {
        const t = targets[live];
        if (t.kind === 'cname')
            out.CNAME = [`${t.target}.`];
        else {
            out.A = [...t.a];
            out.AAAA = [...t.aaaa];
        }
        return out;
    }
    const reason = splitRefusal(targets);
    if (reason)
        throw new RangeError(reason);
    for (const [type, key] of [
        ['A', 'a'],
        ['AAAA', 'aaaa'],
    ]) {
        const b = targets.blue[key];
        const g = targets.green[key];
        if (b.length === 0)
            continue;
        const w = weights_spreadWeights(target, { blue: b.length, green: g.length }, LUA_MAX_WEIGHT);
        const pairs = [...b.map((x) => `{${w.blue},'${x}'}`), ...g.map((x) => `{${w.green},'${x}'}`)];
        out.LUA.push(`${type} "pickwrandom({${pairs.join(',')}})"`);
    }
    return out;
}
/** Why these slots cannot carry a split (undefined: they can). */
function splitRefusal(targets) {
    const { blue, green } = targets;
    if (blue.kind === 'cname' || green.kind === 'cname')
        return 'a CNAME slot cannot be split by weight (pickwrandom picks addresses); give addresses for both slots, or use blue-green';
    if (blue.a.length > 0 !== green.a.length > 0 || blue.aaaa.length > 0 !== green.aaaa.length > 0)
        return 'the slots have different address families (one has IPv4 or IPv6 addresses the other lacks), so a client of that family could not be split; give both slots the same families';
    return undefined;
}
/** Weights from a LUA RRset we wrote: the sum of each slot's pickwrandom weights. */
function luaWeights(contents, targets) {
    const totals = { blue: 0, green: 0 };
    let seen = 0;
    for (const content of contents) {
        const m = /^(A|AAAA)\s+"pickwrandom\(\{(.*)\}\)"$/.exec(content.trim());
        if (!m)
            return undefined;
        const body = m[2];
        for (const p of body.matchAll(/\{\s*(\d+)\s*,\s*'([^']+)'\s*\}/g)) {
            const slot = slotOf(targets, normalAddress(p[2]));
            if (!slot)
                return undefined;
            totals[slot] += Number(p[1]);
            seen++;
        }
    }
    if (seen === 0)
        return undefined;
    return toPercent(totals.blue, totals.green);
}
function slotOf(targets, address) {
    return domain_slots/* SLOTS */._f.find((s) => {
        const t = targets[s];
        return t.kind === 'addresses' && (t.a.includes(address) || t.aaaa.includes(address));
    });
}
const sameSet = (x, y) => x.length === y.length && [...x].sort().join(',') === [...y].sort().join(',');
/** The slot a server's answer is exactly (all of its addresses, or its CNAME), or undefined. */
function slotAnswered(observed, targets) {
    if (observed.rcode !== 'NOERROR')
        return undefined;
    return domain_slots/* SLOTS */._f.find((s) => {
        const t = targets[s];
        if (t.kind === 'cname')
            return observed.cname === t.target;
        return !observed.cname && sameSet(observed.a, t.a) && sameSet(observed.aaaa, t.aaaa);
    });
}
/** An answer a split (pickwrandom) could give: one address per family, each from a slot. */
function splitAnswer(observed, targets) {
    if (observed.rcode !== 'NOERROR' || observed.cname)
        return undefined;
    const all = [...observed.a, ...observed.aaaa];
    if (observed.a.length > 1 || observed.aaaa.length > 1 || all.length === 0)
        return undefined;
    const slots = all.map((x) => slotOf(targets, x));
    return slots.every((s) => s !== undefined) ? slots : undefined;
}
/** For messages: "green (192.0.2.2)", "SERVFAIL", "nothing (NOERROR, no records)". */
function formatObserved(o, targets) {
    if (o.rcode !== 'NOERROR')
        return o.rcode;
    const values = o.cname ? [`CNAME ${o.cname}`] : [...o.a, ...o.aaaa];
    if (values.length === 0)
        return 'no records (NOERROR)';
    const slot = targets ? slotAnswered(o, targets) : undefined;
    return slot ? `${slot} (${values.join(', ')})` : values.join(', ');
}
class DnsRouter {
    config;
    type = 'dns';
    name;
    notes = [];
    /** false for RFC 2136 (and CNAME slots): a canary is refused before anything moves. */
    canSplit;
    log;
    constructor(config, options = {}) {
        this.config = config;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
        this.canSplit = config.provider === 'powerdns' && splitRefusal(config.targets) === undefined;
    }
    describe() {
        return dnsDescribe(this.config);
    }
    async servers() {
        const out = {};
        for (const slot of domain_slots/* SLOTS */._f)
            out[slot] = this.config.slots[slot].map((v) => ({ name: v, address: v }));
        return out;
    }
    /** What one authoritative server answers for the record (A, and AAAA when a slot has IPv6). */
    async observe(server) {
        const types = [TYPE.A];
        if (domain_slots/* SLOTS */._f.some((s) => {
            const t = this.config.targets[s];
            return t.kind === 'addresses' && t.aaaa.length > 0;
        }))
            types.push(TYPE.AAAA);
        const out = { rcode: 'NOERROR', a: [], aaaa: [] };
        for (const type of types) {
            let r;
            try {
                r = await this.ask(server, this.config.record, type);
            }
            catch (e) {
                throw new router/* RouterError */.K(`${server.label}: ${e.message}`);
            }
            if (r.rcode !== 0)
                return { rcode: rcodeName(r.rcode), a: [], aaaa: [] };
            if (!r.authoritative)
                return { rcode: 'not authoritative (AA clear)', a: [], aaaa: [] };
            for (const ans of r.answers) {
                if (ans.name !== this.config.record)
                    continue;
                out.ttl = out.ttl === undefined ? ans.ttl : Math.min(out.ttl, ans.ttl);
                if (ans.type === TYPE.CNAME)
                    out.cname = ans.data;
                else if (ans.type === TYPE.A && !out.a.includes(ans.data))
                    out.a.push(ans.data);
                else if (ans.type === TYPE.AAAA && !out.aaaa.includes(ans.data))
                    out.aaaa.push(ans.data);
            }
            if (out.cname)
                break;
        }
        return out;
    }
    /**
     * One question to one server. A UDP query that got no answer within the deadline is asked once
     * more (a lost datagram, as every DNS client does); each attempt has the whole deadline.
     */
    async ask(server, name, type) {
        try {
            return await query(server, name, type, this.config.timeout);
        }
        catch (e) {
            if (!(e instanceof ExchangeError) || !e.message.startsWith('no answer over UDP'))
                throw e;
            return query(server, name, type, this.config.timeout);
        }
    }
    /** Every server's answer (or why it gave none), in the config's order. */
    async observeAll() {
        return Promise.all(this.config.servers.map((server) => this.observe(server).then((observed) => ({ server, observed }), (e) => ({ server, error: e.message.replace(`${server.label}: `, '') }))));
    }
    /** For messages: each server and what it answers now. */
    async whereAnswersStand() {
        const all = await this.observeAll();
        return all
            .map((x) => `${x.server.label} answers ${x.observed ? formatObserved(x.observed, this.config.targets) : `nothing (${x.error})`}`)
            .join('; ');
    }
    /**
     * The weights every server's answer shows; all must agree. A split (pdns LUA) is read from the
     * API's record content, and each server's answer must be one a split gives.
     */
    async read() {
        const lua = this.config.provider === 'powerdns'
            ? luaWeights((await this.pdnsRead()).LUA, this.config.targets)
            : undefined;
        const all = await this.observeAll();
        const per = all.map((x) => {
            if (!x.observed)
                return { ...x, weights: undefined, said: `nothing (${x.error})` };
            // With a LUA record in place a one-address answer is one draw of the split.
            if (lua && splitAnswer(x.observed, this.config.targets))
                return {
                    ...x,
                    weights: lua,
                    said: `${formatObserved(x.observed)} (one draw of the split ${(0,domain_slots/* formatWeights */.V7)(lua)})`,
                };
            const slot = slotAnswered(x.observed, this.config.targets);
            if (slot)
                return { ...x, weights: (0,domain_slots/* allOn */.PT)(slot), said: formatObserved(x.observed, this.config.targets) };
            return {
                ...x,
                weights: undefined,
                said: `${formatObserved(x.observed)}, which is neither slot`,
            };
        });
        const first = per[0]?.weights;
        if (first && per.every((p) => p.weights && (0,domain_slots/* sameWeights */.ML)(p.weights, first)))
            return first;
        throw new router/* RouterError */.K(`router ${this.name}: the authoritative servers of ${this.config.record} do not agree on one slot: ${per.map((p) => `${p.server.label} answers ${p.said}`).join('; ')}`);
    }
    async write(target) {
        assertWritable(target);
        const { config } = this;
        if (!(0,domain_slots/* liveSlot */.dz)(target) && !this.canSplit)
            throw new router/* RouterError */.K(`router ${this.name}: cannot carry ${(0,domain_slots/* formatWeights */.V7)(target)}: ${config.provider === 'rfc2136' ? 'RFC 2136 has no weighted answers (only PowerDNS LUA records split by weight); use blue-green-switch with this router' : splitRefusal(config.targets)}; nothing was changed`);
        const desired = desiredRecords(config.targets, target);
        // Before any change: every listed server is authoritative for the zone.
        await this.checkServers();
        const before = await this.currentRecords();
        const oldTtl = before.ttl;
        const started = Date.now();
        this.log.info(`${this.name}: writing ${describeRecords(desired)} for ${config.record} (TTL ${config.ttl} s) through ${config.provider === 'powerdns' ? `the PowerDNS API ${config.api?.url}` : `RFC 2136 to ${config.update?.server.label}`}`);
        try {
            await this.apply(desired, before.records);
        }
        catch (e) {
            const why = e.message;
            const now = () => this.whereAnswersStand().catch((x) => `unknown (${x.message})`);
            // A refusal changed nothing (a PATCH and an UPDATE apply whole or not at all).
            if (e instanceof Refused)
                throw new router/* RouterError */.K(`router ${this.name}: the update was refused, nothing changed: ${why}; answers now: ${await now()}`);
            // No answer: it may have been applied. Put the previous records back to be sure.
            let back;
            try {
                await this.apply(before.records, desired);
                back = `put the previous records back (${describeRecords(before.records)})`;
            }
            catch (x) {
                back = `putting the previous records back failed too (${x.message})`;
            }
            throw new router/* RouterError */.K(`router ${this.name}: the update's outcome is unknown (${why}); ${back}; answers now: ${await now()}`);
        }
        const failed = await this.awaitServers(target, desired);
        if (failed) {
            let back;
            try {
                await this.apply(before.records, desired);
                back = `put the previous records back (${describeRecords(before.records)})`;
            }
            catch (e) {
                back = `and putting the previous records back failed (${e.message})`;
            }
            throw new router/* RouterError */.K(`router ${this.name}: not every authoritative server served ${(0,domain_slots/* formatWeights */.V7)(target)} within ${(0,action_kit/* formatDuration */.a3)(config.propagationTimeout)} (${failed}); ${back}; answers now: ${await this.whereAnswersStand().catch((x) => `unknown (${x.message})`)}`);
        }
        const elapsed = Date.now() - started;
        this.log.info(`${this.name}: every authoritative server (${config.servers.map((s) => s.label).join(', ')}) answers ${(0,domain_slots/* formatWeights */.V7)(target)} ${elapsed} ms after the update; the record's TTL is ${config.ttl} s`);
        if (!(0,domain_slots/* liveSlot */.dz)(target))
            await this.countSplit(target);
        const wait = Math.max(config.ttl, oldTtl ?? 0);
        if (config.waitTtl) {
            this.log.info(`${this.name}: waiting one TTL (${wait} s${oldTtl !== undefined && oldTtl !== config.ttl ? `, the longer of the old ${oldTtl} s and the new ${config.ttl} s` : ''}) so resolvers' cached answers expired`);
            await (0,util/* sleep */.yy)(wait * 1000);
        }
        else {
            const note = `${this.name}: resolvers may serve the previous answer for up to ${wait} s (its TTL) after each move; set wait-ttl: true to wait that out before the step returns`;
            this.log.info(note);
            if (!this.notes.includes(note))
                this.notes.push(note);
        }
    }
    /** Each server answers an SOA query for the zone with AA set, before anything changes. */
    async checkServers() {
        const bad = [];
        await Promise.all(this.config.servers.map(async (server) => {
            try {
                const r = await this.ask(server, this.config.zone, TYPE.SOA);
                if (r.rcode !== 0)
                    bad.push(`${server.label} answered ${rcodeName(r.rcode)}`);
                else if (!r.authoritative)
                    bad.push(`${server.label} is not authoritative for it (AA clear)`);
            }
            catch (e) {
                bad.push(`${server.label}: ${e.message}`);
            }
        }));
        if (bad.length > 0)
            throw new router/* RouterError */.K(`router ${this.name}: not every listed server serves zone ${this.config.zone} authoritatively (${bad.join('; ')}); nothing was changed`);
    }
    /** The records now: through the API (pdns), or as the update server answers them (RFC 2136). */
    async currentRecords() {
        if (this.config.provider === 'powerdns') {
            const records = await this.pdnsRead();
            return { records, ...(records.ttl !== undefined ? { ttl: records.ttl } : {}) };
        }
        const server = this.config.update.server;
        const records = { A: [], AAAA: [], CNAME: [], LUA: [] };
        let ttl;
        for (const type of [TYPE.A, TYPE.AAAA, TYPE.CNAME]) {
            let r;
            try {
                r = await this.ask(server, this.config.record, type);
            }
            catch (e) {
                throw new router/* RouterError */.K(`router ${this.name}: cannot read ${this.config.record} from ${server.label}: ${e.message}; nothing was changed`);
            }
            if (r.rcode !== 0 && r.rcode !== 3)
                throw new router/* RouterError */.K(`router ${this.name}: ${server.label} answered ${rcodeName(r.rcode)} for ${this.config.record}; nothing was changed`);
            for (const a of r.answers) {
                if (a.name !== this.config.record || a.type !== type)
                    continue;
                ttl = ttl === undefined ? a.ttl : Math.max(ttl, a.ttl);
                if (type === TYPE.A)
                    records.A.push(a.data);
                else if (type === TYPE.AAAA)
                    records.AAAA.push(a.data);
                else
                    records.CNAME.push(`${a.data}.`);
            }
        }
        return { records, ...(ttl !== undefined ? { ttl } : {}) };
    }
    async apply(records, previous) {
        if (this.config.provider === 'powerdns')
            return this.pdnsPatch(records, previous);
        if (records.LUA.length > 0)
            throw new Error('RFC 2136 cannot write LUA records');
        return this.rfc2136Update(records);
    }
    /**
     * Polls every server until each answers `target`, within propagation-timeout. Returns why not
     * (each server that did not), or undefined when all do.
     */
    async awaitServers(target, desired) {
        const deadline = Date.now() + this.config.propagationTimeout;
        const live = (0,domain_slots/* liveSlot */.dz)(target);
        if (this.config.provider === 'powerdns') {
            // The record content as the API stores it: a LUA record's weights are checked this way
            // (a query shows one draw).
            const stored = await this.pdnsRead().catch((e) => e);
            if (stored instanceof Error)
                return `reading the record back through the API: ${stored.message}`;
            const differs = RRSET_TYPES.filter((t) => !sameSet(stored[t], desired[t]));
            if (differs.length > 0)
                return `the API holds ${describeRecords(stored)}, not ${describeRecords(desired)}`;
        }
        const last = new Map();
        const serves = async (server) => {
            for (let delay = 20;; delay = Math.min(delay * 2, 500)) {
                try {
                    if (live) {
                        const o = await this.observe(server);
                        last.set(server.label, formatObserved(o, this.config.targets));
                        if (slotAnswered(o, this.config.targets) === live)
                            return true;
                    }
                    else if (await this.servesSplit(server, deadline))
                        return true;
                    else
                        last.set(server.label, 'no answer from one of the slots yet');
                }
                catch (e) {
                    last.set(server.label, e.message.replace(`${server.label}: `, ''));
                }
                if (Date.now() + delay > deadline)
                    return false;
                await (0,util/* sleep */.yy)(delay);
            }
        };
        const results = await Promise.all(this.config.servers.map(async (s) => ({ s, ok: await serves(s) })));
        const failed = results.filter((r) => !r.ok);
        if (failed.length === 0)
            return undefined;
        return failed
            .map((r) => `${r.s.label} last answered ${last.get(r.s.label) ?? 'nothing'}`)
            .join('; ');
    }
    /** A split is served when answers are single draws from the slots and both slots come up. */
    async servesSplit(server, deadline) {
        const seen = new Set();
        while (Date.now() < deadline) {
            const o = await this.observe(server);
            const slots = splitAnswer(o, this.config.targets);
            if (!slots)
                throw new router/* RouterError */.K(`${server.label}: ${formatObserved(o, this.config.targets)}, not a weighted draw`);
            slots.forEach((s) => seen.add(s));
            if (seen.size === 2)
                return true;
        }
        return false;
    }
    /** Counts answers per slot on each server and logs the observed share beside the target. */
    async countSplit(target) {
        for (const server of this.config.servers) {
            const counts = { blue: 0, green: 0 };
            for (let i = 0; i < CANARY_SAMPLE; i++) {
                // A figure for the log only: traffic has moved and been verified, so a query that
                // fails here is counted, never thrown.
                const o = await this.observe(server).catch(() => undefined);
                const slots = o && splitAnswer(o, this.config.targets);
                if (slots?.[0])
                    counts[slots[0]]++;
            }
            const other = CANARY_SAMPLE - counts.blue - counts.green;
            this.log.info(`${this.name}: ${server.label} answered blue ${counts.blue} and green ${counts.green} of ${CANARY_SAMPLE} queries${other ? ` (${other} without a draw)` : ''} (target ${(0,domain_slots/* formatWeights */.V7)(target)}; each query is a weighted draw)`);
        }
    }
    // ---- PowerDNS HTTP API ----
    async pdns(method, path, body) {
        const api = this.config.api;
        const url = `${api.url}/api/v1/servers/${encodeURIComponent(api.serverId)}${path}`;
        const shown = `${method} ${url.replace(/\?.*/, '')}`;
        try {
            const res = await fetch(url, {
                method,
                headers: { 'X-API-Key': api.key, ...(body ? { 'Content-Type': 'application/json' } : {}) },
                ...(body ? { body: JSON.stringify(body) } : {}),
                signal: AbortSignal.timeout(this.config.timeout),
            });
            // The signal covers the body too: the deadline is for the whole exchange.
            return { status: res.status, text: await res.text() };
        }
        catch (e) {
            const err = e;
            const why = err.name === 'TimeoutError' || err.name === 'AbortError'
                ? `no whole answer within the router's timeout of ${(0,action_kit/* formatDuration */.a3)(this.config.timeout)} (a deadline for the whole exchange)`
                : (err.cause?.code ?? err.message);
            throw new router/* RouterError */.K(`${shown}: ${why}`);
        }
    }
    zonePath() {
        return `/zones/${encodeURIComponent(`${this.config.zone}.`)}`;
    }
    async pdnsRead() {
        const { status, text } = await this.pdns('GET', `${this.zonePath()}?rrset_name=${encodeURIComponent(`${this.config.record}.`)}`);
        if (status === 404)
            throw new router/* RouterError */.K(`router ${this.name}: the PowerDNS API (server ${this.config.api.serverId}) has no zone ${this.config.zone} (404 ${apiError(text)}); nothing was changed`);
        if (status !== 200)
            throw new router/* RouterError */.K(`router ${this.name}: the PowerDNS API answered ${status} reading zone ${this.config.zone}: ${apiError(text)}`);
        const zone = JSON.parse(text);
        const out = { A: [], AAAA: [], CNAME: [], LUA: [] };
        for (const rr of zone.rrsets ?? []) {
            if (rr.name.toLowerCase() !== `${this.config.record}.` ||
                !RRSET_TYPES.includes(rr.type))
                continue;
            out[rr.type] = rr.records.filter((r) => !r.disabled).map((r) => r.content);
            out.ttl = Math.max(out.ttl ?? 0, rr.ttl);
        }
        return out;
    }
    /** One PATCH: REPLACE each type the new state has, DELETE each the old had and the new lacks. */
    async pdnsPatch(records, previous) {
        const name = `${this.config.record}.`;
        const rrsets = RRSET_TYPES.flatMap((type) => {
            if (records[type].length > 0)
                return [
                    {
                        name,
                        type,
                        ttl: this.config.ttl,
                        changetype: 'REPLACE',
                        records: records[type].map((content) => ({ content, disabled: false })),
                    },
                ];
            if (previous[type].length > 0)
                return [{ name, type, changetype: 'DELETE' }];
            return [];
        });
        const { status, text } = await this.pdns('PATCH', this.zonePath(), { rrsets });
        if (status !== 204 && status !== 200)
            throw new Refused(`the PowerDNS API answered ${status}: ${apiError(text)}`);
    }
    // ---- RFC 2136 ----
    async rfc2136Update(records) {
        const u = this.config.update;
        const add = [
            ...records.A.map((value) => ({ type: 'A', value })),
            ...records.AAAA.map((value) => ({ type: 'AAAA', value })),
            ...records.CNAME.map((value) => ({ type: 'CNAME', value })),
        ];
        const message = encodeUpdate(randomId(), this.config.zone, this.config.record, ['A', 'AAAA', 'CNAME'], add, this.config.ttl);
        const key = { name: u.keyName, algorithm: u.algorithm, secret: Buffer.from(u.secret, 'base64') };
        const { signed, mac } = signTsig(message, key);
        let raw;
        try {
            raw = await tcpExchange(u.server, signed, this.config.timeout);
        }
        catch (e) {
            throw new Error(`UPDATE to ${u.server.label}: ${e.message}`);
        }
        const r = decodeResponse(raw);
        if (r.rcode !== 0 || (r.tsig && r.tsig.error !== 0)) {
            const tsigError = r.tsig && r.tsig.error !== 0 ? `(${rcodeName(r.tsig.error)})` : '';
            throw new Refused(`${u.server.label} answered ${rcodeName(r.rcode)}${tsigError} to the UPDATE signed with key ${u.keyName}${r.rcode === 9 ? ' (the key or its secret is not the one the server has)' : ''}`);
        }
        if (!verifyTsig(raw, r, key, mac))
            this.log.warning(`${this.name}: ${u.server.label} accepted the UPDATE but its answer is not signed with key ${u.keyName}; the read-back decides`);
    }
}
/** The server answered no: nothing was applied. */
class Refused extends Error {
}
function apiError(text) {
    try {
        const e = JSON.parse(text).error;
        if (e)
            return e.slice(0, 300);
    }
    catch {
        // plain text
    }
    return text.trim().replace(/\s+/g, ' ').slice(0, 300) || '(no body)';
}
function describeRecords(r) {
    const parts = [
        ...r.A.map((x) => `A ${x}`),
        ...r.AAAA.map((x) => `AAAA ${x}`),
        ...r.CNAME.map((x) => `CNAME ${x}`),
        ...r.LUA.map((x) => `LUA ${x}`),
    ];
    return parts.length ? parts.join(', ') : 'no records';
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/flagd.js
/**
 * A flagd feature flag as a router (docs/architecture.md, "A flag is a router kind"): slot blue is
 * the flag's off variant, green its on variant, and the weight of green is the share of targeting
 * keys flagd's `fractional` rule buckets into on. The definitions are flagd's JSON format, in a
 * file (flagd's `file:` source) or one key of a Kubernetes ConfigMap.
 *
 * cutover owns exactly one shape of targeting: `{ "fractional": [[on, w], [off, 100 - w]] }`. A
 * flag with any other targeting is refused before anything changes (nesting our rule into
 * someone's rule would be a guess about what their rule means). Contexts without a targetingKey
 * are not bucketed by flagd: they get the `defaultVariant`, which must be (and is set to) off.
 *
 * A flag someone set DISABLED serves each application's code default; it reads as the weights of
 * its rule (what re-enabling it serves, with a warning). A move to 0 is still written (rule at 0,
 * defaultVariant off, state kept DISABLED, verified on a copy ENABLED), so a rollback never leaves
 * users exposed for when it is re-enabled; a raise is refused.
 *
 * A write is atomic (a temp file in the same directory renamed over the file; a ConfigMap: one
 * JSON patch pinned to the resourceVersion read), read back, and the stored definition evaluated
 * with @openfeature/flagd-core (the flagd evaluation engine, loaded on first use) for 100,000
 * deterministic targeting keys: the share of on must be within 1 percentage point of the target
 * (exact at 0 and 100). A definition that fails is put back as it was.
 */








/** Targeting keys evaluated per verification: 1 pp is 6 standard deviations at a 50% split. */
const FLAGD_CHECK_KEYS = 100_000;
/** The most the evaluated share of on may differ from the target, in percentage points. */
const FLAGD_CHECK_TOLERANCE = 1;
/** A definitions file or ConfigMap value larger than this is not one cutover edits. */
const MAX_DEFINITIONS_BYTES = 1024 * 1024;
/** The definitions refused before anything changed (the message says why and what is allowed). */
class FlagdRefusal extends router/* RouterError */.K {
    name = 'FlagdRefusal';
}
/** Our rule: on first, then off, whole percentages adding up to 100. */
function fractionalRule(variants, target) {
    return {
        fractional: [
            [variants.on, target.green],
            [variants.off, target.blue],
        ],
    };
}
/** The weights of our rule, or undefined when `targeting` is anything else. */
function ruleWeights(targeting, variants) {
    if (!targeting || typeof targeting !== 'object' || Array.isArray(targeting))
        return undefined;
    const keys = Object.keys(targeting);
    if (keys.length !== 1 || keys[0] !== 'fractional')
        return undefined;
    const buckets = targeting.fractional;
    if (!Array.isArray(buckets) || buckets.length !== 2)
        return undefined;
    const got = {};
    for (const b of buckets) {
        if (!Array.isArray(b) || b.length !== 2)
            return undefined;
        const [variant, weight] = b;
        if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 100)
            return undefined;
        const state = variant === variants.on ? 'on' : variant === variants.off ? 'off' : undefined;
        if (!state || got[state] !== undefined)
            return undefined;
        got[state] = weight;
    }
    if (got.on === undefined || got.off === undefined || got.on + got.off !== 100)
        return undefined;
    return { blue: got.off, green: got.on };
}
/** The flags of a definitions document, or why it is not one. */
function flagsOf(doc) {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc))
        return 'is not a JSON object with "flags"';
    const flags = doc.flags;
    if (!flags || typeof flags !== 'object' || Array.isArray(flags))
        return 'has no "flags" object (flagd\'s format: { "flags": { "<key>": { state, variants, defaultVariant, targeting } } })';
    return flags;
}
/**
 * Pure: what the definitions say about `flag` (weights, and whether the targeting is our rule), or
 * why cutover cannot name one weight for it.
 */
function flagState(doc, flag, variants) {
    const flags = flagsOf(doc);
    if (typeof flags === 'string')
        return { ok: false, why: `the definitions ${flags}` };
    const def = flags[flag];
    if (def === undefined) {
        const keys = Object.keys(flags);
        return {
            ok: false,
            why: `the definitions have no flag ${(0,action_kit/* quote */.hD)(flag)}; their flags are: ${keys.length
                ? keys
                    .slice(0, 20)
                    .map((k) => (0,action_kit/* quote */.hD)(k))
                    .join(', ') + (keys.length > 20 ? `, … (${keys.length})` : '')
                : 'none'}`,
        };
    }
    if (!def || typeof def !== 'object' || Array.isArray(def))
        return { ok: false, why: `flag ${(0,action_kit/* quote */.hD)(flag)} is not an object` };
    const f = def;
    if (f.state !== 'ENABLED')
        return {
            ok: false,
            why: `flag ${(0,action_kit/* quote */.hD)(flag)} has state ${JSON.stringify(f.state)}: a DISABLED flag evaluates to each application's code default, which cutover cannot know; set "state": "ENABLED" with "defaultVariant": ${JSON.stringify(variants.off)} first`,
        };
    const declared = f.variants;
    if (!declared || typeof declared !== 'object' || Array.isArray(declared))
        return { ok: false, why: `flag ${(0,action_kit/* quote */.hD)(flag)} has no "variants" object` };
    const missing = ['off', 'on'].filter((s) => !(variants[s] in declared));
    if (missing.length > 0)
        return {
            ok: false,
            why: `flag ${(0,action_kit/* quote */.hD)(flag)} has no variant ${missing.map((s) => `${(0,action_kit/* quote */.hD)(variants[s])} (the router's variants.${s})`).join(' nor ')}; its variants are: ${Object.keys(declared)
                .map((k) => (0,action_kit/* quote */.hD)(k))
                .join(', ') || 'none'}`,
        };
    const defaultVariant = f.defaultVariant;
    if (defaultVariant !== variants.off && defaultVariant !== variants.on)
        return {
            ok: false,
            why: `flag ${(0,action_kit/* quote */.hD)(flag)} has defaultVariant ${JSON.stringify(defaultVariant ?? null)}, neither the off variant ${(0,action_kit/* quote */.hD)(variants.off)} nor the on variant ${(0,action_kit/* quote */.hD)(variants.on)}; contexts without a targetingKey get it, so cutover cannot name one weight: set "defaultVariant": ${JSON.stringify(variants.off)}`,
        };
    const targeting = f.targeting;
    const none = targeting === undefined ||
        targeting === null ||
        (typeof targeting === 'object' &&
            !Array.isArray(targeting) &&
            Object.keys(targeting).length === 0);
    if (none)
        return {
            ok: true,
            weights: defaultVariant === variants.on ? { blue: 0, green: 100 } : { blue: 100, green: 0 },
            ours: false,
            defaultVariant,
        };
    const weights = ruleWeights(targeting, variants);
    if (!weights)
        return {
            ok: false,
            why: `flag ${(0,action_kit/* quote */.hD)(flag)} has targeting cutover did not write (${capJson(targeting)}); cutover owns only { "fractional": [[${JSON.stringify(variants.on)}, w], [${JSON.stringify(variants.off)}, 100 - w]] } and does not nest it into other rules: remove the flag's targeting (or walk another flag)`,
        };
    if (defaultVariant !== variants.off)
        return {
            ok: false,
            why: `flag ${(0,action_kit/* quote */.hD)(flag)} splits ${(0,domain_slots/* formatWeights */.V7)(weights)} but its defaultVariant is the on variant ${(0,action_kit/* quote */.hD)(variants.on)}, which contexts without a targetingKey get; cutover cannot name one weight: set "defaultVariant": ${JSON.stringify(variants.off)}`,
        };
    return { ok: true, weights, ours: true, defaultVariant };
}
/**
 * Pure: the document with `flag` at `target` (our rule, defaultVariant off), every other byte of
 * meaning kept; a refusal message when the flag cannot be walked. A DISABLED flag takes only a
 * move to 0 (`disabled: true`; its state is kept), never a raise.
 */
function withWeights(doc, flag, variants, target) {
    const state = flagState(doc, flag, variants);
    // A defaultVariant of on with no targeting is "on for everyone": allowed as a start.
    if (!state.ok) {
        if (!isDisabled(doc, flag))
            return { why: state.why };
        // A DISABLED flag serves each application's code default, but its rule is what re-enabling
        // it serves: a move to 0 is always written (state kept DISABLED), a raise never.
        if (target.green !== 0)
            return {
                why: `${state.why}; while it is DISABLED cutover writes only a move to 0 (a rollback), never a raise`,
            };
        // As flagd will see it once re-enabled, with the defaultVariant this write sets.
        const rule = flagState(asEnabled(doc, flag, variants.off), flag, variants);
        if (!rule.ok)
            return { why: `${rule.why} (the flag is DISABLED)` };
    }
    const copy = JSON.parse(JSON.stringify(doc));
    const f = copy.flags[flag];
    f.defaultVariant = variants.off;
    f.targeting = fractionalRule(variants, target);
    return state.ok ? { doc: copy } : { doc: copy, disabled: true };
}
/** Whether the definitions hold `flag` with state DISABLED. */
function isDisabled(doc, flag) {
    const flags = flagsOf(doc);
    if (typeof flags === 'string')
        return false;
    const f = flags[flag];
    return !!f && typeof f === 'object' && f.state === 'DISABLED';
}
/**
 * A copy of the definitions with `flag` ENABLED (and its defaultVariant set, when given): how
 * flagd will evaluate a DISABLED flag once someone re-enables it.
 */
function asEnabled(doc, flag, defaultVariant) {
    const copy = JSON.parse(JSON.stringify(doc));
    const f = copy.flags[flag];
    f.state = 'ENABLED';
    if (defaultVariant !== undefined)
        f.defaultVariant = defaultVariant;
    return copy;
}
/**
 * Pure: what a DISABLED flag's rule says (the weights re-enabling it would serve), or undefined
 * when the flag is not DISABLED.
 */
function disabledState(doc, flag, variants) {
    return isDisabled(doc, flag) ? flagState(asEnabled(doc, flag), flag, variants) : undefined;
}
/** The indentation a JSON text uses (two spaces when it has none), so a rewrite keeps its look. */
function indentOf(text) {
    return /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
}
function capJson(v) {
    const s = JSON.stringify(v) ?? String(v);
    return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
/** Someone else changed the definitions between our read and our write: nothing was written. */
class ConcurrentChange extends FlagdRefusal {
    name = 'ConcurrentChange';
}
/** Bounds a local file operation (a hung network file system must not hang the step). */
async function deadline(what, ms, work) {
    const controller = new AbortController();
    let timer;
    try {
        return await Promise.race([
            work(controller.signal),
            new Promise((_, reject) => {
                timer = setTimeout(() => {
                    controller.abort();
                    reject(new router/* RouterError */.K(`${what}: not done within the router's timeout of ${(0,action_kit/* formatDuration */.a3)(ms)}`));
                }, ms);
            }),
        ]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** A definitions file as the router reads and replaces it (exported for tests). */
function fileStore(path, timeout) {
    const read = async (target, signal) => {
        const text = await (0,promises_.readFile)(target, { encoding: 'utf8', signal });
        if (Buffer.byteLength(text) > MAX_DEFINITIONS_BYTES)
            throw new FlagdRefusal(`${path} holds more than ${MAX_DEFINITIONS_BYTES} bytes; not a definitions file cutover edits`);
        return text;
    };
    const fail = (e, what) => {
        if (e instanceof router/* RouterError */.K)
            throw e;
        const code = e.code;
        throw new router/* RouterError */.K(`${what} ${path}: ${code ?? (0,action_kit/* errorMessage */.gJ)(e)}`);
    };
    return {
        where: path,
        load: () => deadline(`reading ${path}`, timeout, async (signal) => {
            try {
                const text = await read(path, signal);
                return { text, version: text };
            }
            catch (e) {
                if (e.code === 'ENOENT')
                    throw new FlagdRefusal(`the definitions file ${path} does not exist; give the path flagd reads (its --uri file:… or -f)`);
                return fail(e, 'cannot read');
            }
        }),
        save: (text, version) => deadline(`writing ${path}`, timeout, async (signal) => {
            // Follow a symlink (a ConfigMap mount, /etc/alternatives): replace the file, not the link.
            let target;
            let owner;
            try {
                target = await (0,promises_.realpath)(path);
                const st = await (0,promises_.stat)(target);
                owner = { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
            }
            catch (e) {
                return fail(e, 'cannot stat');
            }
            const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(target), `.${(0,external_node_path_.basename)(target)}.cutover-${process.pid}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`);
            try {
                const handle = await (0,promises_.open)(temp, 'wx', owner.mode);
                try {
                    // The file keeps its owner where we may set it (as root); otherwise it becomes ours.
                    if (process.getuid?.() === 0)
                        await handle.chown(owner.uid, owner.gid);
                    await handle.chmod(owner.mode);
                    await handle.writeFile(text, { encoding: 'utf8', signal });
                    await handle.sync();
                }
                finally {
                    await handle.close();
                }
                // The last moment to notice someone else's edit: compare just before the rename.
                if ((await read(target, signal)) !== version)
                    throw new ConcurrentChange(`${path} changed between cutover's read and its write (someone else edited it); nothing was written: run the step again`);
                await (0,promises_.rename)(temp, target);
            }
            catch (e) {
                await (0,promises_.unlink)(temp).catch(() => undefined);
                return fail(e, 'cannot write');
            }
        }),
    };
}
function configMapStore(config, connect) {
    const s = config.source;
    const where = flagdWhere(s);
    const pointer = `/data/${s.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return {
        where,
        async load() {
            const api = await connect();
            let cm;
            try {
                cm = await api.getConfigMap(s.name);
            }
            catch (e) {
                if (e.code === 404)
                    throw new FlagdRefusal(`${where}: the ConfigMap does not exist in namespace ${s.namespace} (${e.message})`);
                throw e;
            }
            const text = cm.data?.[s.key];
            if (typeof text !== 'string')
                throw new FlagdRefusal(`${where}: the ConfigMap has no key ${(0,action_kit/* quote */.hD)(s.key)} in its data${cm.binaryData?.[s.key] !== undefined ? ' (it is in binaryData, which cutover does not edit)' : ''}; its keys are: ${Object.keys(cm.data ?? {})
                    .map((k) => (0,action_kit/* quote */.hD)(k))
                    .join(', ') || 'none'}`);
            return {
                text,
                version: cm.metadata.resourceVersion ?? '',
                ...(cm.immutable
                    ? {
                        readOnly: `the ConfigMap is immutable ("immutable": true), so its data cannot change; make a mutable one for the flags`,
                    }
                    : {}),
            };
        },
        async save(text, version) {
            const api = await connect();
            try {
                await api.patchConfigMap(s.name, [
                    { op: 'replace', path: '/metadata/resourceVersion', value: version },
                    { op: 'replace', path: pointer, value: text },
                ]);
            }
            catch (e) {
                if (e.code === 409)
                    throw new ConcurrentChange(`${where}: the ConfigMap changed between cutover's read and its write (resourceVersion ${version} is no longer current; someone else edited it); nothing was written: run the step again`);
                throw e;
            }
        },
    };
}
let engine;
function loadEngine() {
    engine ??= __webpack_require__.e(/* import() */ 427).then(__webpack_require__.bind(__webpack_require__, 5427));
    return engine;
}
const quiet = { error() { }, warn() { }, info() { }, debug() { } };
/**
 * Evaluates `flag` in the definitions `text` with flagd-core for FLAGD_CHECK_KEYS targeting keys:
 * the share of on, and why the definition does not carry `target` (undefined when it does).
 */
async function evaluateSplit(text, flag, variants, target, options = {}) {
    const keys = options.keys ?? FLAGD_CHECK_KEYS;
    const { FlagdCore, MemoryStorage } = await loadEngine();
    const storage = new MemoryStorage(quiet);
    try {
        storage.setConfigurations(text, true);
    }
    catch (e) {
        const cause = e.cause;
        return {
            on: 0,
            total: 0,
            problem: `flagd-core refuses the definitions: ${(0,action_kit/* errorMessage */.gJ)(e).replace(/\s+/g, ' ').slice(0, 300)}${cause ? ` (${(0,action_kit/* errorMessage */.gJ)(cause).slice(0, 200)})` : ''}`,
        };
    }
    const core = new FlagdCore(storage, quiet);
    const kind = typeof storage.getFlag(flag)?.variants.get(variants.on);
    const type = kind === 'boolean' || kind === 'number' || kind === 'string' ? kind : 'object';
    const fallback = { boolean: false, number: 0, string: '', object: {} }[type];
    const resolve = (context) => core.resolve(type, flag, fallback, context);
    // A context without a targetingKey gets the defaultVariant: off.
    const anonymous = resolve({});
    if (anonymous.variant !== variants.off)
        return {
            on: 0,
            total: 0,
            problem: `a context without a targetingKey evaluates to ${anonymous.variant === undefined ? `no variant (${anonymous.reason}${anonymous.errorMessage ? `: ${anonymous.errorMessage}` : ''})` : (0,action_kit/* quote */.hD)(String(anonymous.variant))}, not the off variant ${(0,action_kit/* quote */.hD)(variants.off)}`,
        };
    let on = 0;
    for (let i = 0; i < keys; i++) {
        const r = resolve({ targetingKey: `cutover-check-${i}` });
        if (r.variant === variants.on)
            on++;
        else if (r.variant !== variants.off)
            return {
                on,
                total: i + 1,
                problem: `targetingKey cutover-check-${i} evaluates to ${r.variant === undefined ? `no variant (${r.reason}${r.errorMessage ? `: ${r.errorMessage}` : ''})` : (0,action_kit/* quote */.hD)(String(r.variant))}, neither off nor on`,
            };
    }
    if (options.split === false)
        return { on, total: keys };
    const share = (on * 100) / keys;
    const exact = target.green === 0 || target.green === 100;
    const off = exact
        ? share !== target.green
        : Math.abs(share - target.green) > FLAGD_CHECK_TOLERANCE;
    return {
        on,
        total: keys,
        ...(off
            ? {
                problem: `flagd-core puts ${share.toFixed(2)}% of ${keys} targeting keys on, not ${target.green}%${exact ? '' : ` ± ${FLAGD_CHECK_TOLERANCE} pp`}`,
            }
            : {}),
    };
}
class FlagdRouter {
    config;
    options;
    type = 'flagd';
    name;
    notes = [];
    /** Any whole percentage: the fractional rule carries it. */
    canSplit = true;
    log;
    store;
    api;
    /** The flag's weights at the last successful read in this run, for "unknown" messages. */
    lastRead;
    constructor(config, options = {}) {
        this.config = config;
        this.options = options;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
        this.store =
            config.source.kind === 'file'
                ? fileStore(config.source.path, config.timeout)
                : configMapStore(config, () => this.connect());
        if (config.source.kind === 'configmap')
            this.notes.push(`${config.name}: flagd sees a ConfigMap change when the kubelet refreshes the mounted volume (up to about a minute, its sync period plus cache TTL; a subPath mount never refreshes). cutover verifies the ConfigMap, not each flagd pod.`);
    }
    connect() {
        const s = this.config.source;
        this.api ??= Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 820)).then(({ KubernetesApi }) => KubernetesApi.open({
            namespace: s.namespace,
            timeout: this.config.timeout,
            ...(s.context ? { context: s.context } : {}),
        }, this.options));
        // A failed connection is tried again next time, not remembered.
        this.api.catch(() => (this.api = undefined));
        return this.api;
    }
    describe() {
        return flagdDescribe(this.config);
    }
    async servers() {
        return (0,router_flag/* flagServers */.p0)(this.config.variants, flagdWhere(this.config.source));
    }
    parse(text) {
        try {
            return JSON.parse(text);
        }
        catch (e) {
            throw new FlagdRefusal(`router ${this.name}: ${this.store.where} is not JSON (${(0,action_kit/* errorMessage */.gJ)(e).slice(0, 120)}); cutover edits flagd's JSON definitions (not YAML)`);
        }
    }
    /**
     * What the flag holds now. When that cannot be read, the error says it is unknown and what the
     * flag held at this router's last read in this run (a single router has no group to say it).
     */
    async read() {
        let weights;
        try {
            const { text } = await this.store.load();
            const doc = this.parse(text);
            const state = flagState(doc, this.config.flag, this.config.variants);
            // A DISABLED flag reads as the weights of its rule: what re-enabling it serves, and what a
            // move toward off (always written) starts from.
            const rule = state.ok ? undefined : disabledState(doc, this.config.flag, this.config.variants);
            if (!state.ok && !rule?.ok)
                throw new FlagdRefusal(`router ${this.name}: ${this.store.where}: ${rule && !rule.ok ? `${rule.why} (the flag is DISABLED)` : state.why}`);
            weights = state.ok ? state.weights : rule.weights;
            if (rule)
                this.warnDisabled(weights);
        }
        catch (e) {
            const last = this.lastRead;
            if (!last)
                throw e;
            const message = `${(0,action_kit/* errorMessage */.gJ)(e)}; what the flag holds now is unknown (it held ${(0,domain_slots/* formatWeights */.V7)(last.weights)} at its last read, ${last.at.toISOString()})`;
            throw e instanceof FlagdRefusal ? new FlagdRefusal(message) : new router/* RouterError */.K(message);
        }
        this.lastRead = { weights, at: new Date() };
        return weights;
    }
    async write(target) {
        assertWritable(target);
        const { flag, variants } = this.config;
        const where = this.store.where;
        const before = await this.store.load();
        if (before.readOnly)
            throw new FlagdRefusal(`router ${this.name}: ${where}: ${before.readOnly}; nothing was changed`);
        const next = withWeights(this.parse(before.text), flag, variants, target);
        if ('why' in next)
            throw new FlagdRefusal(`router ${this.name}: ${where}: ${next.why}; nothing was changed`);
        const text = `${JSON.stringify(next.doc, null, indentOf(before.text))}${before.text.endsWith('\n') ? '\n' : ''}`;
        // A DISABLED flag keeps its state: flagd-core resolves it to the caller's default with reason
        // DISABLED and no variant, so its rule is checked on a copy ENABLED, as re-enabling serves it.
        const disabled = next.disabled === true;
        const asFlagd = (t) => disabled ? JSON.stringify(asEnabled(JSON.parse(t), flag)) : t;
        // Before it is written, the new definition must load in flagd-core and give every context a
        // variant (a rule flagd would refuse never lands); the split is measured on what is stored.
        const planned = await evaluateSplit(asFlagd(text), flag, variants, target, {
            keys: 1000,
            split: false,
        });
        if (planned.problem)
            throw new FlagdRefusal(`router ${this.name}: ${where}: the new definition of ${flag} would not carry ${(0,domain_slots/* formatWeights */.V7)(target)}: ${planned.problem}; nothing was changed`);
        const beforeDoc = this.parse(before.text);
        const old = disabled
            ? disabledState(beforeDoc, flag, variants)
            : flagState(beforeDoc, flag, variants);
        if (disabled && old.ok)
            this.warnDisabled(old.weights);
        this.log.info(`${this.name}: writing flag ${flag} at ${(0,domain_slots/* formatWeights */.V7)(target)} (fractional [[${JSON.stringify(variants.on)}, ${target.green}], [${JSON.stringify(variants.off)}, ${target.blue}]]) to ${where}${old.ok ? `; it was ${(0,domain_slots/* formatWeights */.V7)(old.weights)}${old.ours ? '' : ` (no targeting, defaultVariant ${(0,action_kit/* quote */.hD)(old.defaultVariant)})`}` : ''}`);
        const started = Date.now();
        try {
            await this.store.save(text, before.version);
        }
        catch (e) {
            if (e instanceof FlagdRefusal)
                throw new router/* RouterError */.K(`router ${this.name}: ${e.message}`);
            const now = await this.where();
            throw new router/* RouterError */.K(`router ${this.name}: writing ${where} failed (${(0,action_kit/* errorMessage */.gJ)(e)}); ${now}`);
        }
        // Read back what is stored and evaluate it as flagd will.
        let problem;
        let stored;
        try {
            stored = await this.store.load();
            const storedDoc = this.parse(stored.text);
            const state = flagState(disabled ? asEnabled(storedDoc, flag) : storedDoc, flag, variants);
            if (disabled && !isDisabled(storedDoc, flag))
                problem = 'it reads back no longer DISABLED (someone changed its state)';
            else if (!state.ok)
                problem = state.why;
            else if (!(0,domain_slots/* sameWeights */.ML)(state.weights, target) || !state.ours)
                problem = `it reads back as ${(0,domain_slots/* formatWeights */.V7)(state.weights)}`;
            else {
                const check = await evaluateSplit(asFlagd(stored.text), flag, variants, target);
                problem = check.problem;
                if (!problem)
                    this.log.info(`${this.name}: ${where} reads back ${(0,domain_slots/* formatWeights */.V7)(target)}${disabled ? ' with the flag still DISABLED' : ''}; flagd-core${disabled ? ', evaluating it as if re-enabled,' : ''} (the flagd evaluation engine) puts ${check.on} of ${check.total} targeting keys on (${((check.on * 100) / check.total).toFixed(2)}%) ${Date.now() - started} ms after the write`);
            }
        }
        catch (e) {
            problem = `reading it back failed: ${(0,action_kit/* errorMessage */.gJ)(e)}`;
        }
        if (!problem) {
            this.lastRead = { weights: target, at: new Date() };
            return;
        }
        let back;
        try {
            const current = stored ?? (await this.store.load());
            await this.store.save(before.text, current.version);
            back = `put the previous definition back (${old.ok ? (0,domain_slots/* formatWeights */.V7)(old.weights) : 'as it was'})`;
        }
        catch (e) {
            back = `putting the previous definition back failed too (${(0,action_kit/* errorMessage */.gJ)(e)})`;
        }
        throw new router/* RouterError */.K(`router ${this.name}: the written definition of ${flag} in ${where} does not carry ${(0,domain_slots/* formatWeights */.V7)(target)} (${problem}); ${back}; ${await this.where()}`);
    }
    warnedDisabled = false;
    /** Once per run: a DISABLED flag serves code defaults, not the weights cutover reads and writes. */
    warnDisabled(weights) {
        if (this.warnedDisabled)
            return;
        this.warnedDisabled = true;
        const { flag } = this.config;
        this.log.warning(`${this.name}: flag ${flag} in ${this.store.where} is DISABLED (someone set "state": "DISABLED"): flagd serves each application's code default, not the fractional rule; the rule holds ${(0,domain_slots/* formatWeights */.V7)(weights)}, which is what re-enabling the flag serves. cutover still writes a move to 0 (a rollback; the flag stays DISABLED) but no raise.`);
    }
    /** For messages: what the flag holds now, or why that is unknown. */
    async where() {
        try {
            return `the flag now holds ${(0,domain_slots/* formatWeights */.V7)(await this.read())}`;
        }
        catch (e) {
            return `what the flag holds now is unknown (${(0,action_kit/* errorMessage */.gJ)(e).slice(0, 200)})`;
        }
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/unleash.js
/**
 * An Unleash feature flag as the router (docs/architecture.md, "A flag is a router kind"): slot
 * blue is the flag off, green on, and the weight of green is the rollout percentage of the
 * `flexibleRollout` strategy cutover owns in one environment (its title is `cutover`).
 *
 * - read(): the owned strategy's rollout; the flag disabled in the environment, or no owned
 *   strategy, or the strategy disabled, reads as 0% (nobody is exposed through it).
 * - write(): before anything changes, the project, flag, environment, the constraints' context
 *   fields and the stickiness field must exist (`check()`). Then: create the strategy at rollout
 *   0 when absent (with the configured constraints), PATCH its rollout (a STRING: Unleash answers
 *   400 to a number and accepts "101" without a word, so the range is ours to enforce), read it
 *   back, switch the environment on only when raising (the strategy already written), and poll
 *   the client API until it serves exactly what the admin API holds — that is "done".
 * - Unleash's trap: disabling the only strategy switches the flag off in the environment, and
 *   enabling it again does not switch it back on. cutover never disables a strategy or the
 *   environment: moving to 0 is rollout "0".
 * - Switching a disabled environment on would expose the users of every other enabled strategy
 *   there too: refused, before anything changes.
 */






/** The title that marks the flexibleRollout strategy cutover owns. */
const UNLEASH_STRATEGY_TITLE = 'cutover';
/** Context fields every Unleash has (stickiness `default` and `random` are not fields). */
const STICKINESS_BUILTIN = ['default', 'random', 'userId', 'sessionId'];
/** Refused before anything changed: the message says why and what is allowed. */
class UnleashRefusal extends router/* RouterError */.K {
    name = 'UnleashRefusal';
}
/** A rollout parameter as a whole percentage, or undefined when it is not one. */
function parseRollout(value) {
    const s = typeof value === 'number' ? String(value) : value;
    if (typeof s !== 'string' || !/^\d{1,3}$/.test(s.trim()))
        return undefined;
    const n = Number(s);
    return n <= 100 ? n : undefined;
}
const isOurs = (s) => s.name === 'flexibleRollout' && s.title === UNLEASH_STRATEGY_TITLE;
/**
 * The flag's state in `env` for cutover: its owned strategy's rollout, 0 when the environment is
 * off, the strategy absent or disabled. Throws (a RouterError) on what it cannot read honestly:
 * two owned strategies, a rollout that is not a whole percentage.
 */
function unleash_flagState(env, routerName) {
    const strategies = env.strategies ?? [];
    const owned = strategies.filter(isOurs);
    if (owned.length > 1)
        throw new router/* RouterError */.K(`router ${routerName}: environment ${env.name} has ${owned.length} flexibleRollout strategies titled "${UNLEASH_STRATEGY_TITLE}" (${owned.map((s) => s.id).join(', ')}); cutover owns one: delete the extra ones in Unleash`);
    const ours = owned[0];
    const others = strategies.filter((s) => !isOurs(s) && !s.disabled);
    let rollout = 0;
    if (ours) {
        const r = parseRollout(ours.parameters?.rollout);
        if (r === undefined)
            throw new router/* RouterError */.K(`router ${routerName}: the "${UNLEASH_STRATEGY_TITLE}" strategy ${ours.id} in ${env.name} holds rollout ${JSON.stringify(ours.parameters?.rollout)}, which is not a whole percentage from 0 to 100`);
        rollout = r;
    }
    const exposed = env.enabled && ours && !ours.disabled ? rollout : 0;
    return {
        enabled: env.enabled,
        ...(ours ? { ours } : {}),
        rollout,
        others,
        weights: { blue: 100 - exposed, green: exposed },
    };
}
const sameJson = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
/** The constraint as we compare it with what Unleash stores (it adds the defaults). */
function normalConstraint(c) {
    // A list operator uses `values`, the others `value`; Unleash may store the unused one empty.
    const list = UNLEASH_LIST_OPERATORS.includes(c.operator);
    return {
        contextName: c.contextName,
        operator: c.operator,
        ...(list ? { values: [...(c.values ?? [])] } : { value: c.value ?? '' }),
        inverted: c.inverted ?? false,
        caseInsensitive: c.caseInsensitive ?? false,
    };
}
/**
 * The plan that takes the flag from `state` to `target` (a pure decision, tested as a table), or
 * the reason it is refused. A move to 0 only lowers the rollout: it never disables anything.
 */
function planUnleashWrite(state, target, config) {
    const want = target.green;
    if (want === 0) {
        // Rollout "0" even where nobody is exposed through it now (the environment off, the strategy
        // disabled): switching either back on by hand must not expose the walk's users again.
        if (!state.ours || state.rollout === 0)
            return { create: false, patch: [], enable: false };
        return {
            create: false,
            patch: [{ op: 'replace', path: '/parameters/rollout', value: '0' }],
            enable: false,
        };
    }
    if (!state.enabled && state.others.length > 0)
        return {
            refused: `the flag is off in environment ${config.environment} and has ${state.others.length} other enabled ${state.others.length === 1 ? 'strategy' : 'strategies'} (${state.others.map((s) => `${s.name}${s.title ? ` "${s.title}"` : ''}`).join(', ')}); switching it on would expose their users too. Disable those strategies, or switch the flag on yourself, then walk it`,
        };
    // Switched off in Unleash while our strategy holds users (a kill switch, or its only strategy
    // disabled — Unleash's trap): a raise must not switch it back on behind someone's back.
    if (state.ours && state.rollout > 0 && (!state.enabled || state.ours.disabled))
        return {
            refused: `${state.enabled ? `the "${UNLEASH_STRATEGY_TITLE}" strategy is disabled in environment ${config.environment} while it holds` : `the flag is off in environment ${config.environment} while the "${UNLEASH_STRATEGY_TITLE}" strategy holds`} rollout ${state.rollout}%: someone switched it off in Unleash since cutover wrote it; cutover does not switch it back on. Roll the walk back (rollout 0) and walk again, or switch it on in Unleash yourself`,
        };
    const patch = [];
    const params = state.ours?.parameters ?? {};
    const current = state.ours ? state.rollout : 0;
    if (!state.ours || current !== want || String(params.rollout) !== String(want))
        patch.push({ op: 'replace', path: '/parameters/rollout', value: String(want) });
    if (state.ours) {
        if (params.stickiness !== config.stickiness)
            patch.push({ op: 'replace', path: '/parameters/stickiness', value: config.stickiness });
        if (params.groupId !== config.groupId)
            patch.push({ op: 'replace', path: '/parameters/groupId', value: config.groupId });
        const wanted = config.constraints.map(normalConstraint);
        const held = (state.ours.constraints ?? []).map(normalConstraint);
        if (!sameJson(wanted, held))
            patch.push({ op: 'replace', path: '/constraints', value: wanted });
        if (state.ours.disabled)
            patch.push({ op: 'replace', path: '/disabled', value: false });
        // Mid-walk (users exposed through it), an edit made in Unleash is not undone silently: a
        // changed stickiness or group id reshuffles who is exposed, changed constraints who may be.
        const edited = patch.filter((p) => p.path !== '/parameters/rollout' && p.path !== '/disabled');
        if (state.rollout > 0 && edited.length > 0)
            return {
                refused: `the "${UNLEASH_STRATEGY_TITLE}" strategy in ${config.environment} holds rollout ${state.rollout}% with ${edited
                    .map((p) => p.path === '/constraints'
                    ? `constraints [${(state.ours?.constraints ?? []).map(describeConstraint).join('; ')}]`
                    : p.path === '/parameters/groupId'
                        ? `group id ${String(params.groupId)}`
                        : `stickiness ${String(params.stickiness)}`)
                    .join(', ')}, not as configured: changed in Unleash (or in the router config) mid-walk; writing would overwrite it and change who is exposed. Roll the walk back (rollout 0) and walk again, or make the router config match Unleash`,
            };
    }
    return { create: !state.ours, patch, enable: !state.enabled };
}
/**
 * What SDKs are served, reduced to what cutover checks: enabled, and the rollouts of the
 * flexibleRollout strategies with our group id, in order. The admin side is reduced the same way
 * (disabled strategies are not served).
 */
function servedShape(enabled, strategies, groupId) {
    const rollouts = strategies
        .filter((s) => !s.disabled && s.name === 'flexibleRollout' && s.parameters?.groupId === groupId)
        .map((s) => String(s.parameters?.rollout));
    return enabled ? `on, rollout ${rollouts.join('/') || 'none'}` : 'off';
}
class UnleashRouter {
    config;
    type = 'unleash';
    name;
    notes = [];
    /** Any whole percentage: the rollout carries it. */
    canSplit = true;
    log;
    checked;
    /** The flag's weights at the last successful read in this run, for "unknown" messages. */
    lastRead;
    secrets;
    constructor(config, options = {}) {
        this.config = config;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
        this.secrets = unleashSecrets(config);
        if (!config.clientToken)
            this.notes.push(`${config.name}: without 'client-token' a change is confirmed through the admin API only (Unleash does not take an admin token on its client API); give a client token of environment ${config.environment} to confirm what SDKs are served.`);
    }
    describe() {
        return unleashDescribe(this.config);
    }
    async servers() {
        const c = this.config;
        return (0,router_flag/* flagServers */.p0)(c.variants, `${c.url} ${c.project}/${c.environment}/${c.flag}`);
    }
    // ---- HTTP ----
    /** One exchange with Unleash: one deadline for the request and its whole answer. */
    async call(method, path, body, who = 'admin') {
        const token = who === 'admin' ? this.config.token : (this.config.clientToken ?? '');
        const url = `${this.config.url}${path}`;
        const shown = `${method} ${url.replace(/\?.*/, '')}`;
        try {
            const res = await fetch(url, {
                method,
                headers: {
                    Authorization: token,
                    Accept: 'application/json',
                    ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
                },
                ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
                redirect: 'error',
                signal: AbortSignal.timeout(this.config.timeout),
            });
            return { status: res.status, text: await res.text() };
        }
        catch (e) {
            const err = e;
            const why = err.name === 'TimeoutError' || err.name === 'AbortError'
                ? `no whole answer within the router's timeout of ${(0,action_kit/* formatDuration */.a3)(this.config.timeout)} (a deadline for the whole exchange)`
                : (err.cause?.code ?? err.cause?.message ?? err.message);
            throw new router/* RouterError */.K(`router ${this.name}: ${shown}: ${this.redact(why)}`);
        }
    }
    /** Unleash's error message from a body, with any token masked. */
    answer(status, text) {
        let message = text.trim().replace(/\s+/g, ' ');
        try {
            const j = JSON.parse(text);
            const details = (j.details ?? []).map((d) => d.message).filter((m) => m && m !== j.message);
            if (j.message)
                message = [j.message, ...details].join('; ');
        }
        catch {
            // plain text
        }
        return `${status} ${this.redact(message).slice(0, 400) || '(no body)'}`;
    }
    redact(text) {
        let out = text;
        for (const s of this.secrets)
            out = out.split(s).join('***');
        return out;
    }
    /** A JSON answer with an expected status; a refused token or anything else is a RouterError. */
    async json(method, path, body, ok = [200], who = 'admin') {
        const { status, text } = await this.call(method, path, body, who);
        if (!ok.includes(status))
            this.refuse(method, path, status, text, who);
        if (text.trim() === '')
            return undefined;
        try {
            return JSON.parse(text);
        }
        catch {
            throw new router/* RouterError */.K(`router ${this.name}: Unleash answered ${method} ${path} with ${status} but not JSON: ${this.redact(text).slice(0, 200)}`);
        }
    }
    /** The error for an answer we did not expect: a refused token, or what Unleash said. */
    refuse(method, path, status, text, who = 'admin') {
        const where = `${method} ${path.replace(/\?.*/, '')}`;
        if (status === 401 || status === 403) {
            const admin = who === 'admin';
            throw new UnleashRefusal(`router ${this.name}: Unleash refused ${admin ? "'token'" : "'client-token'"} (${this.answer(status, text)}) on ${where}; give ${admin ? 'an admin API token' : `a client (backend) token of environment ${this.config.environment}`} (its value is not shown)`);
        }
        throw new router/* RouterError */.K(`router ${this.name}: Unleash answered ${where} with ${this.answer(status, text)}`);
    }
    featurePath() {
        const c = this.config;
        return `/api/admin/projects/${encodeURIComponent(c.project)}/features/${encodeURIComponent(c.flag)}`;
    }
    strategiesPath() {
        return `${this.featurePath()}/environments/${encodeURIComponent(this.config.environment)}/strategies`;
    }
    // ---- reading ----
    /** The flag's environment as the admin API holds it now. */
    async environment() {
        const c = this.config;
        const { status, text } = await this.call('GET', this.featurePath());
        if (status === 404) {
            const projects = await this.projects().catch(() => undefined);
            if (projects && !projects.includes(c.project))
                throw new UnleashRefusal(`router ${this.name}: Unleash has no project ${JSON.stringify(c.project)} (projects: ${projects.join(', ')}); nothing was changed`);
            throw new UnleashRefusal(`router ${this.name}: Unleash has no flag ${JSON.stringify(c.flag)} in project ${c.project} (${this.answer(status, text)}); create the flag first (cutover walks a flag, it does not create one); nothing was changed`);
        }
        if (status !== 200)
            this.refuse('GET', this.featurePath(), status, text);
        let feature;
        try {
            feature = JSON.parse(text);
        }
        catch {
            throw new router/* RouterError */.K(`router ${this.name}: Unleash's answer for the flag is not JSON`);
        }
        const env = (feature.environments ?? []).find((e) => e.name === c.environment);
        if (!env) {
            const names = (feature.environments ?? []).map((e) => e.name);
            throw new UnleashRefusal(`router ${this.name}: environment ${JSON.stringify(c.environment)} is not one of flag ${c.flag}'s environments in project ${c.project} (${names.join(', ') || 'none'}); allowed: an environment that exists and is enabled for the project; nothing was changed`);
        }
        return env;
    }
    async projects() {
        const r = await this.json('GET', '/api/admin/projects');
        return (r.projects ?? []).map((p) => p.id);
    }
    /**
     * What the flag holds for cutover now. When Unleash cannot be read the error says so and what
     * the flag held at this router's last read in this run (never a guess at what it holds now).
     */
    async read() {
        let weights;
        try {
            weights = unleash_flagState(await this.environment(), this.name).weights;
        }
        catch (e) {
            const last = this.lastRead;
            // Refused before this run read anything: a configuration error, said as it is. Refused
            // after (a token revoked or expired, the flag archived mid-walk): still the last read.
            if (e instanceof UnleashRefusal && !last)
                throw e;
            const Err = e instanceof UnleashRefusal ? UnleashRefusal : router/* RouterError */.K;
            throw new Err(`${e.message}; what the flag holds now is unknown (${last ? `it held ${(0,domain_slots/* formatWeights */.V7)(last.weights)} at its last read, ${last.at.toISOString()}` : 'not read before in this run'})`);
        }
        this.lastRead = { weights, at: new Date() };
        return weights;
    }
    // ---- checking before any change ----
    /**
     * What only the server knows, checked once before the first write: the project, flag and
     * environment exist (read), every constraint's context field and the stickiness field exist,
     * and the client token serves this environment.
     */
    check(target) {
        // A move to 0 is never held up by a check (a rollback must not be refused).
        if (target?.green === 0)
            return Promise.resolve();
        this.checked ??= this.runCheck();
        this.checked.catch(() => (this.checked = undefined));
        return this.checked;
    }
    async runCheck() {
        const c = this.config;
        await this.environment();
        const fields = (await this.json('GET', '/api/admin/context')).map((f) => f.name);
        const unknown = [
            ...new Set(c.constraints.map((x) => x.contextName).filter((n) => !fields.includes(n))),
        ];
        if (unknown.length > 0)
            throw new UnleashRefusal(`router ${this.name}: Unleash has no context field ${unknown.map((n) => JSON.stringify(n)).join(', ')} (used in 'constraints'); allowed: ${fields.join(', ')}; create the field in Unleash (Configure → Context fields) first — Unleash itself would accept the constraint and never match it; nothing was changed`);
        if (!STICKINESS_BUILTIN.includes(c.stickiness) && !fields.includes(c.stickiness))
            throw new UnleashRefusal(`router ${this.name}: 'stickiness' is ${JSON.stringify(c.stickiness)}, which is not a context field of this Unleash; allowed: ${[...new Set([...STICKINESS_BUILTIN, ...fields])].join(', ')}; nothing was changed`);
        if (c.clientToken) {
            const served = await this.json('GET', `/api/client/features?namePrefix=${encodeURIComponent(c.flag)}`, undefined, [200], 'client');
            const env = served.query?.environment;
            if (env !== undefined && env !== c.environment)
                throw new UnleashRefusal(`router ${this.name}: 'client-token' is a token of environment ${JSON.stringify(env)}, not ${JSON.stringify(c.environment)}; it would confirm the wrong environment; give a client token of ${c.environment}; nothing was changed`);
        }
    }
    // ---- writing ----
    async write(target) {
        assertWritable(target);
        const c = this.config;
        // A move to 0 only lowers the rollout: it needs the flag, not the context fields or the client
        // token (one deleted or revoked mid-walk must not keep the walk's users exposed).
        if (target.green > 0)
            await this.check();
        const env = await this.environment();
        const before = unleash_flagState(env, this.name);
        const plan = planUnleashWrite(before, target, c);
        if ('refused' in plan)
            throw new UnleashRefusal(`router ${this.name}: ${plan.refused}; nothing was changed`);
        // Users another strategy exposes are not cutover's to move: never let "0%" read as "off".
        if (before.enabled && before.others.length > 0) {
            const n = before.others.length;
            this.log.warning(`${this.name}: ${n} other enabled ${n === 1 ? 'strategy' : 'strategies'} in ${c.environment} (${before.others.map((s) => `${s.name}${s.title ? ` "${s.title}"` : ''}`).join(', ')}) ${n === 1 ? 'exposes its' : 'expose their'} users whatever cutover's rollout is: ${target.green === 0 ? 'rollout 0 does not switch the flag off for them' : 'the flag is on for them too'}`);
        }
        const started = Date.now();
        let ours = before.ours;
        if (plan.create) {
            const body = {
                name: 'flexibleRollout',
                title: UNLEASH_STRATEGY_TITLE,
                constraints: c.constraints.map(normalConstraint),
                parameters: { rollout: '0', stickiness: c.stickiness, groupId: c.groupId },
            };
            ours = await this.json('POST', this.strategiesPath(), body, [200, 201]);
            this.log.info(`${this.name}: created the flexibleRollout strategy "${UNLEASH_STRATEGY_TITLE}" (${ours.id}) at rollout 0 in ${c.environment}, stickiness ${c.stickiness}, group ${c.groupId}${c.constraints.length ? `, constraints ${c.constraints.map(describeConstraint).join('; ')}` : ''}`);
        }
        if (plan.patch.length > 0 && ours) {
            this.log.info(`${this.name}: setting the rollout of "${UNLEASH_STRATEGY_TITLE}" in ${c.environment} to ${target.green}% (from ${before.weights.green}% exposed)${plan.patch.length > 1
                ? `; also ${plan.patch
                    .filter((p) => p.path !== '/parameters/rollout')
                    .map((p) => p.path.replace(/^\/(parameters\/)?/, ''))
                    .join(', ')} as configured`
                : ''}`);
            try {
                await this.json('PATCH', `${this.strategiesPath()}/${encodeURIComponent(ours.id)}`, plan.patch);
            }
            catch (e) {
                throw new router/* RouterError */.K(`${e.message}; the flag now: ${await this.where()}`);
            }
        }
        // Read back: the strategy holds what we wrote.
        if (ours) {
            const held = await this.json('GET', `${this.strategiesPath()}/${encodeURIComponent(ours.id)}`);
            if (parseRollout(held.parameters?.rollout) !== target.green &&
                !(target.green === 0 && plan.patch.length === 0))
                throw new router/* RouterError */.K(`router ${this.name}: wrote rollout ${target.green} but Unleash holds ${JSON.stringify(held.parameters?.rollout)} for strategy ${ours.id}; the flag now: ${await this.where()}`);
        }
        if (plan.enable) {
            // The strategy is written: switching the environment on exposes exactly its rollout.
            try {
                await this.json('POST', `${this.featurePath()}/environments/${encodeURIComponent(c.environment)}/on`, undefined, [200, 204]);
            }
            catch (e) {
                throw new router/* RouterError */.K(`${e.message}; the flag now: ${await this.where()}`);
            }
            this.log.info(`${this.name}: switched flag ${c.flag} on in ${c.environment}`);
        }
        const envAfter = await this.environment();
        const after = unleash_flagState(envAfter, this.name);
        this.lastRead = { weights: after.weights, at: new Date() };
        if (after.weights.green !== target.green)
            throw new router/* RouterError */.K(`router ${this.name}: after the write Unleash's admin API shows ${(0,domain_slots/* formatWeights */.V7)(after.weights)}, not ${(0,domain_slots/* formatWeights */.V7)(target)} (${describeState(after)})`);
        const expected = servedShape(envAfter.enabled, envAfter.strategies ?? [], c.groupId);
        if (!c.clientToken) {
            this.log.warning(`${this.name}: the admin API holds ${(0,domain_slots/* formatWeights */.V7)(target)} (${describeState(after)}); not confirmed through the client API, what SDKs read (no 'client-token')`);
            return;
        }
        const served = await this.awaitClient(expected);
        if (served !== expected) {
            throw new router/* RouterError */.K(`router ${this.name}: Unleash's client API did not serve ${expected} within ${(0,action_kit/* formatDuration */.a3)(c.propagationTimeout)} (it serves ${served}); the admin API holds ${(0,domain_slots/* formatWeights */.V7)(after.weights)}`);
        }
        this.log.info(`${this.name}: Unleash's client API serves ${(0,domain_slots/* formatWeights */.V7)(target)} (${expected}) ${Date.now() - started} ms after the write started; SDKs see it at their next refresh (unleash-client's default: 15 s)`);
    }
    /** Polls the client API until it serves `expected`; returns what it served last. */
    async awaitClient(expected) {
        const c = this.config;
        const deadline = Date.now() + c.propagationTimeout;
        let last = 'nothing yet';
        for (let delay = 100;; delay = Math.min(delay * 2, 1000)) {
            try {
                last = await this.served();
                if (last === expected)
                    return last;
            }
            catch (e) {
                last = `an error (${e.message})`;
                // A refused client token will not be accepted on the next poll either.
                if (e instanceof UnleashRefusal)
                    return last;
            }
            if (Date.now() + delay > deadline)
                return last;
            await (0,util/* sleep */.yy)(delay);
        }
    }
    /** What the client API serves for the flag now, reduced as servedShape does. */
    async served() {
        const c = this.config;
        const r = await this.json('GET', `/api/client/features?namePrefix=${encodeURIComponent(c.flag)}`, undefined, [200], 'client');
        // A move to 0 skips check(): a client token of another environment must not confirm it.
        const env = r.query?.environment;
        if (env !== undefined && env !== c.environment)
            return `environment ${env}'s flag ('client-token' is not a token of ${c.environment})`;
        const f = (r.features ?? []).find((x) => x.name === c.flag);
        if (!f)
            return 'no such flag';
        return servedShape(f.enabled, f.strategies ?? [], c.groupId);
    }
    /** For messages: the flag's state now, or why it cannot be read. */
    async where() {
        try {
            return describeState(unleash_flagState(await this.environment(), this.name));
        }
        catch (e) {
            return `unknown (${e.message})`;
        }
    }
}
/** For logs: "on in the environment, rollout 25% (strategy 01H…)". */
function describeState(s) {
    const strategy = s.ours
        ? `"${UNLEASH_STRATEGY_TITLE}" rollout ${s.rollout}%${s.ours.disabled ? ' (strategy disabled)' : ''}`
        : `no "${UNLEASH_STRATEGY_TITLE}" strategy`;
    return `${s.enabled ? 'on' : 'off'} in the environment, ${strategy}, ${s.weights.green}% exposed through it${s.others.length ? `; ${s.others.length} other enabled strategies` : ''}`;
}

// EXTERNAL MODULE: ./build/tsc/packages/router/kubernetes-api.js
var kubernetes_api = __webpack_require__(820);
;// CONCATENATED MODULE: ./build/tsc/packages/router/kubernetes-state.js
/**
 * Pure decisions over Kubernetes objects as the API server returns them: which HTTPRoute rules
 * carry the slots, their weights, the JSON patch that sets new ones, whether the gateway applied
 * the route, and where a Deployment's rollout stands. No I/O: tested as tables.
 */





/** A backendRef to a Service of the route's own namespace (the only kind a slot can be). */
function refersTo(ref, service, namespace) {
    return (ref.name === service &&
        (ref.group === undefined || ref.group === '') &&
        (ref.kind === undefined || ref.kind === 'Service') &&
        (ref.namespace === undefined || ref.namespace === namespace));
}
/** Gateway API: a backendRef without `weight` weighs 1. */
function refWeight(ref) {
    return ref.weight ?? 1;
}
/**
 * The rules that carry both slots (all of them, or `rule` only) and their weights as
 * percentages. Refuses when no rule has both, when a slot appears twice in a rule, or when the
 * rules disagree (a partial edit by hand): a router that cannot say where traffic is, says so.
 */
function routeState(route, targets, rule) {
    const rules = route.spec.rules ?? [];
    const namespace = route.metadata.namespace;
    const id = `HTTPRoute ${namespace}/${route.metadata.name}`;
    const both = `${targets.blue.service} and ${targets.green.service}`;
    const found = [];
    const indices = rule === undefined ? rules.map((_, i) => i) : [rule];
    if (rule !== undefined && rule >= rules.length)
        throw new router/* RouterError */.K(`${id} has ${rules.length} rule(s); there is no rule ${rule}`);
    for (const i of indices) {
        const refs = rules[i]?.backendRefs ?? [];
        const index = {};
        for (const slot of domain_slots/* SLOTS */._f) {
            const at = refs.flatMap((r, j) => (refersTo(r, targets[slot].service, namespace) ? [j] : []));
            if (at.length > 1)
                throw new router/* RouterError */.K(`${id} rule ${i} has ${at.length} backendRefs to Service ${targets[slot].service}; a slot must appear once per rule`);
            if (at.length === 1)
                index[slot] = at[0];
        }
        const has = domain_slots/* SLOTS */._f.filter((s) => index[s] !== undefined);
        if (has.length === 2) {
            const others = refs
                .filter((_, j) => j !== index.blue && j !== index.green)
                .filter((r) => refWeight(r) > 0)
                .map((r) => `${r.name} (weight ${refWeight(r)})`);
            found.push({ rule: i, index, others });
        }
        else if (rule !== undefined) {
            throw new router/* RouterError */.K(`${id} rule ${i} has no backendRef to ${has.length === 1 ? `Service ${targets[domain_slots/* SLOTS */._f.find((s) => !has.includes(s))].service}` : both}; add both slot Services (weight 0 for the idle one)`);
        }
    }
    if (found.length === 0)
        throw new router/* RouterError */.K(`${id} has no rule with backendRefs to both ${both}; add both slot Services to the rule that should switch (weight 0 for the idle one)`);
    const per = found.map((f) => {
        const refs = rules[f.rule]?.backendRefs ?? [];
        const raw = (slot) => refWeight(refs[f.index[slot]]);
        return { rule: f.rule, weights: toPercent(raw('blue'), raw('green')) };
    });
    const first = per[0]?.weights;
    if (per.some((p) => p.weights.blue !== first.blue || p.weights.green !== first.green))
        throw new router/* RouterError */.K(`${id}: its rules disagree on the slots' weights (${per.map((p) => `rule ${p.rule}: ${(0,domain_slots/* formatWeights */.V7)(p.weights)}`).join('; ')}); set them alike by hand, or choose one rule with 'route.rule'`);
    return { weights: first, rules: found };
}
/**
 * The header match of a rule: `x-canary: 1` is an Exact header match (header names match
 * ignoring case); a cookie is a RegularExpression on the Cookie header, anchored at both ends
 * so it means the same under full-match (Envoy) and partial-match implementations.
 */
function headerMatchFor(m) {
    if (m.kind === 'header')
        return { type: 'Exact', name: m.name, value: m.value };
    return {
        type: 'RegularExpression',
        name: 'Cookie',
        value: `^(.*;\\s*)?${regexLiteral(m.name)}=${regexLiteral(m.value)}(\\s*;.*)?$`,
    };
}
function matchOf(h) {
    if ((h.type ?? 'Exact') === 'Exact')
        return { kind: 'header', name: h.name, value: h.value };
    if (h.type !== 'RegularExpression' || h.name.toLowerCase() !== 'cookie')
        return undefined;
    const lit = '((?:[A-Za-z0-9]|\\\\x[0-9a-f]{2})+)';
    const found = new RegExp(`^\\^\\(\\.\\*;\\\\s\\*\\)\\?${lit}=${lit}\\(\\\\s\\*;\\.\\*\\)\\?\\$$`).exec(h.value);
    const name = found && fromRegexLiteral(found[1]);
    const value = found && fromRegexLiteral(found[2]);
    return name && value ? { kind: 'cookie', name, value } : undefined;
}
/**
 * The header route's rules: those whose one backendRef is a slot's Service and whose every
 * match carries exactly one header match of cutover's form. Null when there is none; a
 * RouterError when they disagree or a rule looks half like one.
 */
function routeMatch(route, targets) {
    const namespace = route.metadata.namespace;
    const found = [];
    for (const [i, rule] of (route.spec.rules ?? []).entries()) {
        const refs = rule.backendRefs ?? [];
        const matches = rule.matches ?? [];
        if (refs.length !== 1 || matches.length === 0)
            continue;
        const slot = domain_slots/* SLOTS */._f.find((s) => refersTo(refs[0], targets[s].service, namespace));
        if (!slot)
            continue;
        const each = matches.map((m) => m.headers?.length === 1 ? matchOf(m.headers[0]) : undefined);
        if (each.some((m) => m === undefined))
            continue;
        const first = each[0];
        if (each.some((m) => m?.kind !== first.kind || m.name !== first.name || m.value !== first.value))
            continue;
        found.push({ rule: i, route: { ...first, slot } });
    }
    if (found.length === 0)
        return null;
    const [one] = found;
    if (found.some((f) => JSON.stringify(f.route) !== JSON.stringify(one.route)))
        throw new router/* RouterError */.K(`HTTPRoute ${namespace}/${route.metadata.name} has header-match rules that disagree (${found.map((f) => `rule ${f.rule}: ${f.route.kind} ${f.route.name}=${f.route.value} -> ${f.route.slot}`).join('; ')}); remove them by hand`);
    return { route: one.route, rules: found.map((f) => f.rule) };
}
/**
 * A JSON patch that replaces the header route: each old header rule is tested (unchanged since
 * read) and removed, from the last; a new rule per match of the weighted rule (`base`) gets the
 * header match added, pointing at the slot's Service; the resourceVersion read is the
 * precondition (409 if anyone changed the route since).
 */
function matchPatch(route, state, targets, old, next, resourceVersion) {
    const rules = route.spec.rules ?? [];
    const ops = [];
    for (const i of [...old].sort((a, b) => b - a)) {
        ops.push({ op: 'test', path: `/spec/rules/${i}`, value: rules[i] });
        ops.push({ op: 'remove', path: `/spec/rules/${i}` });
    }
    if (next) {
        const base = rules[state.rules[0]?.rule ?? 0] ?? {};
        const baseRef = (base.backendRefs ?? [])[state.rules[0]?.index[next.slot] ?? 0];
        const header = headerMatchFor(next);
        const matches = (base.matches && base.matches.length > 0 ? base.matches : [{}]).map((m) => ({
            ...m,
            headers: [...(m.headers ?? []), header],
        }));
        const ref = { name: targets[next.slot].service };
        if (baseRef?.port !== undefined)
            ref.port = baseRef.port;
        ops.push({ op: 'add', path: '/spec/rules/-', value: { matches, backendRefs: [ref] } });
    }
    ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion });
    return ops;
}
/**
 * A JSON patch that sets the slots' weights and nothing else. Each touched backendRef is pinned
 * by a `test` of its name (the route's shape has not moved under us), and the resourceVersion we
 * read is written back as a precondition: if anyone changed the route since, the API server
 * answers 409 and changes nothing.
 */
function routePatch(state, targets, target, resourceVersion) {
    const ops = [];
    for (const r of state.rules) {
        for (const slot of domain_slots/* SLOTS */._f) {
            const path = `/spec/rules/${r.rule}/backendRefs/${r.index[slot]}`;
            ops.push({ op: 'test', path: `${path}/name`, value: targets[slot].service });
            // `add` sets a member whether or not it exists (RFC 6902 4.1).
            ops.push({ op: 'add', path: `${path}/weight`, value: target[slot] });
        }
    }
    ops.push({ op: 'replace', path: '/metadata/resourceVersion', value: resourceVersion });
    return ops;
}
/**
 * The gateway applied the route when every parent reports Accepted and ResolvedRefs True for at
 * least the route's current generation. No parent status at all means no controller took it.
 */
function routeApplied(route, generation) {
    const parents = route.status?.parents ?? [];
    if (parents.length === 0)
        return {
            applied: false,
            detail: `no gateway reported status for generation ${generation} (is a Gateway API controller running, and does parentRefs name its Gateway?)`,
        };
    let applied = true;
    const lines = parents.map((p) => {
        const ns = p.parentRef.namespace ?? route.metadata.namespace;
        const parts = ['Accepted', 'ResolvedRefs'].map((type) => {
            const c = (p.conditions ?? []).find((x) => x.type === type);
            if (!c) {
                applied = false;
                return `${type} not reported`;
            }
            const observed = c.observedGeneration ?? 0;
            const current = observed >= generation;
            if (c.status !== 'True' || !current)
                applied = false;
            const why = c.status === 'True'
                ? ''
                : ` (${c.reason ?? 'no reason'}${c.message ? `: ${c.message}` : ''})`;
            return `${type}=${c.status}${why}${current ? '' : ` for generation ${observed} < ${generation}`}`;
        });
        return `gateway ${ns}/${p.parentRef.name}${p.parentRef.sectionName ? `/${p.parentRef.sectionName}` : ''}: ${parts.join(', ')}`;
    });
    return { applied, detail: lines.join('; ') };
}
/**
 * Where a Deployment's rollout of `generation` stands: available when the controller observed it
 * and updated, ready and available replicas all equal the desired count; failed at once when it
 * reports ProgressDeadlineExceeded for this generation.
 */
function rolloutState(d, generation) {
    const desired = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    const observed = s.observedGeneration ?? 0;
    const counts = `${s.updatedReplicas ?? 0} updated, ${s.readyReplicas ?? 0} ready, ${s.availableReplicas ?? 0} available of ${desired}`;
    const detail = `${counts}; ${formatConditions(s.conditions)}`;
    if (observed < generation)
        return {
            state: 'progressing',
            detail: `the controller has not observed generation ${generation} yet (observed ${observed}); ${detail}`,
        };
    const progressing = (s.conditions ?? []).find((c) => c.type === 'Progressing');
    if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded')
        return { state: 'failed', detail };
    const all = [s.updatedReplicas, s.readyReplicas, s.availableReplicas].every((n) => (n ?? 0) === desired);
    if (all && (s.replicas ?? 0) === desired && (s.unavailableReplicas ?? 0) === 0)
        return { state: 'available', detail };
    return { state: 'progressing', detail };
}
/** Conditions quoted for a log line: `Progressing=False ProgressDeadlineExceeded: "..."`. */
function formatConditions(conditions) {
    if (!conditions || conditions.length === 0)
        return 'no conditions reported';
    return conditions
        .map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${(0,action_kit/* quote */.hD)(c.message)}` : ''}`)
        .join('; ');
}
/** The container to set the image on: `wanted`, or the only one. Throws a message otherwise. */
function pickContainer(d, wanted) {
    const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name);
    const id = `Deployment ${d.metadata.namespace}/${d.metadata.name}`;
    if (wanted !== undefined) {
        if (names.includes(wanted))
            return wanted;
        throw new router/* RouterError */.K(`${id} has no container ${(0,action_kit/* quote */.hD)(wanted)}; its containers are: ${names.join(', ') || 'none'}`);
    }
    if (names.length === 1)
        return names[0];
    throw new router/* RouterError */.K(`${id} has ${names.length} containers (${names.join(', ')}); say which one runs the release with the 'container' input`);
}
/** The slot a `route: { service }` selector points at, or a description of what it is instead. */
function selectorSlot(service, label) {
    const value = service.spec?.selector?.[label];
    if (value === 'blue' || value === 'green')
        return { slot: value };
    const id = `Service ${service.metadata.namespace}/${service.metadata.name}`;
    return {
        problem: value === undefined
            ? `${id} has no selector label ${(0,action_kit/* quote */.hD)(label)}`
            : `${id} selector ${label}=${(0,action_kit/* quote */.hD)(value)} is neither blue nor green`,
    };
}
/** Addresses of the endpoints that may receive traffic (ready unless said otherwise). */
function readyAddresses(slices) {
    const out = new Set();
    for (const s of slices)
        for (const e of s.endpoints ?? [])
            if (e.conditions?.ready !== false)
                for (const a of e.addresses)
                    out.add(a);
    return [...out].sort();
}
/**
 * A selector switch is applied when the switching Service's ready endpoints are exactly those of
 * the target slot's own Service: the EndpointSlice controller has followed the new selector, so
 * kube-proxy and every mesh or ingress reading EndpointSlices send new connections there only.
 */
function selectorApplied(switching, slotOwn) {
    const have = readyAddresses(switching);
    const want = readyAddresses(slotOwn);
    if (want.length === 0)
        return { applied: false, detail: "the slot's own Service has no ready endpoints" };
    const extra = have.filter((a) => !want.includes(a));
    const missing = want.filter((a) => !have.includes(a));
    if (extra.length === 0 && missing.length === 0)
        return { applied: true, detail: `${have.length} ready endpoint(s), all the slot's` };
    const list = (xs) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? ', ...' : ''}`;
    return {
        applied: false,
        detail: [
            extra.length > 0 ? `${extra.length} endpoint(s) not the slot's (${list(extra)})` : '',
            missing.length > 0 ? `${missing.length} of the slot's not yet in (${list(missing)})` : '',
        ]
            .filter(Boolean)
            .join('; '),
    };
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/kubernetes.js
/**
 * Kubernetes as a router: weights on a Gateway API HTTPRoute's backendRefs to the two slot
 * Services (blue-green and canary), or a Service whose selector label picks the slot (blue-green
 * only). Also rolls the idle slot's Deployment to a new image and waits until it is available,
 * which the traffic actions do before any traffic moves.
 */











/** Someone else changed the object between our read and our write; nothing was overwritten. */
class ConcurrentEdit extends router/* RouterError */.K {
    name = 'ConcurrentEdit';
}
/** The new release never became available: the release failed, not the tool. */
class RolloutFailed extends action_kit/* DeploymentFailed */.Nr {
    name = 'RolloutFailed';
}
function canRollSlots(router) {
    return typeof router?.rollSlot === 'function';
}
/** Re-read status after 25 ms, doubling to 1 s: a fast gateway is seen soon, a slow one costs few calls. */
const POLL_FIRST_MS = 25;
const POLL_MAX_MS = 1000;
class KubernetesRouter {
    config;
    options;
    type = 'kubernetes';
    name;
    /** A Service selector cannot split traffic: canary needs `route: { httproute }`. */
    canSplit;
    /** Operator-facing notes for the job summary (e.g. other backends sharing a rule). */
    notes = [];
    api;
    log;
    /** The header/cookie phase: a header-match rule on the HTTPRoute (absent for a Service selector). */
    match;
    constructor(config, options = {}) {
        this.config = config;
        this.options = options;
        this.name = config.name;
        this.canSplit = config.route.kind === 'httproute';
        this.log = options.log ?? action_kit/* silentLog */.aB;
        const { route } = config;
        if (route.kind === 'httproute') {
            this.match = {
                read: async () => {
                    const api = await this.connect();
                    return routeMatch(await api.getRoute(route.name), config.targets)?.route ?? null;
                },
                write: (next) => this.writeMatch(route.name, next),
            };
        }
    }
    /** The same discipline as weights: one JSON patch pinned by the resourceVersion read, then applied by the gateway. */
    async writeMatch(name, next) {
        const { targets, namespace, timeout } = this.config;
        const id = `HTTPRoute ${namespace}/${name}`;
        const what = next ? `${formatMatch(next)} -> ${next.slot}` : 'no header match';
        const started = Date.now();
        const api = await this.connect();
        const before = await api.getRoute(name);
        const old = routeMatch(before, targets);
        if (sameMatch(old?.route ?? null, next))
            return;
        const state = routeState(before, targets, this.config.route.kind === 'httproute' ? this.config.route.rule : undefined);
        const resourceVersion = before.metadata.resourceVersion ?? '';
        let current;
        try {
            current = await api.patchRoute(name, matchPatch(before, state, targets, old?.rules ?? [], next, resourceVersion));
        }
        catch (e) {
            throw await this.conflictOr(e, id, resourceVersion);
        }
        const generation = current.metadata.generation ?? 0;
        for (let attempt = 1;; attempt++) {
            const applied = routeApplied(current, generation);
            if (applied.applied)
                break;
            const left = timeout - (Date.now() - started);
            if (left <= 0)
                throw new router/* RouterError */.K(`${id} holds ${what} (generation ${generation}) but the gateway did not apply it within ${Math.round(timeout / 1000)} s: ${applied.detail}`);
            await (0,util/* sleep */.yy)(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS));
            current = await api.getRoute(name);
        }
        const after = routeMatch(current, targets)?.route ?? null;
        if (!sameMatch(after, next))
            throw new router/* RouterError */.K(`${id} reads ${after ? `${formatMatch(after)} -> ${after.slot}` : 'no header match'} after writing ${what}`);
    }
    describe() {
        return kubernetesDescribe(this.config);
    }
    /** Connects on first use: loading the client costs a few hundred ms, paid only here. */
    connect() {
        this.api ??= kubernetes_api.KubernetesApi.open(this.config, this.options).then((api) => {
            this.log.debug(`Kubernetes API server: ${api.server()}`);
            return api;
        });
        return this.api;
    }
    async read() {
        try {
            return await this.readRoute();
        }
        catch (e) {
            // A read that fails leaves the operator without the one fact that matters: say so.
            if (e instanceof kubernetes_api.KubernetesExchangeError)
                e.message = `${e.message}; where traffic is on ${this.describe()} is unknown: it could not be read`;
            throw e;
        }
    }
    async readRoute() {
        const api = await this.connect();
        const { route } = this.config;
        if (route.kind === 'httproute') {
            const current = await api.getRoute(route.name);
            const state = routeState(current, this.config.targets, route.rule);
            this.noteOthers(state.rules.flatMap((r) => r.others.map((o) => `rule ${r.rule}: ${o}`)));
            // What is stored is not yet what clients see until the gateway applied it: say so.
            const applied = routeApplied(current, current.metadata.generation ?? 0);
            if (!applied.applied)
                this.note(`HTTPRoute ${this.config.namespace}/${route.name} holds ${(0,domain_slots/* formatWeights */.V7)(state.weights)}, but its gateway has not applied that yet: ${applied.detail}`);
            return state.weights;
        }
        const found = selectorSlot(await api.getService(route.name), route.label);
        if ('problem' in found)
            throw new router/* RouterError */.K(`${found.problem}; cannot tell where traffic is`);
        return (0,domain_slots/* allOn */.PT)(found.slot);
    }
    async write(target) {
        assertWritable(target);
        if (this.config.route.kind === 'service' && (0,domain_slots/* liveSlot */.dz)(target) === undefined)
            throw new action_kit/* ConfigurationError */.j1(`${this.describe()} switches a Service selector, which cannot split traffic (asked for ${(0,domain_slots/* formatWeights */.V7)(target)}); use 'route: { httproute: <name> }' for a canary.`);
        const api = await this.connect();
        await this.assertSlotsCanServe(api, target);
        if (this.config.route.kind === 'httproute')
            await this.writeRoute(api, target);
        else
            await this.writeSelector(api, (0,domain_slots/* liveSlot */.dz)(target));
    }
    async servers() {
        const { namespace, targets } = this.config;
        const out = {};
        for (const slot of domain_slots/* SLOTS */._f)
            out[slot] = [
                { name: targets[slot].service, address: `${targets[slot].service}.${namespace}.svc` },
            ];
        return out;
    }
    /** A slot that is to take traffic needs available pods, as HAProxy refuses a DOWN server. */
    async assertSlotsCanServe(api, target) {
        for (const slot of domain_slots/* SLOTS */._f) {
            if (target[slot] === 0)
                continue;
            const name = this.config.targets[slot].deployment;
            const d = await api.getDeployment(name);
            const available = d.status?.availableReplicas ?? 0;
            if (available < 1)
                throw new router/* RouterError */.K(`Deployment ${this.config.namespace}/${name} (slot ${slot}) has no available replicas (${available} of ${d.spec?.replicas ?? 1}), so it cannot take ${target[slot]}% of traffic; nothing was changed. ${formatConditions(d.status?.conditions)}`);
            const label = this.config.route.kind === 'service' ? this.config.route.label : undefined;
            const podLabel = label && d.spec?.template?.metadata?.labels?.[label];
            if (label && podLabel !== slot)
                throw new router/* RouterError */.K(`Deployment ${this.config.namespace}/${name} (slot ${slot}) labels its pods ${label}=${(0,action_kit/* quote */.hD)(podLabel ?? null)}, so a selector ${label}=${slot} would reach none of them; label its pod template ${label}: ${slot}. Nothing was changed.`);
        }
    }
    async writeRoute(api, target) {
        const { route, targets, timeout, namespace } = this.config;
        if (route.kind !== 'httproute')
            return;
        const id = `HTTPRoute ${namespace}/${route.name}`;
        const started = Date.now();
        const before = await api.getRoute(route.name);
        const state = routeState(before, targets, route.rule);
        const resourceVersion = before.metadata.resourceVersion ?? '';
        let stored;
        try {
            stored = await api.patchRoute(route.name, routePatch(state, targets, target, resourceVersion));
        }
        catch (e) {
            throw await this.conflictOr(e, id, resourceVersion);
        }
        const generation = stored.metadata.generation ?? 0;
        this.log.info(`${id}: stored ${(0,domain_slots/* formatWeights */.V7)(target)} (generation ${generation}); waiting for the gateway to apply it`);
        let current = stored;
        for (let attempt = 1;; attempt++) {
            const applied = routeApplied(current, generation);
            if (applied.applied) {
                this.log.info(`${id}: applied: ${applied.detail}`);
                break;
            }
            const left = timeout - (Date.now() - started);
            if (left <= 0)
                throw new router/* RouterError */.K(`${id} holds ${(0,domain_slots/* formatWeights */.V7)(target)} (generation ${generation}) but the gateway did not apply it within ${Math.round(timeout / 1000)} s: ${applied.detail}. Clients may still see the earlier weights (${(0,domain_slots/* formatWeights */.V7)(state.weights)}) until it does.`);
            await (0,util/* sleep */.yy)(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS));
            current = await api.getRoute(route.name);
            if ((current.metadata.generation ?? 0) > generation) {
                throw new ConcurrentEdit(`${id} was changed by someone else while the gateway applied ${(0,domain_slots/* formatWeights */.V7)(target)} (generation ${current.metadata.generation} > ${generation}); traffic is now ${(0,domain_slots/* formatWeights */.V7)(routeState(current, targets, route.rule).weights)}`);
            }
        }
        const after = routeState(current, targets, route.rule).weights;
        if (!(0,domain_slots/* sameWeights */.ML)(after, target))
            throw new router/* RouterError */.K(`${id} did not take ${(0,domain_slots/* formatWeights */.V7)(target)}; it holds ${(0,domain_slots/* formatWeights */.V7)(after)}`);
    }
    async writeSelector(api, slot) {
        const { route, namespace } = this.config;
        if (route.kind !== 'service')
            return;
        const id = `Service ${namespace}/${route.name}`;
        const started = Date.now();
        const before = await api.getService(route.name);
        const resourceVersion = before.metadata.resourceVersion ?? '';
        try {
            // A merge patch that carries the resourceVersion it was made from: 409 if anyone changed it since.
            await api.patchService(route.name, {
                metadata: { resourceVersion },
                spec: { selector: { [route.label]: slot } },
            });
        }
        catch (e) {
            throw await this.conflictOr(e, id, resourceVersion);
        }
        const after = await this.read();
        if (!(0,domain_slots/* sameWeights */.ML)(after, (0,domain_slots/* allOn */.PT)(slot)))
            throw new router/* RouterError */.K(`${id} did not take selector ${route.label}=${slot}; traffic is now ${(0,domain_slots/* formatWeights */.V7)(after)}`);
        await this.waitEndpoints(api, slot, started);
    }
    /** The selector is stored; clients see it once the Service's endpoints are the slot's. */
    async waitEndpoints(api, slot, started) {
        const { route, namespace, targets, timeout } = this.config;
        const id = `Service ${namespace}/${route.name}`;
        const own = targets[slot].service;
        for (let attempt = 1;; attempt++) {
            const [switching, slotOwn] = await Promise.all([
                api.endpointSlices(route.name),
                api.endpointSlices(own),
            ]);
            const check = selectorApplied(switching, slotOwn);
            if (check.applied) {
                this.log.info(`${id}: endpoints follow the selector: ${check.detail} (as Service ${own})`);
                return;
            }
            const left = timeout - (Date.now() - started);
            if (left <= 0)
                throw new router/* RouterError */.K(`${id} selects slot ${slot}, but within ${Math.round(timeout / 1000)} s its endpoints did not become those of Service ${own}: ${check.detail}. New connections may still reach the other slot until they do.`);
            await (0,util/* sleep */.yy)(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS));
        }
    }
    /** A 409 is someone else's edit: say so, with where traffic is now, and never retry over it. */
    async conflictOr(e, id, resourceVersion) {
        if (!(e instanceof kubernetes_api.KubernetesApiError) || e.code !== 409)
            return e;
        let now = 'unknown (it could not be read back)';
        try {
            now = (0,domain_slots/* formatWeights */.V7)(await this.read());
        }
        catch {
            // keep "unknown": the conflict is the news
        }
        return new ConcurrentEdit(`${id} was changed by someone else after it was read (resourceVersion ${resourceVersion}); nothing was overwritten. Traffic is now ${now}. Re-run once the other change is done.`);
    }
    async rollSlot(slot, image, options) {
        const log = options.log ?? this.log;
        const api = await this.connect();
        const name = this.config.targets[slot].deployment;
        const id = `Deployment ${this.config.namespace}/${name}`;
        const started = Date.now();
        const before = await api.getDeployment(name);
        // An operator's pause is left alone, as HAProxy's maintenance is: the rollout would never start.
        if (before.spec?.paused)
            throw new router/* RouterError */.K(`${id} (slot ${slot}) is paused (spec.paused), so it would never roll out ${image}; resume it (kubectl rollout resume) or deploy to it by hand. Nothing was changed.`);
        const container = pickContainer(before, options.container);
        const previousImage = before.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image;
        const replicas = before.spec?.replicas ?? 1;
        let generation = before.metadata.generation ?? 0;
        let changed = false;
        if (previousImage !== image || rolloutState(before, generation).state !== 'available') {
            if (previousImage !== image) {
                log.info(`${id} (slot ${slot}): container ${container} ${previousImage ?? '(none)'} -> ${image}`);
                // Strategic merge: containers merge by name, so the other containers stay as they are.
                const stored = await api.patchDeployment(name, {
                    spec: { template: { spec: { containers: [{ name: container, image }] } } },
                });
                generation = stored.metadata.generation ?? generation;
                changed = true;
            }
            await this.waitAvailable(api, name, generation, options.timeoutMs, started, log);
        }
        else {
            log.info(`${id} (slot ${slot}) already runs ${image} and is available; nothing to roll`);
        }
        return {
            deployment: name,
            container,
            image,
            previousImage,
            changed,
            replicas,
            ms: Date.now() - started,
        };
    }
    async waitAvailable(api, name, generation, timeoutMs, started, log) {
        const id = `Deployment ${this.config.namespace}/${name}`;
        let last = '';
        for (let attempt = 1;; attempt++) {
            const d = await api.getDeployment(name);
            const r = rolloutState(d, generation);
            if (r.state === 'available') {
                log.info(`${id}: available (${r.detail})`);
                return d;
            }
            if (r.state === 'failed')
                throw new RolloutFailed(`${id} failed to roll out: ${r.detail}. No traffic was moved.`);
            if (r.detail !== last)
                log.info(`${id}: rolling out: ${r.detail}`);
            last = r.detail;
            const left = timeoutMs - (Date.now() - started);
            if (left <= 0)
                throw new RolloutFailed(`${id} did not become available within ${Math.round(timeoutMs / 1000)} s (rollout-timeout): ${r.detail}. No traffic was moved.`);
            await (0,util/* sleep */.yy)(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS));
        }
    }
    noteOthers(others) {
        if (others.length === 0)
            return;
        this.note(`${this.describe()}: other backends share the slots' rule and keep their weights (${others.join(', ')}); the blue/green shares are of the slots' part only.`);
    }
    /** A warning once per distinct message, kept for the job summary. */
    note(message) {
        if (this.notes.includes(message))
            return;
        this.notes.push(message);
        this.log.warning(message);
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/open.js







/** The one place that maps a router type to its provider; a list of routers becomes one group. */
function openRouter(config, options = {}) {
    if (Array.isArray(config)) {
        if (config.length === 1)
            return openRouter(config[0], options);
        return new GroupRouter(config.map((c) => openRouter(c, options)), options);
    }
    switch (config.type) {
        case 'haproxy':
            return new HaproxyRouter(config, options);
        case 'nginx':
            return new NginxRouter(config, options);
        case 'kubernetes':
            return new KubernetesRouter(config, options);
        case 'dns':
            return new DnsRouter(config, options);
        case 'flagd':
            return new FlagdRouter(config, options);
        case 'unleash':
            return new UnleashRouter(config, options);
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/index.js



















/***/ }),

/***/ 820:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KubernetesApi: () => (/* binding */ KubernetesApi),
/* harmony export */   KubernetesApiError: () => (/* binding */ KubernetesApiError),
/* harmony export */   KubernetesDeadline: () => (/* binding */ KubernetesDeadline),
/* harmony export */   KubernetesExchangeError: () => (/* binding */ KubernetesExchangeError),
/* harmony export */   PATCH: () => (/* binding */ PATCH)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7067);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4708);
/* harmony import */ var _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1082);
/* harmony import */ var _router_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7832);
/**
 * The six Kubernetes API calls the provider makes (get and patch an HTTPRoute, a Service and a
 * Deployment; list EndpointSlices), as plain HTTPS requests. The kubeconfig and its credentials
 * come from @kubernetes/client-node's own pieces (kubernetes-kubeconfig.ts, loaded by dynamic
 * import so only this provider pays for it); its generated API classes are not bundled.
 *
 * Every exchange has one deadline, the router's `timeout`: authentication (an exec plugin),
 * connecting, the answer and its whole body. A server that answers one byte at a time is cut off
 * at the deadline, like one that never answers. API errors become one-line RouterErrors that name
 * the verb, the object and the API server's own message, never a credential.
 */




const PATCH = {
    json: 'application/json-patch+json',
    merge: 'application/merge-patch+json',
    strategic: 'application/strategic-merge-patch+json',
};
/** An answer larger than this is not one of the objects cutover reads. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** One exchange with the API server failed (refused, unreachable, cut off, past its deadline). */
class KubernetesExchangeError extends _router_js__WEBPACK_IMPORTED_MODULE_3__/* .RouterError */ .K {
    name = 'KubernetesExchangeError';
}
/** An API call the server refused: `code` is the HTTP status, `reason` Kubernetes' Status reason. */
class KubernetesApiError extends KubernetesExchangeError {
    code;
    reason;
    name = 'KubernetesApiError';
    constructor(message, code, reason) {
        super(message);
        this.code = code;
        this.reason = reason;
    }
}
/** The exchange did not finish within the router's timeout; the request was cut off. */
class KubernetesDeadline extends KubernetesExchangeError {
    name = 'KubernetesDeadline';
}
class KubernetesApi {
    kubeconfig;
    base;
    namespace;
    timeout;
    agent;
    constructor(kubeconfig, base, namespace, timeout, agent) {
        this.kubeconfig = kubeconfig;
        this.base = base;
        this.namespace = namespace;
        this.timeout = timeout;
        this.agent = agent;
    }
    /** Loads the kubeconfig and picks the context; a missing or unusable one is a config error. */
    static async open(config, source = {}) {
        let loader;
        try {
            loader = await Promise.all(/* import() */[__webpack_require__.e(723), __webpack_require__.e(961)]).then(__webpack_require__.bind(__webpack_require__, 7961));
        }
        catch (e) {
            throw new _router_js__WEBPACK_IMPORTED_MODULE_3__/* .RouterError */ .K(`cannot load the Kubernetes client on Node ${process.versions.node} (${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(e).slice(0, 200)}); the Kubernetes router needs Node 24, as the actions' runs.using: node24 gives`);
        }
        const from = source.kubeconfig ?? 'the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)';
        let kc;
        try {
            kc = source.kubeconfig
                ? loader.Kubeconfig.fromFile(source.kubeconfig)
                : loader.Kubeconfig.fromDefault(source.env ?? {});
        }
        catch (e) {
            // Never a parser's message: it may quote the file, and the file holds credentials.
            const code = e.code;
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`cannot load ${from}: ${code ? `${code} (${e.path ?? 'file'})` : e instanceof loader.KubeconfigProblem ? e.message : 'not a valid kubeconfig'}`);
        }
        if (!kc || !kc.currentContext || kc.contexts.length === 0)
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`no kubeconfig found in ${from}: give the runner a kubeconfig (e.g. KUBECONFIG), or run in a cluster`);
        if (config.context !== undefined && !kc.useContext(config.context)) {
            const names = kc.contexts.map((c) => c.name);
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'router': 'context' is ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(config.context)}, which is not in ${from}; its contexts are: ${names.join(', ') || 'none'}.`);
        }
        const context = kc.currentContext;
        const cluster = kc.cluster();
        if (!cluster)
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`the kubeconfig context ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(context ?? '')} in ${from} names no cluster that ${from} defines`);
        let base;
        try {
            base = new URL(cluster.server);
        }
        catch {
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`cluster ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(cluster.name)} in ${from} has a server that is not a URL`);
        }
        if (base.protocol !== 'https:' && !(base.protocol === 'http:' && cluster.skipTLSVerify))
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`cluster ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(cluster.name)} in ${from}: the server must be https:// (plain http only with insecure-skip-tls-verify, as the Kubernetes client allows)`);
        if (cluster.proxyUrl)
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`cluster ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(cluster.name)} in ${from} sets proxy-url, which cutover does not support; give the runner a direct route to the API server`);
        // Keep-alive: status polls reuse one TLS connection. Idle sockets do not hold the process.
        const agent = base.protocol === 'https:'
            ? new node_https__WEBPACK_IMPORTED_MODULE_1__.Agent({ keepAlive: true })
            : new node_http__WEBPACK_IMPORTED_MODULE_0__.Agent({ keepAlive: true });
        return new KubernetesApi(kc, base, config.namespace, config.timeout, agent);
    }
    /** The API server's address, for logs (it carries no credential). */
    server() {
        return this.base.origin + this.base.pathname.replace(/\/$/, '');
    }
    /**
     * One exchange, bounded as a whole by the router's timeout. Resolves with the parsed JSON of a
     * 2xx answer; an error answer is a KubernetesApiError, anything else a RouterError naming the server.
     */
    exchange(what, method, path, body) {
        const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
        const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body.data));
        const seconds = this.timeout / 1000;
        return new Promise((resolve, reject) => {
            let request;
            let phase = 'authenticating with the kubeconfig credentials';
            let settled = false;
            const settle = (error, value) => {
                if (settled)
                    return;
                settled = true;
                clearTimeout(timer);
                if (error) {
                    request?.destroy();
                    reject(error);
                }
                else
                    resolve(value);
            };
            const timer = setTimeout(() => settle(new KubernetesDeadline(`${what}: the Kubernetes API server ${this.server()} did not complete the exchange within ${seconds} s (the router's timeout bounds each request as a whole); it was ${phase}`)), this.timeout);
            let answered = false;
            const answer = (res) => {
                answered = true;
                const chunks = [];
                let size = 0;
                phase = `reading the answer (HTTP ${res.statusCode}, 0 bytes so far)`;
                res.on('data', (chunk) => {
                    size += chunk.length;
                    phase = `reading the answer (HTTP ${res.statusCode}, ${size} bytes so far)`;
                    if (size > MAX_BODY_BYTES)
                        return settle(new KubernetesExchangeError(`${what}: the Kubernetes API server ${this.server()} answered more than ${MAX_BODY_BYTES} bytes; not an object cutover reads`));
                    chunks.push(chunk);
                });
                res.on('error', (e) => settle(this.unreachable(what, e)));
                res.on('close', () => {
                    if (!res.complete)
                        settle(this.unreachable(what, new Error(`the answer was cut off after ${size} bytes`)));
                });
                res.on('end', () => {
                    const text = Buffer.concat(chunks).toString('utf8');
                    const code = res.statusCode ?? 0;
                    if (code < 200 || code > 299)
                        return settle(this.refused(what, code, text));
                    try {
                        settle(undefined, JSON.parse(text));
                    }
                    catch {
                        settle(new KubernetesExchangeError(`${what}: the Kubernetes API server ${this.server()} answered HTTP ${code} with a body that is not JSON`));
                    }
                });
            };
            this.kubeconfig.credentials().then((credentials) => {
                const { headers, ...tls } = credentials;
                const send = url.protocol === 'https:' ? node_https__WEBPACK_IMPORTED_MODULE_1__.request : node_http__WEBPACK_IMPORTED_MODULE_0__.request;
                const attempt = (retried) => {
                    if (settled)
                        return;
                    phase = 'connecting';
                    const sent = (request = send(url, {
                        ...tls,
                        method,
                        agent: this.agent,
                        headers: {
                            ...headers,
                            Accept: 'application/json',
                            'User-Agent': 'cutover',
                            ...(body
                                ? { 'Content-Type': body.type, 'Content-Length': String(payload?.length) }
                                : {}),
                        },
                    }, answer));
                    sent.on('socket', (socket) => {
                        if (!socket.connecting)
                            return void (phase = 'waiting for the answer');
                        phase = 'connecting';
                        socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
                            if (phase === 'connecting')
                                phase = 'waiting for the answer';
                        });
                    });
                    sent.on('error', (e) => {
                        // A kept-alive socket the server closed as idle just as we reused it (any server's
                        // idle timeout races the client's reuse): a GET that got no byte back is sent once
                        // more (the agent connects anew: the closed socket is gone), within the same
                        // deadline. A PATCH is never sent twice: the server may have applied it.
                        if (!retried &&
                            method === 'GET' &&
                            sent.reusedSocket &&
                            !answered &&
                            e.code === 'ECONNRESET')
                            return attempt(true);
                        settle(this.unreachable(what, e));
                    });
                    sent.end(payload);
                };
                attempt(false);
            }, (e) => settle(new KubernetesExchangeError(`${what}: the kubeconfig credentials could not be made: ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(e).slice(0, 300)}`)));
        });
    }
    unreachable(what, e) {
        const code = e.code;
        // Node's socket errors (also from another realm, as under jest) carry message and code.
        const message = typeof e?.message === 'string' && e.message ? e.message : (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .gJ)(e);
        const said = code && !message.includes(code) ? `${code}: ${message}` : message;
        return new KubernetesExchangeError(`${what}: cannot reach the Kubernetes API server ${this.server()}: ${said.slice(0, 300)}`);
    }
    /** An answer from the API server that is not a success. */
    refused(what, code, body) {
        const status = parseStatus(body);
        const said = status.message ?? `HTTP ${code}`;
        const hint = code === 401
            ? ': the kubeconfig credentials were refused'
            : code === 403
                ? ' (the kubeconfig user lacks this permission: grant the Role in the README)'
                : '';
        return new KubernetesApiError(`${what}: ${code} ${status.reason ?? ''}${status.reason ? ': ' : ''}${said}${hint}`.replace(/ {2,}/g, ' '), code, status.reason);
    }
    ns() {
        return encodeURIComponent(this.namespace);
    }
    getRoute(name) {
        return this.exchange(`get HTTPRoute ${this.namespace}/${name}`, 'GET', this.routePath(name));
    }
    patchRoute(name, ops) {
        return this.exchange(`patch HTTPRoute ${this.namespace}/${name}`, 'PATCH', this.routePath(name), { type: PATCH.json, data: ops });
    }
    routePath(name) {
        return `/apis/gateway.networking.k8s.io/v1/namespaces/${this.ns()}/httproutes/${encodeURIComponent(name)}`;
    }
    getService(name) {
        return this.exchange(`get Service ${this.namespace}/${name}`, 'GET', `/api/v1/namespaces/${this.ns()}/services/${encodeURIComponent(name)}`);
    }
    patchService(name, body) {
        return this.exchange(`patch Service ${this.namespace}/${name}`, 'PATCH', `/api/v1/namespaces/${this.ns()}/services/${encodeURIComponent(name)}`, { type: PATCH.merge, data: body });
    }
    /** The EndpointSlices the EndpointSlice controller keeps for a Service (label kubernetes.io/service-name). */
    async endpointSlices(service) {
        const selector = encodeURIComponent(`kubernetes.io/service-name=${service}`);
        const list = await this.exchange(`list EndpointSlices of Service ${this.namespace}/${service}`, 'GET', `/apis/discovery.k8s.io/v1/namespaces/${this.ns()}/endpointslices?labelSelector=${selector}`);
        return list.items ?? [];
    }
    /** A ConfigMap (the flagd router's definitions). */
    getConfigMap(name) {
        return this.exchange(`get ConfigMap ${this.namespace}/${name}`, 'GET', `/api/v1/namespaces/${this.ns()}/configmaps/${encodeURIComponent(name)}`);
    }
    /** One JSON patch of a ConfigMap (the flagd router pins it to the resourceVersion it read). */
    patchConfigMap(name, ops) {
        return this.exchange(`patch ConfigMap ${this.namespace}/${name}`, 'PATCH', `/api/v1/namespaces/${this.ns()}/configmaps/${encodeURIComponent(name)}`, { type: PATCH.json, data: ops });
    }
    getDeployment(name) {
        return this.exchange(`get Deployment ${this.namespace}/${name}`, 'GET', `/apis/apps/v1/namespaces/${this.ns()}/deployments/${encodeURIComponent(name)}`);
    }
    patchDeployment(name, body) {
        return this.exchange(`patch Deployment ${this.namespace}/${name}`, 'PATCH', `/apis/apps/v1/namespaces/${this.ns()}/deployments/${encodeURIComponent(name)}`, { type: PATCH.strategic, data: body });
    }
}
/** Kubernetes answers errors with a Status object; the client hands its body over as text or JSON. */
function parseStatus(body) {
    let value = body;
    if (typeof body === 'string') {
        try {
            value = JSON.parse(body);
        }
        catch {
            return { message: body.slice(0, 300) };
        }
    }
    if (value && typeof value === 'object') {
        const s = value;
        return {
            ...(typeof s.message === 'string' ? { message: s.message.slice(0, 500) } : {}),
            ...(typeof s.reason === 'string' ? { reason: s.reason } : {}),
        };
    }
    return {};
}


/***/ }),

/***/ 7832:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ RouterError)
/* harmony export */ });
/** A router operation that failed: the message says what the router answered and where traffic is. */
class RouterError extends Error {
    name = 'RouterError';
}


/***/ }),

/***/ 6224:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vs: () => (/* reexport */ RollbackRefused),
  eU: () => (/* reexport */ RollbackStoodDown),
  dR: () => (/* reexport */ traffic_smoke/* SmokeFailed */.dR),
  iu: () => (/* reexport */ blueGreenSwitch),
  hr: () => (/* reexport */ canaryOutcome),
  pb: () => (/* reexport */ canaryReport),
  wc: () => (/* reexport */ gateFigures),
  OR: () => (/* reexport */ recordSelfRollback),
  Xl: () => (/* reexport */ refusalReport),
  wD: () => (/* reexport */ restoreAfterInterruptedWalk),
  dU: () => (/* reexport */ rollback),
  F3: () => (/* reexport */ rollbackReport),
  V4: () => (/* reexport */ rolledBackOnFailure),
  ou: () => (/* reexport */ rolledBackOutputs),
  i7: () => (/* reexport */ runCanary),
  Ih: () => (/* reexport */ traffic_smoke/* smokeReport */.Ih),
  vC: () => (/* reexport */ switchReport),
  ZF: () => (/* reexport */ unreachedMessage),
  f3: () => (/* reexport */ walkResumedFrom),
  pk: () => (/* reexport */ walkResumedWeight)
});

// UNUSED EXPORTS: NO_HEALTH_URL, NO_RELEASE, SMOKE_BODY_BYTES, SMOKE_COMMAND_KEYS, SMOKE_EXCERPT, SMOKE_HTTP_KEYS, SMOKE_LIMITS, SMOKE_PLACEHOLDERS, bakeKeeps, bakeWindow, clearMatch, decideRollback, describeRecord, excerpt, fillPlaceholders, forSlot, holderOf, isStepStatus, judgeAnswer, liveAndIdle, moveTowardSafety, moveTraffic, parseSmoke, planCanary, planSwitch, readTowardSafety, recordRollback, requireHealthy, requireSmoke, requireSplit, rollSlot, runBake, runSmoke, smokeFailureOutputs, smokeSection, smokeVerdict, viewSlots, waitHealthy, walkDrift, weightsTable

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/util.js
var util = __webpack_require__(6719);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/health.js
/**
 * "Is the new slot healthy?": N 2xx answers in a row from its health URL, within an overall
 * timeout. Every attempt has a deadline for the whole request (the abort signal, not an idle
 * timer): a server that drips its head a byte at a time is cut off like one that never answers.
 * The status is the answer; the body is never read, so a dripping body holds nothing.
 */


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
                // A redirect is not the slot answering: a 302 to a healthy page elsewhere proves nothing.
                redirect: 'manual',
            });
            await response.body?.cancel();
            const redirected = response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
            last = redirected
                ? `HTTP ${response.status} redirect${response.headers.get('location') ? ` to ${response.headers.get('location')}` : ''} in ${Date.now() - t0} ms (redirects are not followed: unhealthy)`
                : `HTTP ${response.status} in ${Date.now() - t0} ms`;
            inARow = !redirected && response.status >= 200 && response.status < 300 ? inARow + 1 : 0;
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
        await (0,util/* sleep */.yy)(check.interval);
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
/** `{{slot}}` in a URL becomes the slot's name, so one input serves whichever slot is the target. */
function forSlot(url, slot) {
    return url.replace(/\{\{\s*slot\s*\}\}/g, slot);
}
/** The warning of a step that moves traffic to a slot nobody checked (no `health-url`). */
const NO_HEALTH_URL = 'no health-url: the target slot is not checked before traffic moves to it. Give `health-url` (with {{slot}}) to check it first.';

// EXTERNAL MODULE: ./build/tsc/packages/traffic/smoke.js
var traffic_smoke = __webpack_require__(6292);
// EXTERNAL MODULE: ./build/tsc/packages/domain/slots.js
var domain_slots = __webpack_require__(545);
// EXTERNAL MODULE: ./build/tsc/packages/router/index.js + 18 modules
var packages_router = __webpack_require__(3178);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/move.js
/**
 * The one way strategies change weights: write, and if that fails, say where traffic is now.
 * moveTraffic is for moves away from stable (it refuses unless every router reads);
 * moveTowardSafety is for moves back to the known-good slot.
 */




async function moveTraffic(router, target, log) {
    try {
        await router.write(target);
    }
    catch (e) {
        // A list that took part of the change and was put back says where each router is.
        if (e instanceof packages_router/* RoutersPutBack */.Vm)
            throw e;
        let where;
        try {
            where = `traffic is now ${(0,domain_slots/* formatWeights */.V7)(await router.read())}`;
        }
        catch (readError) {
            where = `the router could not be read afterwards either (${(0,action_kit/* errorMessage */.gJ)(readError)}): check ${router.describe()} by hand`;
        }
        const message = (0,action_kit/* errorMessage */.gJ)(e);
        // Providers often say where traffic is already; say it once.
        throw new packages_router/* RouterError */.KJ(/traffic (is now|stays at)/.test(message) ? message : `${message}; ${where}`);
    }
    const after = await router.read();
    log.info(`traffic now: ${(0,domain_slots/* formatWeights */.V7)(after)}`);
    return after;
}
/**
 * The one way back to the known-good slot (rollback, a canary's automatic rollback, the post step
 * of an interrupted walk, an abort). On a router list it goes ahead on every router that answers
 * and returns the ones that did not, each with its last read, instead of refusing; the caller must
 * then fail the step (so alerts fire) while still saying traffic was rolled back. On one router it
 * is moveTraffic. Throws when no router took the change. Moves away from stable use moveTraffic.
 */
async function moveTowardSafety(router, target, log) {
    if (!(router instanceof packages_router/* GroupRouter */.bF))
        return { after: await moveTraffic(router, target, log), unreached: [] };
    let move;
    try {
        move = await router.writeReachable(target);
    }
    catch (e) {
        const where = await router.whereTrafficIs();
        throw new packages_router/* RouterError */.KJ(`${(0,action_kit/* errorMessage */.gJ)(e)}. Traffic now: ${where.join('; ')}`);
    }
    const total = router.routers.length;
    const moved = total - move.unreached.length;
    log.info(`traffic now: ${(0,domain_slots/* formatWeights */.V7)(move.after)}${move.unreached.length > 0 ? ` on ${moved} of ${total} routers` : ''}`);
    for (const u of move.unreached)
        log.warning(`not moved: ${(0,packages_router/* unreachedText */.NP)(u)}`);
    return move;
}
/**
 * Where a move toward safety starts from: the weights the routers that answer agree on, and the
 * routers that did not answer (a warning each). On one router: its read.
 */
async function readTowardSafety(router, log) {
    if (!(router instanceof packages_router/* GroupRouter */.bF))
        return { after: await router.read(), unreached: [] };
    const read = await router.readReachable();
    for (const u of read.unreached)
        log.warning(`cannot read ${(0,packages_router/* unreachedText */.NP)(u)}`);
    return read;
}
/**
 * The failure of a step that moved traffic back but not on every router: names each router not
 * moved, what it held at its last read, and what to do. Pure.
 */
function unreachedMessage(done, unreached, target) {
    return `${done}, but not on every router: ${unreached.length} of the list did not take it: ${unreached.map(packages_router/* unreachedText */.NP).join('; ')}. Put ${(0,domain_slots/* formatWeights */.V7)(target)} on ${unreached.length === 1 ? 'it' : 'them'} as soon as ${unreached.length === 1 ? 'it answers' : 'they answer'} (rollback with to: ${target.blue === 100 ? 'blue' : 'green'}), or take ${unreached.length === 1 ? 'it' : 'them'} out of service.`;
}
/** A step that ended with traffic put back on the known-good slot says so, and why, in its outputs. */
function rolledBackOutputs(rolledBack, reason) {
    return rolledBack
        ? { 'rolled-back': 'true', reason: reason.replace(/\s*\n\s*/g, ' ') }
        : { 'rolled-back': 'false', reason: '' };
}
/**
 * The rolled-back/reason outputs of a step that threw: set when the change had started and
 * every router was put back where it was (a router list that refused part of it), and for a
 * failed smoke test (phase smoke, rolled-back false, the reason naming the server); otherwise
 * none (a step that failed before traffic moved sets no outputs, as before).
 */
function rolledBackOnFailure(e) {
    if (e instanceof traffic_smoke/* SmokeFailed */.dR)
        return (0,traffic_smoke/* smokeFailureOutputs */.s)(e);
    return e instanceof packages_router/* RoutersPutBack */.Vm
        ? rolledBackOutputs(true, `the change failed part-way and was undone: ${(0,action_kit/* errorMessage */.gJ)(e)}`)
        : {};
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/rollout.js
/**
 * Putting the release onto a slot, where the router itself can (Kubernetes: the slot's
 * Deployment gets the image and becomes available). Done before any health check or traffic.
 */


/** A router and, for a group, its members. */
function members(router) {
    const group = router.routers;
    return Array.isArray(group) ? group : [router];
}
/** Rolls `slot` on every router that can; false when none can (the release was deployed by other means). */
async function rollSlot(router, slot, rollout, log) {
    const rollers = members(router).filter((r) => (0,packages_router/* canRollSlots */.f6)(r));
    for (const roller of rollers) {
        log.info(`rolling ${slot} to ${rollout.image} on ${roller.describe()}`);
        await roller.rollSlot(slot, rollout.image, {
            ...(rollout.container ? { container: rollout.container } : {}),
            timeoutMs: rollout.timeoutMs,
            log,
        });
    }
    return rollers.length > 0;
}
/** A canary needs a router that can split traffic; a Service selector cannot. */
function requireSplit(router) {
    const unable = members(router).find((r) => r.canSplit === false);
    if (unable)
        throw new action_kit/* ConfigurationError */.j1(`Input 'router': ${unable.describe()} cannot split traffic (it moves all of it at once), so it cannot carry a canary; use a router that can, e.g. a Kubernetes route: { httproute: ... }, or blue-green-switch.`);
}

// EXTERNAL MODULE: ./build/tsc/packages/gate/index.js + 9 modules
var packages_gate = __webpack_require__(4402);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/rollback-decision.js
/**
 * Where a rollback sends traffic, decided from facts only: the router's weights and this
 * service's deployment records in this environment (newest first, whatever routers they went
 * through). It never guesses: when the facts do not prove where the last good release is, it
 * refuses and says why. With `scope: deployment` it undoes one deployment's work and nothing
 * else: when that deployment no longer owns the traffic it stands down (changes nothing, exit 0)
 * and says whose the traffic is. Pure: no I/O, no clock.
 */

/** scope: deployment without a deployment id: the run never opened a record (it refused early). */
const NO_RELEASE = 'this run recorded no release (no deployment id): nothing to undo; nothing changed';
const ASK_FOR_TO = 'Name the slot to restore with `to: blue` or `to: green`.';
const GOOD_STATES = ['success', 'inactive'];
/** A deployment that is running, held, or live: it owns the traffic it moved. */
const ACTIVE_STATES = ['pending', 'queued', 'in_progress', 'success'];
const isDeploy = (r) => r.payload.strategy !== 'rollback';
const isGood = (r) => GOOD_STATES.includes(r.state);
/** A status a canary walk writes once it moved traffic: "canary 25%", "held at 50%". */
function isStepStatus(description) {
    return /^(canary|held at) \d+%/.test(description ?? '');
}
function describeRecord(r) {
    return `deployment ${r.id} (${r.payload.strategy} to ${r.payload.slot}, ${r.payload.image ?? 'no image recorded'}, ${r.state})`;
}
function decideRollback(facts) {
    const { weights, to } = facts;
    const live = (0,domain_slots/* liveSlot */.dz)(weights);
    const seen = [`router: ${(0,domain_slots/* formatWeights */.V7)(weights)}${live ? ` (live: ${live})` : ' (split)'}`];
    if (to !== 'previous') {
        const restored = facts.records.readable
            ? facts.records.records.find((r) => isDeploy(r) && r.payload.slot === to)
            : undefined;
        if (restored)
            seen.push(`${to} holds ${describeRecord(restored)}`);
        seen.push(`to: ${to} was asked for`);
        if (weights[to] === 100)
            return {
                action: 'nothing-to-do',
                target: to,
                why: `${to} already carries 100%: nothing to roll back`,
                facts: seen,
                ...(restored ? { restored } : {}),
            };
        return {
            action: 'move',
            target: to,
            why: `to: ${to} was asked for`,
            facts: seen,
            ...(restored ? { restored } : {}),
        };
    }
    if (facts.scope === 'deployment' && facts.undo === undefined)
        return { action: 'stand-down', why: NO_RELEASE, facts: seen };
    if (!facts.records.readable)
        return {
            action: 'refuse',
            why: `to: previous needs this service's deployment records, and they could not be read: ${facts.records.cause}. ${ASK_FOR_TO}`,
            facts: seen,
        };
    const { records, complete } = facts.records;
    const more = (why) => complete
        ? { action: 'refuse', why: `${why} ${ASK_FOR_TO}`, facts: seen }
        : { action: 'need-more' };
    if (facts.scope === 'deployment' && facts.undo !== undefined)
        return decideOwnWork(facts.undo, weights, records, complete, seen);
    if (records.length === 0)
        return more('There are no deployment records of this service in this environment.');
    if (facts.undo !== undefined)
        return decideUndo(facts.undo, weights, records, complete, seen);
    if (!live)
        return decideSplit(weights, records, seen);
    // The records must explain why `live` is live: no successful change to the other slot may be
    // newer than the newest record on `live` (else a deploy's record is missing).
    const firstOnLive = records.findIndex((r) => r.payload.slot === live);
    const newerGoodElsewhere = records
        .slice(0, firstOnLive < 0 ? records.length : firstOnLive)
        .find((r) => isGood(r) && r.payload.slot !== live);
    if (newerGoodElsewhere)
        return {
            action: 'refuse',
            why: `the records do not explain the router: the newest successful change, ${describeRecord(newerGoodElsewhere)}, put traffic on ${newerGoodElsewhere.payload.slot}, but ${live} carries 100%. A change was made without a record; rolling back from here would be a guess. ${ASK_FOR_TO}`,
            facts: [...seen, `newest successful change: ${describeRecord(newerGoodElsewhere)}`],
        };
    if (firstOnLive < 0)
        return more(`No deployment record puts anything on ${live}, the live slot.`);
    // A rollback to the live slot is the newest change: it already happened (a re-run, or the
    // button pressed after a walk put stable back by itself). True even when no record says which
    // release the live slot holds (a first canary): there is nothing left to decide.
    const newest = records[0];
    if (newest.payload.strategy === 'rollback' && isGood(newest) && newest.payload.slot === live) {
        const holder = records.find((r) => isDeploy(r) && r.payload.slot === live);
        if (holder)
            seen.push(`${live} (live) holds ${describeRecord(holder)}`);
        seen.push(`newest record: ${describeRecord(newest)}`);
        return {
            action: 'nothing-to-do',
            target: live,
            why: `${live} already carries 100%: nothing to roll back (deployment ${newest.id} already rolled back to it)`,
            facts: seen,
            rolledBackBy: newest,
            ...(holder ? { restored: holder } : {}),
        };
    }
    const liveIndex = records.findIndex((r) => isDeploy(r) && r.payload.slot === live);
    if (liveIndex < 0)
        return more(`No deployment record says which release ${live} (the live slot) holds.`);
    const liveRelease = records[liveIndex];
    seen.push(`${live} (live) holds ${describeRecord(liveRelease)}`);
    const rolledBack = new Set(records.flatMap((r) => r.payload.rolled_back_id === undefined ? [] : [r.payload.rolled_back_id]));
    const good = (r) => isGood(r) && !rolledBack.has(r.id);
    const newestDeploy = records.find(isDeploy);
    if (newestDeploy !== liveRelease)
        seen.push(`newer deploy, never live, so not undone: ${describeRecord(newestDeploy)}`);
    if (liveRelease.payload.image === undefined)
        return {
            action: 'refuse',
            why: `${describeRecord(liveRelease)} was recorded without an image, so the records cannot prove which release ${live} holds, nor which earlier release differs from it. Pass \`image\` to the deploy actions. ${ASK_FOR_TO}`,
            facts: seen,
        };
    // The last good release before the live one (a redeploy of the same image is the same release).
    const candidateOffset = records
        .slice(liveIndex + 1)
        .findIndex((r) => isDeploy(r) &&
        good(r) &&
        (r.payload.image === undefined || r.payload.image !== liveRelease.payload.image));
    if (candidateOffset < 0) {
        const before = liveRelease.payload.stable ?? liveRelease.payload.previous.slot;
        if (facts.flag && complete && before === (0,domain_slots/* otherSlot */.jx)(live)) {
            seen.push(`the flag's state before it: ${before}`);
            return {
                action: 'move',
                target: before,
                why: `undoing ${describeRecord(liveRelease)}, the flag's first recorded walk; the flag's state before it was ${before}`,
                facts: seen,
                undone: liveRelease,
            };
        }
        return more(`No good release of this service before the live one (${describeRecord(liveRelease)}) is recorded: there is nothing known to go back to.`);
    }
    const candidateIndex = liveIndex + 1 + candidateOffset;
    const candidate = records[candidateIndex];
    seen.push(`last good release before it: ${describeRecord(candidate)}`);
    if (candidate.payload.image === undefined)
        return {
            action: 'refuse',
            why: `the last good release before the live one, ${describeRecord(candidate)}, was recorded without an image, so the records cannot prove that ${candidate.payload.slot} still holds it. ${ASK_FOR_TO}`,
            facts: seen,
        };
    const slot = candidate.payload.slot;
    // Every deploy onto that slot since must have put the same release there.
    const since = records
        .slice(0, candidateIndex)
        .filter((r) => isDeploy(r) && r.payload.slot === slot);
    for (const later of since) {
        if (later.payload.image === undefined)
            return {
                action: 'refuse',
                why: `${describeRecord(later)} was recorded without an image after the last good release ${candidate.payload.image} (deployment ${candidate.id}) went onto ${slot}, so the records cannot prove what ${slot} holds now. ${ASK_FOR_TO}`,
                facts: seen,
            };
        if (later.payload.image !== candidate.payload.image)
            return {
                action: 'refuse',
                why: `${slot} was overwritten since: it held the last good release ${candidate.payload.image} (deployment ${candidate.id}), then deployment ${later.id} put ${later.payload.image} there. Going back to ${slot} would not restore ${candidate.payload.image}. ${ASK_FOR_TO}`,
                facts: [...seen, `${slot} overwritten by ${describeRecord(later)}`],
            };
    }
    seen.push(`${slot} still holds ${candidate.payload.image}`);
    return {
        action: 'move',
        target: slot,
        why: `undoing ${describeRecord(liveRelease)}; ${slot} still holds the last good release ${candidate.payload.image} (deployment ${candidate.id})`,
        facts: seen,
        undone: liveRelease,
        restored: candidate,
    };
}
/** Traffic split: only an unfinished canary record explains it; its stable slot gets 100%. */
function decideSplit(weights, records, seen) {
    const newest = records[0];
    seen.push(`newest record: ${describeRecord(newest)}`);
    const canary = newest.payload.slot;
    const stable = newest.payload.stable ?? (0,domain_slots/* otherSlot */.jx)(canary);
    if (newest.payload.strategy !== 'canary' || isGood(newest) || stable === canary) {
        return {
            action: 'refuse',
            why: `traffic is split (${(0,domain_slots/* formatWeights */.V7)(weights)}) and no unfinished canary record explains it (the newest record is ${describeRecord(newest)}); which slot is stable would be a guess. ${ASK_FOR_TO}`,
            facts: seen,
        };
    }
    const restored = records.find((r) => r !== newest && isDeploy(r) && r.payload.slot === stable);
    if (restored)
        seen.push(`stable ${stable} holds ${describeRecord(restored)}`);
    return {
        action: 'move',
        target: stable,
        why: `traffic is split (${(0,domain_slots/* formatWeights */.V7)(weights)}) by canary deployment ${newest.id}; its stable slot is ${stable}`,
        facts: seen,
        undone: newest,
        ...(restored ? { restored } : {}),
    };
}
/**
 * The release to undo is named: if its slot carries no traffic it never went live (nothing to
 * do); otherwise traffic goes back to the slot it came from, unless that slot changed since.
 */
function decideUndo(id, weights, records, complete, seen) {
    const index = records.findIndex((r) => r.id === id);
    if (index < 0)
        return complete
            ? {
                action: 'refuse',
                why: `deployment ${id} (deployment-id) is not among this service's records in this environment. ${ASK_FOR_TO}`,
                facts: seen,
            }
            : { action: 'need-more' };
    const undone = records[index];
    seen.push(`deployment-id: ${describeRecord(undone)}`);
    const slot = undone.payload.slot;
    if (!isDeploy(undone))
        return {
            action: 'refuse',
            why: `deployment ${id} (deployment-id) is a rollback, not a release to undo. ${ASK_FOR_TO}`,
            facts: seen,
        };
    const back = (0,domain_slots/* otherSlot */.jx)(slot);
    if (weights[slot] === 0)
        return {
            action: 'nothing-to-do',
            target: back,
            why: `${back} already carries 100%: nothing to roll back (${slot}, the slot of deployment ${id}, carries no traffic now)`,
            facts: seen,
        };
    const newer = records.slice(0, index);
    if (newer.length > 0)
        return {
            action: 'refuse',
            why: `deployment ${id} (deployment-id) is not the newest change of this service: ${describeRecord(newer[0])} came after it. ${ASK_FOR_TO}`,
            facts: seen,
        };
    const from = undone.payload.stable ?? undone.payload.previous.slot;
    if (from !== back)
        return {
            action: 'refuse',
            why: `deployment ${id} started with traffic ${from === 'split' ? 'split' : `on ${from}`}, so no slot is known to hold the release before it. ${ASK_FOR_TO}`,
            facts: seen,
        };
    const restored = records.find((r, i) => i > index && isDeploy(r) && r.payload.slot === back);
    if (restored)
        seen.push(`${back} holds ${describeRecord(restored)}`);
    return {
        action: 'move',
        target: back,
        why: `undoing deployment ${id} (deployment-id) on ${slot}; traffic was on ${back} before it`,
        facts: seen,
        undone,
        ...(restored ? { restored } : {}),
    };
}
/**
 * scope: deployment: only `id`'s own work is undone. A newer deployment of the service that is
 * in progress or live owns the traffic now; a canary of this run that never moved traffic while
 * an older walk is in progress owns none of the split. Either way: nothing changes, and the
 * decision says whose the traffic is. Otherwise `id` is undone as the newest change (newer
 * records that ended without going live are not in its way).
 */
function decideOwnWork(id, weights, records, complete, seen) {
    const index = records.findIndex((r) => r.id === id);
    if (index < 0)
        return decideUndo(id, weights, records, complete, seen);
    const own = records[index];
    const ended = !ACTIVE_STATES.includes(own.state);
    // A canary record of this run that never moved traffic is over once its run rolls back.
    const neverMoved = own.payload.strategy === 'canary' && !isGood(own) && !isStepStatus(own.statusDescription);
    // This run's release was already undone (its canary rolled itself back, or the button ran):
    // that rollback is this run's own work, not another run's traffic.
    const undoneBy = records
        .slice(0, index)
        .find((r) => !isDeploy(r) && isGood(r) && r.payload.rolled_back_id === id);
    if (undoneBy && weights[undoneBy.payload.slot] === 100)
        return {
            action: 'stand-down',
            why: `deployment ${id} (deployment-id) was already rolled back by deployment ${undoneBy.id} (${undoneBy.payload.slot} carries 100%): nothing left to undo; nothing changed`,
            facts: [
                ...seen,
                `deployment-id: ${describeRecord(own)}`,
                `rolled back by: ${describeRecord(undoneBy)}`,
            ],
            owner: undoneBy,
        };
    const owner = records.slice(0, index).find((r) => ACTIVE_STATES.includes(r.state));
    if (owner)
        return {
            action: 'stand-down',
            why: `deployment ${owner.id} (${owner.payload.strategy} to ${owner.payload.slot}, ${owner.state}) came after deployment ${id} (deployment-id) and is ${owner.state === 'success' ? 'live' : 'in progress'}: the traffic is deployment ${owner.id}'s, not this run's; nothing changed`,
            facts: [
                ...seen,
                `deployment-id: ${describeRecord(own)}`,
                `newer and ${owner.state}: ${describeRecord(owner)}`,
            ],
            owner,
            ...(neverMoved && !ended ? { endOwn: own } : {}),
        };
    if (neverMoved) {
        // An older walk holding the split is newer than the last release that went live.
        const older = records.slice(index + 1);
        const lastLive = older.findIndex(isGood);
        const walk = older
            .slice(0, lastLive < 0 ? older.length : lastLive)
            .find((r) => r.payload.strategy === 'canary' &&
            r.state === 'in_progress' &&
            isStepStatus(r.statusDescription));
        if (!walk && lastLive < 0 && !complete)
            return { action: 'need-more' };
        if (walk)
            return {
                action: 'stand-down',
                why: `deployment ${id} (deployment-id) never moved traffic (its last status: "${own.statusDescription ?? ''}"); the walk in progress is deployment ${walk.id} (canary to ${walk.payload.slot}, "${walk.statusDescription ?? ''}"): the traffic is deployment ${walk.id}'s, not this run's; nothing changed`,
                facts: [
                    ...seen,
                    `deployment-id: ${describeRecord(own)}, last status "${own.statusDescription ?? ''}"`,
                    `walk in progress: ${describeRecord(walk)}, last status "${walk.statusDescription ?? ''}"`,
                ],
                owner: walk,
                ...(ended ? {} : { endOwn: own }),
            };
    }
    return decideUndo(id, weights, records.slice(index), complete, seen);
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/rollback.js
/**
 * Rollback: all traffic back where the facts say the last good release is (see
 * rollback-decision.ts), after that slot proved healthy. Recovery first: the record is written
 * once traffic is back, so GitHub never delays it.
 */






/** The step failed because the facts do not prove where to go; traffic did not move. */
class RollbackRefused extends Error {
    facts;
    router;
    name = 'RollbackRefused';
    constructor(message, 
    /** The facts the refusal rests on, for the job summary. */
    facts = [], router = '') {
        super(message);
        this.facts = facts;
        this.router = router;
    }
}
/**
 * scope: deployment found nothing of that deployment's to undo (no id, or another deployment
 * owns the traffic): nothing moved, and that is the step's success. The message says whose the
 * traffic is.
 */
class RollbackStoodDown extends Error {
    facts;
    endOwn;
    name = 'RollbackStoodDown';
    constructor(message, facts = [], 
    /** This run's record that never moved traffic, to end as failure; the caller ends it. */
    endOwn) {
        super(message);
        this.facts = facts;
        this.endOwn = endOwn;
    }
}
/** At most this many records are read; the newest ones always decide well before. */
const MAX_RECORDS = 200;
async function rollback(router, plan, history, log, hooks = {}) {
    // A run that recorded no release has nothing to undo: not even the router is asked.
    if (plan.scope === 'deployment' && plan.undo === undefined)
        throw new RollbackStoodDown(NO_RELEASE);
    // Toward the known-good slot: a router of a list that does not answer does not stop it.
    const start = await readTowardSafety(router, log);
    const before = start.after;
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,domain_slots/* formatWeights */.V7)(before)}`);
    const previous = (0,domain_slots/* liveSlot */.dz)(before) ?? 'split';
    const stays = `traffic stays at ${(0,domain_slots/* formatWeights */.V7)(before)}`;
    const decision = plan.to === 'previous'
        ? await decideFromHistory(before, history, plan, log)
        : decideRollback({
            to: plan.to,
            weights: before,
            records: { readable: false, cause: 'not read' },
        });
    if (decision.action === 'need-more')
        throw new Error('rollback: undecided with complete records');
    log.info(`facts used:\n${decision.facts.map((f) => `  - ${f}`).join('\n')}`);
    if (decision.action === 'refuse')
        throw new RollbackRefused(`rollback refused: ${decision.why} Nothing moved: ${stays}.`, decision.facts, router.describe());
    if (decision.action === 'stand-down')
        throw new RollbackStoodDown(`${decision.why}. Traffic stays at ${(0,domain_slots/* formatWeights */.V7)(before)}.`, decision.facts, decision.endOwn);
    const result = (after, switched, checked = {}) => ({
        router: router.describe(),
        before,
        after,
        previous,
        active: (0,domain_slots/* liveSlot */.dz)(after) ?? 'split',
        target: decision.target,
        switched,
        dryRun: plan.dryRun,
        decision,
        ...checked,
        notes: [...router.notes],
        ...(decision.restored ? { restored: decision.restored } : {}),
        unreached: start.unreached,
    });
    if (decision.action === 'nothing-to-do') {
        // A header/cookie phase leaves the weights on stable: its match is what there is to undo.
        const match = plan.dryRun ? undefined : await clearMatch(router, log);
        if (match?.cleared || (match && match.unreached.length > 0))
            return { ...result(before, false), unreached: [...start.unreached, ...match.unreached] };
        if (plan.nothingToDo === 'fail')
            throw new RollbackRefused(`${decision.why}. Set \`nothing-to-do: succeed\` if that is fine (e.g. a re-run).`, decision.facts, router.describe());
        log.info(`${decision.why} (nothing-to-do: succeed).`);
        return result(before, false);
    }
    log.info(`rollback to ${decision.target}: ${decision.why}`);
    const health = plan.health
        ? await requireHealthy({ ...plan.health, url: forSlot(plan.health.url, decision.target) }, log, stays)
        : undefined;
    // A flag has no slot of servers to ask: no warning, and the summary says why.
    const flag = (0,packages_router/* isFlagRouter */.Ui)(router);
    if (!health && !flag)
        log.warning(NO_HEALTH_URL);
    const checked = health ? { health } : { healthSkipped: flag ? packages_router/* FLAG_NO_HEALTH */.CT : NO_HEALTH_URL };
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${(0,domain_slots/* formatWeights */.V7)(before)} to ${(0,domain_slots/* formatWeights */.V7)((0,domain_slots/* allOn */.PT)(decision.target))}; nothing moved.`);
        return result(before, false, checked);
    }
    const moved = await moveTowardSafety(router, (0,domain_slots/* allOn */.PT)(decision.target), log);
    const after = moved.after;
    log.info(`rolled back: ${decision.target} carries 100%${moved.unreached.length > 0 ? ` on every router that answered (${moved.unreached.length} did not)` : ''}`);
    moved.unreached.push(...(await clearMatch(router, log)).unreached);
    // Asked for a slot by name: the records (if any) only name the release it holds, for the record's ref.
    const restored = decision.restored ??
        (hooks.record && !('unavailable' in history)
            ? await holderOf(decision.target, history, plan.recordsTimeoutMs, log)
            : undefined);
    if (hooks.record)
        await recordRollback(hooks.record, {
            target: decision.target,
            previous,
            ...(decision.undone ? { undone: decision.undone.id } : {}),
            ...(restored ? { restored } : {}),
            unreached: moved.unreached,
        });
    return {
        ...result(after, true, checked),
        ...(restored ? { restored } : {}),
        unreached: moved.unreached,
    };
}
/**
 * Clears the header/cookie match on a router that has one (toward safety: a list clears it on
 * every router that answers). Never throws: a router that kept it is returned as not reached,
 * so the step fails naming it.
 */
async function clearMatch(router, log) {
    if (!router.match)
        return { cleared: false, unreached: [] };
    // Member by member on a list, as a move back to safety goes: the routers that answer are
    // cleared, and only the ones that do not are named.
    const members = router instanceof packages_router/* GroupRouter */.bF ? router.routers : [router];
    let cleared = false;
    const unreached = [];
    for (const member of members) {
        const match = member.match;
        if (!match)
            continue;
        try {
            const now = await match.read().catch(() => undefined);
            if (now === null)
                continue;
            await match.write(null);
            cleared = true;
            log.info(`header/cookie match cleared${members.length > 1 ? ` on ${member.describe()}` : ''}${now ? ` (was ${(0,packages_router/* formatMatch */.fU)(now)} -> ${now.slot})` : ''}: no request is sent by header or cookie any more`);
        }
        catch (e) {
            const error = `the header/cookie match could not be cleared: ${(0,action_kit/* errorMessage */.gJ)(e)}`;
            log.warning(`${member.describe()}: ${error}`);
            unreached.push({ router: member.describe(), error });
        }
    }
    return { cleared, unreached };
}
/**
 * The rollback record of a step that put `target` back itself: the same record a manual
 * rollback writes (undoing `undone`, naming the release `target` holds when the records know it).
 */
async function recordSelfRollback(rollback, undone, facts, log) {
    if (!rollback)
        return;
    const restored = rollback.history
        ? await holderOf(facts.target, rollback.history, rollback.recordsTimeoutMs, log)
        : undefined;
    await recordRollback(rollback.record, {
        ...facts,
        ...(undone === undefined ? {} : { undone }),
        ...(restored ? { restored } : {}),
    });
}
/**
 * The rollback record, once traffic is back on `target`: the same shape whoever rolled back (the
 * rollback action, a canary that rolled itself back, an abort).
 */
async function recordRollback(record, facts) {
    const { restored } = facts;
    await record.start({
        strategy: 'rollback',
        slot: facts.target,
        weights: (0,domain_slots/* allOn */.PT)(facts.target),
        previous: facts.previous,
        ...(facts.undone === undefined ? {} : { undone: { id: facts.undone } }),
        ...(restored
            ? {
                restored: {
                    id: restored.id,
                    sha: restored.sha,
                    ...(restored.payload.image ? { image: restored.payload.image } : {}),
                },
            }
            : {}),
        ...(facts.unreached && facts.unreached.length > 0 ? { unreached: [...facts.unreached] } : {}),
        ...(facts.reason ? { reason: facts.reason } : {}),
    });
}
/**
 * Reads records only as far as the decision needs, within `timeoutMs`; records that cannot be
 * read are a fact too (the decision then refuses and names the cause).
 */
async function decideFromHistory(weights, history, plan, log) {
    const timeoutMs = plan.recordsTimeoutMs;
    const undo = {
        ...(plan.undo === undefined ? {} : { undo: plan.undo }),
        ...(plan.scope ? { scope: plan.scope } : {}),
        ...(plan.flag ? { flag: true } : {}),
    };
    if ('unavailable' in history)
        return decideRollback({
            to: 'previous',
            weights,
            records: { readable: false, cause: history.unavailable },
            ...undo,
        });
    const records = [];
    const iterator = history.records()[Symbol.asyncIterator]();
    let timer;
    const deadline = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
        for (;;) {
            const next = await Promise.race([iterator.next(), deadline]);
            if (next === 'timeout') {
                void iterator.return?.().catch(() => { });
                return decideRollback({
                    to: 'previous',
                    weights,
                    ...undo,
                    records: {
                        readable: false,
                        cause: `they did not answer within ${Math.round(timeoutMs / 1000)} s (${records.length} read)`,
                    },
                });
            }
            if (!next.done)
                records.push(next.value);
            const complete = next.done === true || records.length >= MAX_RECORDS;
            const decision = decideRollback({
                to: 'previous',
                weights,
                records: { readable: true, records, complete },
                ...undo,
            });
            if (decision.action !== 'need-more') {
                log.info(`records: ${records.length} read to decide`);
                if (!next.done)
                    void iterator.return?.().catch(() => { });
                return decision;
            }
        }
    }
    catch (e) {
        return decideRollback({
            to: 'previous',
            weights,
            records: { readable: false, cause: (0,action_kit/* errorMessage */.gJ)(e) },
            ...undo,
        });
    }
    finally {
        clearTimeout(timer);
    }
}
/** The newest deploy record on `slot` (what it holds), or undefined when unknown in time. */
async function holderOf(slot, history, timeoutMs, log) {
    const read = async () => {
        let count = 0;
        for await (const r of history.records()) {
            if (r.payload.strategy !== 'rollback' && r.payload.slot === slot)
                return r;
            if (++count >= MAX_RECORDS)
                return undefined;
        }
        return undefined;
    };
    let timer;
    try {
        return await Promise.race([
            read(),
            new Promise((resolve) => {
                timer = setTimeout(() => resolve(undefined), timeoutMs);
            }),
        ]);
    }
    catch (e) {
        log.warning(`records: could not read which release ${slot} holds: ${(0,action_kit/* errorMessage */.gJ)(e)}`);
        return undefined;
    }
    finally {
        clearTimeout(timer);
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/bake.js
/**
 * The bake after a blue-green switch (post-promotion analysis): the gate judges the new slot while
 * it carries all traffic; anything but a pass puts the old slot (still running: that is the point
 * of blue-green) back at 100% at once, through moveTowardSafety, and writes the rollback record.
 */





/**
 * The bake window the gate's settings give, in words: `count` looks `interval` apart after
 * `initial-delay`; max-wait bounds it (looks short of min-samples do not count). Pure.
 */
function bakeWindow(settings) {
    const least = settings.initialDelay + settings.interval * (settings.count - 1);
    return `${settings.count} look(s) ${(0,action_kit/* formatDuration */.a3)(settings.interval)} apart after ${(0,action_kit/* formatDuration */.a3)(settings.initialDelay)} (at least ${(0,action_kit/* formatDuration */.a3)(least)}, at most ${(0,action_kit/* formatDuration */.a3)(settings.maxWait)})`;
}
/**
 * The decision, pure: only a pass keeps traffic on the new slot. Fail-closed: an inconclusive bake
 * (no data, Prometheus unreachable, too little evidence) or a cancelled one is not a pass, and a
 * step cannot wait for a human the way Argo's paused rollout does, so the old slot goes back.
 */
function bakeKeeps(verdict) {
    return verdict === 'pass';
}
async function runBake(router, gate, slots, log, hooks = {}) {
    const { target, old } = slots;
    log.info(`bake: the gate judges ${target} with all traffic: ${bakeWindow(gate.settings)}`);
    await hooks.record?.progress(`bake: ${target} judged by the gate`);
    const analysis = await (0,packages_gate/* runAnalysis */.A1)(gate.source, gate.checks, gate.settings, log, hooks.signal ? { signal: hooks.signal } : {});
    const cancelled = hooks.signal?.aborted === true;
    const verdict = cancelled ? 'cancelled' : analysis.verdict;
    const reason = cancelled
        ? `bake cancelled (the run was stopped) before the gate decided`
        : `bake ${analysis.verdict}: ${analysis.reason}`;
    log.info(reason);
    if (bakeKeeps(verdict))
        return {
            verdict,
            reason,
            measurements: analysis.measurements,
            rolledBack: false,
            after: (0,domain_slots/* allOn */.PT)(target),
            unreached: [],
        };
    log.info(`${reason}: moving all traffic back to ${old}`);
    const moved = await moveTowardSafety(router, (0,domain_slots/* allOn */.PT)(old), log);
    log.info(`${old} carries 100% again${moved.unreached.length > 0 ? ` on every router that answered (${moved.unreached.length} did not)` : ''}`);
    await recordSelfRollback(hooks.rollback, hooks.record?.deploymentId, { target: old, previous: target, unreached: moved.unreached, reason }, log);
    return {
        verdict,
        reason,
        measurements: analysis.measurements,
        rolledBack: true,
        after: moved.after,
        unreached: moved.unreached,
    };
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/slots.js
/** Which slot is live, which is idle and what servers the idle one has: what a pipeline deploys to. */

/** Pure part: live and idle from the weights. */
function liveAndIdle(weights) {
    const live = (0,domain_slots/* liveSlot */.dz)(weights);
    return live ? { live, idle: (0,domain_slots/* otherSlot */.jx)(live) } : { live: 'split', idle: 'none' };
}
async function viewSlots(router, weights) {
    const { live, idle } = liveAndIdle(weights);
    const idleServers = idle === 'none' ? [] : (await router.servers())[idle];
    return { live, idle, idleServers };
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/blue-green.js
/** Blue-green: all traffic from the live slot to the other one, after the target proved healthy. */









/** The decision, pure: which slot gets 100%, or that it already has it. */
function planSwitch(weights, to) {
    const live = (0,domain_slots/* liveSlot */.dz)(weights);
    if (to !== 'idle')
        return { target: to, noop: live === to };
    if (live)
        return { target: (0,domain_slots/* otherSlot */.jx)(live), noop: false };
    throw new action_kit/* ConfigurationError */.j1(`Input 'to' is "idle", but traffic is split (${(0,domain_slots/* formatWeights */.V7)(weights)}), so no slot is idle. Name the slot to move all traffic to: to: blue or to: green.`);
}
async function blueGreenSwitch(router, plan, log, hooks = {}) {
    const started = Date.now();
    const before = await router.read();
    const live = (0,domain_slots/* liveSlot */.dz)(before);
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,domain_slots/* formatWeights */.V7)(before)}${live ? ` (live: ${live})` : ' (split)'}`);
    const { target, noop } = planSwitch(before, plan.to);
    const previous = live ?? 'split';
    const done = async (after, switched, extra = {}) => ({
        router: router.describe(),
        previous,
        active: (0,domain_slots/* liveSlot */.dz)(after) ?? 'split',
        target,
        switched,
        dryRun: plan.dryRun,
        before,
        after,
        ...extra,
        ...(await viewSlots(router, after)),
        notes: [...router.notes],
        elapsedMs: Date.now() - started,
    });
    if (noop) {
        log.info(`${target} already carries 100% of traffic: nothing to switch.`);
        return done(before, false);
    }
    // Bound before the record opens: a bake gate that cannot be bound fails with nothing changed.
    const old = (0,domain_slots/* otherSlot */.jx)(target);
    const bake = plan.bake && !plan.dryRun
        ? plan.bake({ canary: target, stable: old, servers: await router.servers() })
        : undefined;
    // The record opens before anything is checked or moved, so it says what the slot holds even if
    // the step fails; a dry run (a pipeline's plan) opens it for the later steps to continue.
    await hooks.record?.start({
        strategy: 'blue-green',
        slot: target,
        weights: (0,domain_slots/* allOn */.PT)(target),
        previous,
    });
    const stays = `traffic stays at ${(0,domain_slots/* formatWeights */.V7)(before)}`;
    if (plan.rollout && !plan.dryRun)
        await rollSlot(router, target, plan.rollout, log);
    let health;
    if (plan.health) {
        hooks.phase?.('health');
        health = await requireHealthy({ ...plan.health, url: forSlot(plan.health.url, target) }, log, stays);
    }
    else if (!plan.dryRun && !(0,packages_router/* isFlagRouter */.Ui)(router)) {
        log.warning(NO_HEALTH_URL);
    }
    // Smoke after health: each server of the target slot, before anything moves (dry run too).
    let smoke;
    if (plan.smoke) {
        hooks.phase?.('smoke');
        const servers = (await router.servers())[target];
        smoke = await (0,traffic_smoke/* requireSmoke */.z9)(plan.smoke, target, servers, log, stays);
    }
    const checked = {
        ...(health
            ? { health }
            : plan.dryRun
                ? {}
                : { healthSkipped: (0,packages_router/* isFlagRouter */.Ui)(router) ? packages_router/* FLAG_NO_HEALTH */.CT : NO_HEALTH_URL }),
        ...(smoke ? { smoke } : {}),
    };
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${(0,domain_slots/* formatWeights */.V7)(before)} to ${(0,domain_slots/* formatWeights */.V7)((0,domain_slots/* allOn */.PT)(target))}; nothing moved.`);
        return done(before, false, checked);
    }
    log.info(`switching: ${(0,domain_slots/* formatWeights */.V7)(before)} -> ${(0,domain_slots/* formatWeights */.V7)((0,domain_slots/* allOn */.PT)(target))}`);
    hooks.phase?.('weight');
    const after = await moveTraffic(router, (0,domain_slots/* allOn */.PT)(target), log);
    if (!bake)
        return done(after, true, checked);
    hooks.phase?.('bake');
    const baked = await runBake(router, bake, { target, old }, log, {
        ...(hooks.record ? { record: hooks.record } : {}),
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        ...(hooks.rollback ? { rollback: hooks.rollback } : {}),
    });
    return done(baked.after, true, { ...checked, bake: baked });
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/canary.js
/**
 * Canary: move traffic to the canary slot step by step, judge every step with the gate, and on a
 * failing verdict put the stable slot back to 100% at once (or hold, if asked). One record
 * carries the whole walk, across steps and jobs.
 */










/**
 * The decision, pure: which slot is the canary. Default: the slot carrying less traffic (a tie
 * cannot be resolved without being told). A walk may not start by taking traffic away from it.
 */
function planCanary(weights, steps, canary) {
    if (!canary && weights.blue === weights.green) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'canary' is needed: traffic is ${(0,domain_slots/* formatWeights */.V7)(weights)}, so neither slot carries less. Say canary: blue or canary: green.`);
    }
    const chosen = canary ?? (weights.blue < weights.green ? 'blue' : 'green');
    const first = steps[0] ?? 0;
    if (steps.length > 1 && weights[chosen] > first) {
        throw new action_kit/* ConfigurationError */.j1(`canary ${chosen} already carries ${weights[chosen]}% (${(0,domain_slots/* formatWeights */.V7)(weights)}), more than the first step (${first}%): walking would first take traffic away from it. Is ${chosen} really the new version? Set input 'canary' or start from the step it is at.`);
    }
    return { canary: chosen, stable: (0,domain_slots/* otherSlot */.jx)(chosen) };
}
/** How the walk's record ends: only reaching 100% and passing is success; stopping below on purpose holds. */
function canaryOutcome(result) {
    if (result.verdict !== 'pass')
        return {
            outcome: 'failure',
            description: `${result.reason}${result.rolledBack ? `; stable ${result.stable} back at 100%` : `; held at ${result.weight}%`}`,
        };
    if (result.weight === 100)
        return { outcome: 'success', description: 'canary passed every step and carries 100%' };
    const match = result.match;
    return {
        outcome: 'held',
        description: `held at ${result.weight}%${match ? ` (${(0,packages_router/* formatMatch */.fU)(match)})` : ''}`,
    };
}
/**
 * When a walk continued from an earlier job was last stepped (ms), from the record it continues:
 * its latest status's time when that status is a step this walk wrote ("canary 25%", "held at
 * 50%"); undefined for a record a plan opened, or none.
 */
function walkResumedFrom(record) {
    if (!record || !/^(canary|held at) \d+%/.test(record.statusDescription))
        return undefined;
    const at = Date.parse(record.statusAt);
    return Number.isFinite(at) ? at : undefined;
}
/**
 * The canary's weight a continued walk's record last says ("canary 25%", "held at 50%", from
 * the same status walkResumedFrom reads); undefined otherwise.
 */
function walkResumedWeight(record) {
    const m = record && /^(?:canary|held at) (\d+)%/.exec(record.statusDescription);
    if (!m)
        return undefined;
    const weight = Number(m[1]);
    return weight <= 100 ? weight : undefined;
}
/**
 * The decision before a raise, pure: the router must still hold what this walk last wrote
 * (`wrote`; undefined before the walk's first write, where there is nothing to compare). When it
 * does not, someone or something else changed it (an operator putting stable back by hand), and
 * the walk must neither raise the canary again nor move traffic anywhere: the answer is the
 * step's failure, saying what the router holds, what the walk had set and where traffic stays.
 */
function walkDrift(now, wrote, walk) {
    if (!wrote || (0,domain_slots/* sameWeights */.ML)(now, wrote))
        return undefined;
    const where = now[walk.stable] === 100
        ? `traffic stays at ${(0,domain_slots/* formatWeights */.V7)(now)}: stable ${walk.stable} carries 100%`
        : `traffic is left at ${(0,domain_slots/* formatWeights */.V7)(now)}, not put back to stable ${walk.stable} (that would override the change too): decide by hand, e.g. the rollback action`;
    return `${walk.router} holds ${(0,domain_slots/* formatWeights */.V7)(now)}, but this walk had set ${(0,domain_slots/* formatWeights */.V7)(wrote)} (${walk.setAt}): someone or something else changed it, and the walk will not overwrite it: it stops before raising canary ${walk.canary} to ${walk.next}%; ${where}`;
}
async function runCanary(router, plan, log, hooks = {}) {
    if ((plan.headerPhase || plan.match) && !router.match)
        throw new action_kit/* ConfigurationError */.j1(`${router.describe()} cannot send requests by header or cookie (input 'match'): only HAProxy with 'match-map', nginx with 'match-file' and a Kubernetes HTTPRoute can, and every router of a list must; nothing was changed.`);
    if (plan.headerPhase && !plan.match)
        throw new action_kit/* ConfigurationError */.j1(`Input 'steps' starts with 'header', so input 'match' is needed (e.g. header: x-canary=1 or cookie: canary=always).`);
    requireSplit(router);
    const before = await router.read();
    const { canary, stable } = planCanary(before, plan.steps, plan.canary);
    const lastStep = plan.steps[plan.steps.length - 1] ?? 0;
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,domain_slots/* formatWeights */.V7)(before)}; canary ${canary}, stable ${stable}; steps ${plan.steps.join(' → ')}%`);
    const servers = await router.servers();
    // Bound before the record opens: a gate that cannot be bound fails with nothing changed.
    const gate = plan.dryRun ? undefined : plan.gate?.({ canary, stable, servers });
    const steps = [];
    let unreached = [];
    /** The match the router holds (what the walk set or found), cleared toward safety. */
    let held;
    let phase = 'weight';
    let smoke;
    const finish = async (verdict, reason, after, rolledBack) => {
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
            dryRun: plan.dryRun,
            lastStep,
            phase,
            ...(held ? { match: held } : {}),
            ...(await viewSlots(router, after)),
            notes: [...router.notes],
            unreached,
            ...(smoke ? { smoke } : {}),
        };
    };
    // A plan (dry run) opens the record of a new release onto the idle slot; while traffic is
    // split no slot is idle, and a record would claim a slot another walk is using.
    if (plan.dryRun && (0,domain_slots/* liveSlot */.dz)(before) === undefined && hooks.record) {
        log.warning(`dry run: traffic is split (${(0,domain_slots/* formatWeights */.V7)(before)}), so no slot is idle and no release record is opened; finish or roll back the walk in progress first.`);
    }
    else {
        await hooks.record?.start({
            strategy: 'canary',
            slot: canary,
            weights: (0,domain_slots/* weightsFor */.NK)(canary, lastStep),
            previous: (0,domain_slots/* liveSlot */.dz)(before) ?? 'split',
        });
    }
    // Smoke before the first weight only: a later step job of a walk (the canary already has
    // traffic, or the walk continues from an earlier job's record) does not run it again.
    const smokeFirst = async () => {
        if (!plan.smoke)
            return;
        if (before[canary] > 0 || plan.resumedFrom !== undefined) {
            log.info(`smoke: not run again: the walk is past its first weight (canary ${canary} at ${before[canary]}%); it runs before the first weight only`);
            return;
        }
        hooks.phase?.('smoke');
        smoke = await (0,traffic_smoke/* requireSmoke */.z9)(plan.smoke, canary, servers[canary], log, `traffic stays at ${(0,domain_slots/* formatWeights */.V7)(before)}`);
    };
    if (plan.dryRun) {
        await smokeFirst();
        log.info(`dry run: would walk canary ${canary} through ${plan.steps.join(' → ')}% from ${(0,domain_slots/* formatWeights */.V7)(before)}; nothing moved.`);
        return finish('pass', 'dry run: nothing moved', before, false);
    }
    if (plan.rollout)
        await rollSlot(router, canary, plan.rollout, log);
    await smokeFirst();
    /**
     * Back to the known-good slot (through moveTowardSafety: on a router list, every router that
     * answers), then the rollback record. `reason` is the record's; `why` the log's.
     */
    const restoreStable = async (why, reason = why) => {
        log.info(`${why}: moving all traffic back to stable ${stable}`);
        const from = (0,domain_slots/* weightsFor */.NK)(canary, weight);
        const moved = await moveTowardSafety(router, (0,domain_slots/* weightsFor */.NK)(canary, 0), log);
        unreached = moved.unreached;
        log.info(`stable ${stable} carries 100% again${unreached.length > 0 ? ` on every router that answered (${unreached.length} did not)` : ''}`);
        unreached = [...unreached, ...(await clearMatch(router, log)).unreached];
        held = undefined;
        await recordSelfRollback(hooks.rollback, hooks.record?.deploymentId, { target: stable, previous: (0,domain_slots/* liveSlot */.dz)(from) ?? 'split', unreached, reason }, log);
        return moved.after;
    };
    /** What the watch found while a step waited; the wait ends as soon as it is found. */
    let stopFound;
    const watched = (wait) => {
        const watch = hooks.watch;
        if (!watch)
            return wait(hooks.signal);
        const found = new AbortController();
        const over = new AbortController();
        const signal = AbortSignal.any([found.signal, ...(hooks.signal ? [hooks.signal] : [])]);
        void (async () => {
            for (;;) {
                await (0,util/* sleep */.yy)(watch.everyMs, AbortSignal.any([over.signal, signal]));
                if (over.signal.aborted || signal.aborted)
                    return;
                const stop = await watch.check();
                if (stop && !over.signal.aborted) {
                    stopFound = stop;
                    found.abort();
                    return;
                }
            }
        })();
        return wait(signal).finally(() => over.abort());
    };
    /** The walk stops on its deployment's word: an abort request, or a record ended elsewhere. */
    const stopOn = async (stop) => {
        const id = hooks.record?.deploymentId;
        const which = id === undefined ? 'its deployment' : `deployment ${id}`;
        if (stop.kind === 'ended') {
            const now = await router.read();
            const reason = `${which} ended (${stop.state}${stop.description ? `: "${stop.description}"` : ''}) while the walk ran: it was rolled back or aborted elsewhere; the walk stops and moves nothing (traffic now: ${(0,domain_slots/* formatWeights */.V7)(now)})`;
            log.warning(reason);
            return finish('cancelled', reason, now, false);
        }
        const reason = `${stop.description}, posted on ${which}: the walk stopped at canary ${weight}%`;
        log.warning(reason);
        return finish('cancelled', reason, await restoreStable('abort requested', reason), true);
    };
    let weight = before[canary];
    held = router.match ? ((await router.match.read()) ?? undefined) : undefined;
    if (plan.headerPhase && plan.match) {
        const match = plan.match;
        const asked = await hooks.watch?.check();
        if (asked)
            return stopOn(asked);
        hooks.phase?.('header');
        hooks.onProgress?.({ canary, stable, weight, finished: false });
        const startedAt = new Date().toISOString();
        // The record's status: "header x-canary=1" (or "cookie canary=always").
        const label = (0,packages_router/* formatMatch */.fU)(match);
        try {
            await router.match?.write({ ...match, slot: canary });
        }
        catch (e) {
            const reason = `the header phase (${(0,packages_router/* formatMatch */.fU)(match)}) could not be set: ${(0,action_kit/* errorMessage */.gJ)(e)}`;
            log.warning(reason);
            steps.push({
                weight,
                phase: 'header',
                verdict: 'inconclusive',
                reason,
                measurements: [],
                startedAt,
            });
            held = match;
            return finish('inconclusive', reason, await restoreStable('header phase not set', reason), true);
        }
        held = match;
        phase = 'header';
        log.info(`header phase: requests with ${(0,packages_router/* formatMatch */.fU)(match)} go to canary ${canary}; all others by weight (${(0,domain_slots/* formatWeights */.V7)((0,domain_slots/* weightsFor */.NK)(canary, weight))})`);
        await hooks.record?.progress(label);
        const result = gate
            ? await watched((signal) => (0,packages_gate/* runAnalysis */.A1)(gate.source, gate.checks, gate.settings, log, signal ? { signal } : {}))
            : await watched((signal) => (0,util/* sleep */.yy)(plan.holdMs, signal)).then(() => ({
                verdict: 'pass',
                reason: `held ${plan.holdMs} ms (no gate)`,
                measurements: [],
            }));
        const step = {
            weight,
            phase: 'header',
            verdict: result.verdict,
            reason: result.reason,
            measurements: result.measurements,
            startedAt,
        };
        if (stopFound) {
            steps.push({ ...step, verdict: 'cancelled', reason: stopFound.description });
            return stopOn(stopFound);
        }
        if (hooks.signal?.aborted) {
            steps.push({ ...step, verdict: 'cancelled', reason: 'cancelled' });
            return finish('cancelled', `cancelled in the header phase (${(0,packages_router/* formatMatch */.fU)(match)})`, await restoreStable('cancelled', `cancelled in the header phase (${(0,packages_router/* formatMatch */.fU)(match)})`), true);
        }
        steps.push(step);
        log.info(`header phase: ${step.verdict}: ${step.reason}`);
        hooks.onStep?.(step, 0, plan.steps.length, (0,domain_slots/* weightsFor */.NK)(canary, weight));
        if (step.verdict !== 'pass') {
            const reason = `the header phase (${(0,packages_router/* formatMatch */.fU)(match)}) ${step.verdict}: ${step.reason}`;
            if (plan.onFailure === 'hold')
                return finish(step.verdict, reason, await router.read(), false);
            return finish(step.verdict, reason, await restoreStable(`verdict ${step.verdict}`, reason), true);
        }
    }
    /** What this walk last wrote (a continued walk: the weight its record's last step says), and where. */
    let wrote = plan.resumedWeight === undefined
        ? undefined
        : {
            weights: (0,domain_slots/* weightsFor */.NK)(canary, plan.resumedWeight),
            at: `its record's last step in an earlier job, canary ${plan.resumedWeight}%`,
        };
    for (const [index, target] of plan.steps.entries()) {
        if (hooks.signal?.aborted)
            break;
        // Before every move: the rollback button may have asked this walk to stop.
        const asked = await hooks.watch?.check();
        if (asked)
            return stopOn(asked);
        const startedAt = new Date().toISOString();
        // A step up that could not be set (a router of a list gone, one refusing, or not readable
        // before the raise): with on-failure rollback the walk goes back to stable, never left
        // half-way.
        const notSet = async (e) => {
            if (plan.onFailure !== 'rollback')
                throw e;
            const reason = `step ${index + 1} (canary ${target}%) could not be set: ${(0,action_kit/* errorMessage */.gJ)(e)}`;
            log.warning(reason);
            steps.push({ weight: target, verdict: 'inconclusive', reason, measurements: [], startedAt });
            return finish('inconclusive', reason, await restoreStable('step not set', reason), true);
        };
        // Before every raise after the walk's first: an operator's change is never undone.
        if (wrote) {
            let now;
            try {
                now = await router.read();
            }
            catch (e) {
                return notSet(e);
            }
            const drift = walkDrift(now, wrote.weights, {
                router: router.describe(),
                canary,
                stable,
                next: target,
                setAt: wrote.at,
            });
            if (drift) {
                log.warning(drift);
                return finish('cancelled', drift, now, false);
            }
        }
        hooks.onProgress?.({ canary, stable, weight: target, finished: false });
        hooks.phase?.('weight');
        try {
            await moveTraffic(router, (0,domain_slots/* weightsFor */.NK)(canary, target), { ...log, info: () => { } });
        }
        catch (e) {
            return notSet(e);
        }
        weight = target;
        wrote = { weights: (0,domain_slots/* weightsFor */.NK)(canary, target), at: `step ${index + 1}` };
        phase = 'weight';
        log.info(`step ${index + 1}/${plan.steps.length}: canary ${canary} at ${target}% (${(0,domain_slots/* formatWeights */.V7)((0,domain_slots/* weightsFor */.NK)(canary, target))})${held ? `; requests with ${(0,packages_router/* formatMatch */.fU)(held)} still go to the canary` : ''}`);
        await hooks.record?.progress(`canary ${target}%`);
        let step;
        if (gate) {
            const since = index === 0 && plan.resumedFrom !== undefined && gate.settings.since === undefined
                ? plan.resumedFrom
                : undefined;
            if (since !== undefined)
                log.info(`the gate judges the pause since the last step, ${new Date(since).toISOString()}`);
            const result = await watched((signal) => (0,packages_gate/* runAnalysis */.A1)(gate.source, gate.checks, since === undefined ? gate.settings : { ...gate.settings, since }, log, signal ? { signal } : {}));
            step = {
                weight: target,
                verdict: result.verdict,
                reason: result.reason,
                measurements: result.measurements,
                startedAt,
            };
        }
        else {
            await watched((signal) => (0,util/* sleep */.yy)(plan.holdMs, signal));
            step = {
                weight: target,
                verdict: 'pass',
                reason: `held ${plan.holdMs} ms (no gate)`,
                measurements: [],
                startedAt,
            };
        }
        if (stopFound) {
            steps.push({ ...step, verdict: 'cancelled', reason: stopFound.description });
            return stopOn(stopFound);
        }
        if (hooks.signal?.aborted) {
            steps.push({ ...step, verdict: 'cancelled', reason: 'cancelled' });
            break;
        }
        steps.push(step);
        log.info(`step ${index + 1}: ${step.verdict}: ${step.reason}`);
        hooks.onStep?.(step, index, plan.steps.length, (0,domain_slots/* weightsFor */.NK)(canary, target));
        if (step.verdict !== 'pass') {
            const reason = `step ${index + 1} (canary ${target}%) ${step.verdict}: ${step.reason}`;
            if (plan.onFailure === 'hold') {
                log.info(`on-failure is hold: traffic stays at ${(0,domain_slots/* formatWeights */.V7)((0,domain_slots/* weightsFor */.NK)(canary, target))}`);
                return finish(step.verdict, reason, await router.read(), false);
            }
            return finish(step.verdict, reason, await restoreStable(`verdict ${step.verdict}`, reason), true);
        }
    }
    if (hooks.signal?.aborted) {
        return finish('cancelled', `cancelled at canary ${weight}%`, await restoreStable('cancelled', `cancelled at canary ${weight}%`), true);
    }
    const after = await router.read();
    if (after[canary] === 100) {
        // The end of the walk: every request reaches the canary; the match has done its work.
        unreached = [...unreached, ...(await clearMatch(router, log)).unreached];
        held = undefined;
        phase = 'done';
    }
    if (after[canary] === 100)
        log.info(`canary ${canary} passed every step and is now the live slot`);
    else
        log.info(`canary ${canary} passed; the walk stops at ${after[canary]}% as asked (held)`);
    return finish('pass', `${plan.steps.length} step(s) passed`, after, false);
}
/**
 * Puts the stable slot back to 100% if a walk was left mid-way (the post step's job), on every
 * router of a list that answers. `restored` is false when stable already carried 100% where the
 * routers answered; `unreached` names the routers that did not (the post step then fails).
 */
async function restoreAfterInterruptedWalk(router, stable, log) {
    const read = await readTowardSafety(router, log);
    const now = read.after;
    if (now[stable] === 100) {
        // The header phase leaves the weights alone: its match is what a cancelled walk left.
        const cleared = await clearMatch(router, log);
        if (!cleared.cleared)
            log.info(`stable ${stable} already carries 100% (${(0,domain_slots/* formatWeights */.V7)(now)}): nothing to restore`);
        return {
            restored: cleared.cleared,
            from: now,
            unreached: [...read.unreached, ...cleared.unreached],
        };
    }
    log.info(`the canary walk was interrupted at ${(0,domain_slots/* formatWeights */.V7)(now)}: restoring stable ${stable} to 100%`);
    let unreached;
    try {
        unreached = (await moveTowardSafety(router, (0,domain_slots/* weightsFor */.NK)((0,domain_slots/* otherSlot */.jx)(stable), 0), log)).unreached;
    }
    catch (e) {
        throw new Error(`could not restore stable ${stable}: ${(0,action_kit/* errorMessage */.gJ)(e)}`);
    }
    log.info(`restored: stable ${stable} carries 100%${unreached.length > 0 ? ` on every router that answered (${unreached.length} did not)` : ''}`);
    unreached = [...unreached, ...(await clearMatch(router, log)).unreached];
    return { restored: true, from: now, unreached };
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/report.js
/** The job summaries of the three traffic actions, in one place so they read alike. */





/** The before/after weights table every traffic summary starts with. */
function weightsTable(before, after) {
    return action_kit/* markdown.table */.wD.table(['', 'blue', 'green'], [
        ['before', `${before.blue}%`, `${before.green}%`],
        ['after', `${after.blue}%`, `${after.green}%`],
    ]);
}
function healthText(health, skipped) {
    if (health)
        return `${health.url}: ${health.passedInARow} in a row, last ${health.last}`;
    return skipped ? `⚠️ none: ${skipped}` : 'none';
}
function slotsLine(view) {
    const servers = view.idleServers.map((s) => `${s.name} (${s.address})`).join(', ');
    return `Live: ${view.live}; idle: ${view.idle}${servers ? ` (servers: ${servers})` : ''}.`;
}
/** The routers of a list a move back to stable did not reach, as a list (or nothing). */
function unreachedSection(unreached) {
    return unreached.length === 0
        ? ''
        : `**Routers not moved** (traffic is back on every other router)\n\n${unreached.map((u) => `- ❗ ${(0,packages_router/* unreachedText */.NP)(u)}`).join('\n')}`;
}
/** What the router asked an operator to know, as a list (or nothing). */
function notesSection(notes) {
    return notes.length === 0 ? '' : `**Router notes**\n\n${notes.map((n) => `- ⚠️ ${n}`).join('\n')}`;
}
function switchReport(result) {
    const title = result.dryRun
        ? `Blue-green switch (dry run): would move traffic to ${result.target}`
        : result.bake?.rolledBack
            ? `Blue-green switch: ${result.target} failed its bake (${result.bake.verdict}), ${result.active} is back at 100%`
            : result.switched
                ? `Blue-green switch: ${result.previous} → ${result.active}`
                : `Blue-green switch: ${result.active} was already live, nothing moved`;
    const bake = result.bake;
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(title), weightsTable(result.before, result.after), action_kit/* markdown.table */.wD.table(['router', 'health check', 'took'], [[result.router, healthText(result.health, result.healthSkipped), `${result.elapsedMs} ms`]]), result.smoke && (0,traffic_smoke/* smokeSection */.bN)(result.smoke), bake
        ? `**Bake** (the gate after the switch): ${bake.verdict}: ${bake.reason}\n\n${bake.measurements.length > 0 ? (0,packages_gate/* measurementTable */.zb)(bake.measurements) : ''}`
        : '', bake ? unreachedSection(bake.unreached) : '', slotsLine(result), notesSection(result.notes));
}
/** A table per step and charts of weight and the first check. */
function canaryReport(result) {
    if (result.dryRun)
        return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`Canary ${result.canary} (dry run): nothing moved`), `Traffic: ${(0,domain_slots/* formatWeights */.V7)(result.before)}. Router: ${result.router}.`, result.smoke && (0,traffic_smoke/* smokeSection */.bN)(result.smoke), slotsLine(result), notesSection(result.notes));
    const icon = result.verdict === 'pass' ? '✅' : result.verdict === 'cancelled' ? '⏹️' : '❌';
    const title = result.verdict === 'pass'
        ? result.weight === 100
            ? `Canary ${result.canary}: pass, canary at 100%`
            : `Canary ${result.canary}: pass, held at ${result.weight}%`
        : `Canary ${result.canary}: ${result.verdict}${result.rolledBack ? `, rolled back to stable ${result.stable}` : `, held at ${result.weight}%`}`;
    const overview = action_kit/* markdown.table */.wD.table(['step', 'canary weight', 'verdict', 'reason'], result.steps.map((s, i) => [i + 1, `${s.weight}%`, s.verdict, s.reason]));
    const perStep = result.steps
        .map((s, i) => ({ s, i }))
        .filter(({ s }) => s.measurements.length > 0)
        .map(({ s, i }) => `**Step ${i + 1}: canary at ${s.weight}%**\n\n${(0,packages_gate/* measurementTable */.zb)(s.measurements)}`);
    const points = result.steps.flatMap((s) => s.measurements.map((m) => ({ weight: s.weight, m })));
    const first = points[0]?.m.check;
    const series = points.filter((p) => p.m.check === first);
    const charts = series.length > 1
        ? [
            (0,packages_gate/* lineChart */.Tz)(`Canary ${result.canary} weight (%)`, series.map((p) => p.m.at.slice(11, 19)), 'weight %', [series.map((p) => p.weight)]),
            (0,packages_gate/* lineChart */.Tz)(`${first} (value)`, series.map((p) => p.m.at.slice(11, 19)), first ?? '', [series.map((p) => p.m.value ?? NaN)]),
        ]
        : [];
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`${icon} ${title}`), `${result.reason}. Router: ${result.router}. Traffic before: ${(0,domain_slots/* formatWeights */.V7)(result.before)}; after: ${(0,domain_slots/* formatWeights */.V7)(result.after)}.`, result.smoke && (0,traffic_smoke/* smokeSection */.bN)(result.smoke), overview, unreachedSection(result.unreached), ...perStep, ...charts, notesSection(result.notes));
}
function rollbackReport(result, reason) {
    const { decision } = result;
    const title = decision.action === 'nothing-to-do'
        ? `Rollback: ${decision.target} already carries 100%, nothing moved`
        : result.dryRun
            ? `Rollback (dry run): would go back to ${result.target}`
            : `Rollback: ${result.previous} → ${result.active}`;
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(title), weightsTable(result.before, result.after), action_kit/* markdown.table */.wD.table(['router', 'why this slot', 'health check', 'reason given'], [
        [
            result.router,
            decision.why,
            healthText(result.health, result.healthSkipped),
            reason || '—',
        ],
    ]), unreachedSection(result.unreached), `**Facts used**\n\n${decision.facts.map((f) => `- ${f}`).join('\n')}`, notesSection(result.notes));
}
/** A refused rollback: why, and the facts it rests on (nothing moved). */
function refusalReport(refusal) {
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading('Rollback refused: nothing moved'), refusal.message, refusal.router ? `Router: ${refusal.router}.` : '', refusal.facts.length > 0
        ? `**Facts used**\n\n${refusal.facts.map((f) => `- ${f}`).join('\n')}`
        : '');
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/outcome.js
/** Pure: a gate's measurements folded into one entry per check, in the order checks were first measured. */
function gateFigures(measurements) {
    const byCheck = new Map();
    for (const m of measurements) {
        const prior = byCheck.get(m.check);
        const tally = {
            looks: prior?.looks ?? 0,
            passed: prior?.passed ?? 0,
            failed: prior?.failed ?? 0,
            inconclusive: prior?.inconclusive ?? 0,
            errors: prior?.errors ?? 0,
        };
        if (m.outcome !== 'waiting')
            tally.looks += 1;
        if (m.outcome === 'pass')
            tally.passed += 1;
        else if (m.outcome === 'fail')
            tally.failed += 1;
        else if (m.outcome === 'inconclusive')
            tally.inconclusive += 1;
        else if (m.outcome === 'error')
            tally.errors += 1;
        const stats = m.stats;
        byCheck.set(m.check, {
            check: m.check,
            ...tally,
            ...(m.value === undefined ? {} : { value: m.value }),
            ...(m.baseline === undefined ? {} : { baseline: m.baseline }),
            ...(m.samples === undefined ? {} : { samples: m.samples }),
            bound: m.bound,
            outcome: m.outcome,
            ...(m.message === undefined ? {} : { message: m.message }),
            ...(stats
                ? {
                    canary: { ...stats.canary },
                    stable: { ...stats.stable },
                    pValue: stats.pValue,
                }
                : {}),
        });
    }
    return [...byCheck.values()];
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/index.js















/***/ }),

/***/ 6292:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ih: () => (/* binding */ smokeReport),
/* harmony export */   V: () => (/* binding */ parseSmoke),
/* harmony export */   bN: () => (/* binding */ smokeSection),
/* harmony export */   dR: () => (/* binding */ SmokeFailed),
/* harmony export */   s: () => (/* binding */ smokeFailureOutputs),
/* harmony export */   z9: () => (/* binding */ requireSmoke)
/* harmony export */ });
/* unused harmony exports SMOKE_HTTP_KEYS, SMOKE_COMMAND_KEYS, SMOKE_PLACEHOLDERS, SMOKE_LIMITS, SMOKE_BODY_BYTES, SMOKE_EXCERPT, fillPlaceholders, judgeAnswer, excerpt, smokeVerdict, runSmoke */
/* harmony import */ var _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6719);
/* harmony import */ var _exec_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(179);
/**
 * Smoke tests: checks run against EACH server of the target slot before any traffic moves
 * (blue-green-switch after its health check, canary-step before its first weight). A check is
 * an HTTP request (status, a substring of the body, a deadline per attempt, retries) or a user
 * command (an argv run through packages/exec under a timeout). `{{slot}}`, `{{server}}` and
 * `{{address}}` in a URL or an argument become the slot's name, the server's name and its
 * address as the router gives them (`router.servers()`).
 *
 * Parsing and judging are pure (`parseSmoke`, `fillPlaceholders`, `judgeAnswer`,
 * `smokeVerdict`); `runSmoke` does the I/O. Like the health check (health.ts), every HTTP
 * attempt has one deadline for the whole exchange (connect, head, body), and redirects are
 * never followed: a 302 is a 302, which passes only when `status` asks for it.
 */



const SMOKE_HTTP_KEYS = ['url', 'status', 'body', 'timeout', 'retries', 'interval'];
const SMOKE_COMMAND_KEYS = ['command', 'timeout'];
const SMOKE_PLACEHOLDERS = ['slot', 'server', 'address'];
/** The limits the `smoke` input is validated against (ms where a duration). */
const SMOKE_LIMITS = {
    maxChecks: 20,
    http: { timeout: { min: 100, max: 300_000, fallback: 10_000 } },
    command: { timeout: { min: 100, max: 1_800_000, fallback: 60_000 } },
    retries: { min: 0, max: 20, fallback: 0 },
    interval: { min: 100, max: 600_000, fallback: 1000 },
    status: { min: 100, max: 599, fallback: [200] },
};
/** Bytes of a body read to match `body` against; the rest is not awaited. */
const SMOKE_BODY_BYTES = 1024 * 1024;
/** Characters of a body quoted in the log and the summary: action-kit's QUOTE_LIMIT. */
const SMOKE_EXCERPT = (/* unused pure expression or super */ null && (QUOTE_LIMIT));
const SAMPLES = {
    slot: 'blue',
    server: 'server-1',
    address: '127.0.0.1:8080',
};
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
/**
 * The `smoke` input (already parsed from YAML), validated whole: every check, key and value,
 * before anything is contacted. Undefined when no smoke test was given.
 */
function parseSmoke(value, options = {}) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const input = options.input ?? 'smoke';
    // Values read from a file are never echoed: errors name the check and the key, not the value.
    const file = options.file;
    const show = file
        ? {
            hidden: true,
            value: () => `a value not shown here (it comes from the file ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(file)})`,
            kind: (v) => Array.isArray(v)
                ? 'a list'
                : v === null
                    ? 'nothing'
                    : `a ${typeof v === 'object' ? 'mapping' : typeof v}`,
        }
        : { hidden: false, value: (v) => `the value ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(v)}`, kind: _action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__/* .describeValue */ .bp };
    const source = file ? `Input '${input}' (the file ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(file)})` : `Input '${input}'`;
    const shape = `a YAML list of checks, each { url, status, body, timeout, retries, interval } or { command: [argv...], timeout }`;
    if (!Array.isArray(value))
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${source} is ${show.kind(value)}; allowed: ${shape}.`);
    if (value.length === 0)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${source} is an empty list; allowed: ${shape} (leave the input out for no smoke test).`);
    if (value.length > SMOKE_LIMITS.maxChecks)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${source} has ${value.length} checks; allowed: at most ${SMOKE_LIMITS.maxChecks} (each runs against every server of the slot).`);
    return value.map((item, i) => parseCheck(item, `${source}, check ${i + 1}`, shape, show));
}
function parseCheck(item, where, shape, show) {
    if (item === null || typeof item !== 'object' || Array.isArray(item))
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} is ${show.kind(item)}; allowed: ${shape}.`);
    const map = item;
    const isCommand = 'command' in map;
    if (isCommand && 'url' in map)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has both 'url' and 'command'; a check is either an HTTP check (url) or a command (command).`);
    if (!isCommand && !('url' in map))
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has neither 'url' nor 'command'; allowed: ${shape}.`);
    const keys = isCommand ? SMOKE_COMMAND_KEYS : SMOKE_HTTP_KEYS;
    const unknown = Object.keys(map).filter((k) => !keys.includes(k));
    if (unknown.length > 0)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has unknown key ${unknown.map((k) => (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(k)).join(', ')}; allowed for ${isCommand ? 'a command check' : 'an HTTP check'}: ${keys.join(', ')}.`);
    const at = (key) => `${where}, key '${key}'`;
    if (isCommand) {
        const argv = map.command;
        if (!Array.isArray(argv) ||
            argv.length === 0 ||
            !argv.every((a) => typeof a === 'string' || typeof a === 'number') ||
            String(argv[0]).trim() === '')
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${at('command')} is ${Array.isArray(argv) ? (argv.length === 0 ? 'an empty list' : 'a list with a value that is not a string, or an empty program') : show.kind(argv)}; allowed: an argv list, e.g. [./smoke.sh, '{{address}}'] (never a shell string: the program and each argument apart).`);
        const strings = argv.map(String);
        strings.forEach((a) => checkPlaceholders(a, at('command'), show));
        return {
            kind: 'command',
            argv: strings,
            timeoutMs: duration(map.timeout, at('timeout'), SMOKE_LIMITS.command.timeout, show),
        };
    }
    if (typeof map.url !== 'string' || map.url.trim() === '')
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${at('url')} is ${show.kind(map.url)}; allowed: an http:// or https:// URL.`);
    const url = map.url.trim();
    checkPlaceholders(url, at('url'), show);
    try {
        (0,_action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__/* .parseHttpUrl */ .f$)('smoke', url, {
            placeholders: SAMPLES,
            hint: 'where {{slot}}, {{server}} and {{address}} stand for the slot, each server and its address',
        });
    }
    catch (e) {
        if (!(e instanceof _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1))
            throw e;
        const credentials = /user name or password/.test(e.message);
        if (show.hidden)
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(credentials
                ? `${at('url')} has a URL with a user name or password in it (not shown: it comes from a file); allowed: an http:// or https:// URL without credentials.`
                : `${at('url')} has ${show.value(url)}; allowed: an http:// or https:// URL.`);
        // Smoke checks take no headers: say what to do instead of parseHttpUrl's header advice.
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(e.message
            .replace(/^Input 'smoke'/, at('url'))
            // The credentials message shows the host as parsed: the template's, not the samples'.
            .replace(`@${SAMPLES.address})`, '@{{address}})')
            .replace(`@${SAMPLES.server})`, '@{{server}})')
            .replace(/ Pass credentials as a header instead\.$/, ' A smoke check sends no credentials: check an endpoint that needs none, or use a command check that reads them from its environment.'));
    }
    const check = {
        kind: 'http',
        url,
        status: parseStatus(map.status, at('status'), show),
        timeoutMs: duration(map.timeout, at('timeout'), SMOKE_LIMITS.http.timeout, show),
        retries: whole(map.retries, at('retries'), SMOKE_LIMITS.retries, show),
        intervalMs: duration(map.interval, at('interval'), SMOKE_LIMITS.interval, show),
    };
    if (map.body !== undefined) {
        if (typeof map.body !== 'string' && typeof map.body !== 'number')
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${at('body')} is ${show.kind(map.body)}; allowed: a text the body must contain (a substring, case-sensitive).`);
        const body = String(map.body);
        if (body === '')
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${at('body')} is empty; allowed: a text the body must contain (a substring, case-sensitive), or leave 'body' out.`);
        check.body = body;
    }
    return check;
}
function checkPlaceholders(text, where, show) {
    for (const m of text.matchAll(PLACEHOLDER)) {
        const name = m[1];
        if (!SMOKE_PLACEHOLDERS.includes(name))
            throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has ${show.hidden ? 'an unknown placeholder (not shown: it comes from a file)' : `the placeholder ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(`{{${name}}}`)}`}; allowed: ${SMOKE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`);
    }
}
function parseStatus(value, where, show) {
    const { min, max, fallback } = SMOKE_LIMITS.status;
    if (value === undefined || value === null)
        return [...fallback];
    const items = Array.isArray(value) ? value : [value];
    const ok = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) ||
        (typeof v === 'string' && /^\d{3}$/.test(v.trim()) && +v >= min && +v <= max);
    if (items.length === 0 || !items.every(ok))
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has ${show.value(value)}; allowed: an HTTP status from ${min} to ${max}, or a list of them (e.g. [200, 204]).`);
    return items.map(Number);
}
function duration(value, where, limits, show) {
    if (value === undefined || value === null)
        return limits.fallback;
    const allowed = `a duration from ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(limits.min)} to ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(limits.max)} with its unit, e.g. 5s or 500ms`;
    if (typeof value !== 'string')
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has ${show.value(value)}; allowed: ${allowed}.`);
    let ms;
    try {
        ms = (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E9)('smoke', value);
    }
    catch {
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has ${show.value(value)}; allowed: ${allowed}.`);
    }
    if (ms < limits.min || ms > limits.max)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has ${show.value(value)}; allowed: ${allowed}.`);
    return ms;
}
function whole(value, where, limits, show) {
    if (value === undefined || value === null)
        return limits.fallback;
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < limits.min || n > limits.max)
        throw new _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`${where} has ${show.value(value)}; allowed: a whole number from ${limits.min} to ${limits.max}.`);
    return n;
}
/** `{{slot}}`, `{{server}}`, `{{address}}` in `text` filled in for one server. */
function fillPlaceholders(text, values) {
    return text.replace(PLACEHOLDER, (whole, name) => name in values ? values[name] : whole);
}
/** The decision, pure: does this answer pass the check, and if not, why (in a few words). */
function judgeAnswer(check, answer) {
    const wanted = check.status.join(' or ');
    if (!check.status.includes(answer.status)) {
        const redirect = answer.status >= 300 && answer.status < 400
            ? ` redirect${answer.location ? ` to ${answer.location}` : ''} (redirects are not followed)`
            : '';
        return { passed: false, why: `HTTP ${answer.status}${redirect}, expected ${wanted}` };
    }
    if (check.body !== undefined && !answer.body.includes(check.body))
        return {
            passed: false,
            why: `HTTP ${answer.status}, but the body does not contain ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(check.body)}`,
        };
    return {
        passed: true,
        why: `HTTP ${answer.status}${check.body !== undefined ? `, body contains ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(check.body)}` : ''}`,
    };
}
/** A body (or a command's output) as the log and the summary may show it: one line, capped, inert. */
function excerpt(text) {
    const oneLine = text.replace(/\s+/g, ' ').trim();
    // quote() caps at QUOTE_LIMIT characters (never cutting a character in half) and says how many more.
    return oneLine === '' ? '(empty)' : (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .neutraliseCommands */ .$B)((0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(oneLine));
}
/** The decision, pure: the slot passes when every check passed on every server. */
function smokeVerdict(slot, outcomes) {
    const failed = outcomes.filter((o) => !o.passed);
    const failedServers = [...new Set(failed.map((o) => o.server))];
    if (failed.length === 0)
        return { passed: true, failedServers, reason: '' };
    const first = failed[0];
    const more = failedServers.length > 1
        ? ` (and ${failedServers.length - 1} more server${failedServers.length > 2 ? 's' : ''}: ${failedServers.slice(1).join(', ')})`
        : '';
    return {
        passed: false,
        failedServers,
        reason: `smoke test failed on server ${first.server} (${first.address}) of slot ${slot}: ${first.check} answered ${first.answer}${first.excerpt ? `; ${first.excerpt}` : ''}${more}`,
    };
}
/** A smoke test that did not pass: nothing moved. Carries the result for the summary. */
class SmokeFailed extends _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentFailed */ .Nr {
    result;
    name = 'SmokeFailed';
    constructor(message, result) {
        super(message);
        this.result = result;
    }
}
/** Outputs of a step that failed its smoke test: phase smoke, nothing rolled back (nothing moved). */
function smokeFailureOutputs(e) {
    return e instanceof SmokeFailed
        ? { phase: 'smoke', 'rolled-back': 'false', reason: e.result.reason }
        : {};
}
/**
 * Runs every check against every server of `slot`, server after server; a server's checks stop
 * at its first failure, and every server is tried (so the log names each one that fails).
 */
async function runSmoke(checks, slot, servers, log) {
    const started = Date.now();
    const outcomes = [];
    log.info(`smoke: ${checks.length} check${checks.length === 1 ? '' : 's'} on each of ${servers.length} server${servers.length === 1 ? '' : 's'} of ${slot}`);
    if (servers.length === 0) {
        const reason = `smoke test cannot run: the router lists no server in slot ${slot}`;
        return { slot, passed: false, outcomes, failedServers: [], reason, elapsedMs: 0 };
    }
    for (const server of servers) {
        const values = { slot, server: server.name, address: server.address };
        for (const check of checks) {
            const outcome = check.kind === 'http'
                ? await httpCheck(check, server, values, log)
                : await commandCheck(check, server, values, log);
            outcomes.push(outcome);
            log.info(`smoke ${server.name} (${server.address}): ${outcome.check}: ${outcome.passed ? 'passed' : 'FAILED'}: ${outcome.answer}${!outcome.passed && outcome.excerpt ? `; ${outcome.excerpt}` : ''}${outcome.attempts > 1 ? ` (${outcome.attempts} attempts)` : ''}`);
            if (!outcome.passed)
                break;
        }
    }
    const verdict = smokeVerdict(slot, outcomes);
    return { slot, ...verdict, outcomes, elapsedMs: Date.now() - started };
}
/** Runs the smoke test and throws SmokeFailed unless it passes; `where` says where traffic stays. */
async function requireSmoke(checks, slot, servers, log, where) {
    const result = await runSmoke(checks, slot, servers, log);
    if (!result.passed)
        throw new SmokeFailed(`${result.reason}. No traffic was moved: ${where}.`, result);
    log.info(`smoke: passed on every server of ${slot} (${result.elapsedMs} ms)`);
    return result;
}
async function httpCheck(check, server, values, log) {
    const url = fillPlaceholders(check.url, values);
    const shown = `GET ${url}`;
    const t0 = Date.now();
    let last = {
        passed: false,
        answer: 'not tried',
    };
    let attempts = 0;
    for (let attempt = 0; attempt <= check.retries; attempt++) {
        if (attempt > 0) {
            log.info(`smoke ${server.name}: ${shown}: ${last.answer}; retrying in ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(check.intervalMs)}`);
            await (0,_action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy)(check.intervalMs);
        }
        attempts += 1;
        last = await httpAttempt(check, url);
        if (last.passed)
            break;
    }
    return {
        server: server.name,
        address: server.address,
        check: shown,
        attempts,
        ...last,
        elapsedMs: Date.now() - t0,
    };
}
async function httpAttempt(check, url) {
    let parsed;
    try {
        parsed = (0,_action_kit_util_js__WEBPACK_IMPORTED_MODULE_2__/* .parseHttpUrl */ .f$)('smoke', url);
    }
    catch {
        return {
            passed: false,
            answer: `no request: ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(url)} is not an http(s) URL once filled in`,
        };
    }
    const t0 = Date.now();
    // One deadline for the whole exchange: connect, head and the body read below.
    const signal = AbortSignal.timeout(check.timeoutMs);
    try {
        const response = await fetch(parsed, {
            signal,
            redirect: 'manual',
            headers: { 'user-agent': 'cutover-smoke-test' },
        });
        const body = await readCapped(response, check.body !== undefined || !check.status.includes(response.status));
        const location = response.headers.get('location');
        const answer = {
            status: response.status,
            body,
            ...(location ? { location: safeLocation(location, parsed) } : {}),
        };
        const judged = judgeAnswer(check, answer);
        return {
            passed: judged.passed,
            answer: `${judged.why} in ${Date.now() - t0} ms`,
            ...(judged.passed ? {} : { excerpt: `body ${excerpt(body)}` }),
        };
    }
    catch (e) {
        const timedOut = e.name === 'TimeoutError' || signal.aborted;
        return {
            passed: false,
            answer: timedOut
                ? `no complete answer within ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(check.timeoutMs)} (the deadline covers connect, headers and body)`
                : `request failed: ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .fetchFailure */ .Z5)(e)}`,
        };
    }
}
/** The first SMOKE_BODY_BYTES of a body (when `wanted`), under the request's deadline; the rest is dropped. */
async function readCapped(response, wanted) {
    if (!response.body)
        return '';
    if (!wanted) {
        await response.body.cancel();
        return '';
    }
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    try {
        while (size < SMOKE_BODY_BYTES) {
            const { done, value } = await reader.read();
            if (done)
                break;
            chunks.push(value);
            size += value.length;
        }
    }
    finally {
        await reader.cancel().catch(() => { });
    }
    return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, SMOKE_BODY_BYTES));
}
/** A redirect's target for the log: origin and path, never its query or credentials. */
function safeLocation(location, base) {
    try {
        const target = new URL(location, base);
        return (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(`${target.origin}${target.pathname}`);
    }
    catch {
        return 'an unreadable location';
    }
}
async function commandCheck(check, server, values, log) {
    const argv = check.argv.map((a) => fillPlaceholders(a, values));
    const shown = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(a))).join(' ');
    const t0 = Date.now();
    const base = { server: server.name, address: server.address, check: shown, attempts: 1 };
    try {
        const result = await (0,_exec_index_js__WEBPACK_IMPORTED_MODULE_1__/* .execute */ .g7)(argv, {
            timeoutMs: check.timeoutMs,
            log,
            maxCapture: 64 * 1024,
            env: {
                CUTOVER_SLOT: values.slot,
                CUTOVER_SERVER: values.server,
                CUTOVER_ADDRESS: values.address,
            },
        });
        const elapsedMs = Date.now() - t0;
        if (result.timedOut)
            return {
                ...base,
                passed: false,
                answer: `timed out after ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(check.timeoutMs)} (stopped)`,
                elapsedMs,
            };
        if (result.notFound)
            return {
                ...base,
                passed: false,
                answer: `command not found: ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(argv[0])} is not installed, not on PATH or not executable`,
                elapsedMs,
            };
        const output = (0,_exec_index_js__WEBPACK_IMPORTED_MODULE_1__/* .lastLines */ .w$)(result, 3).join(' | ');
        return {
            ...base,
            passed: result.code === 0,
            answer: `exit code ${result.code} in ${elapsedMs} ms`,
            ...(result.code === 0 || output === '' ? {} : { excerpt: `output ${excerpt(output)}` }),
            elapsedMs,
        };
    }
    catch (e) {
        return {
            ...base,
            passed: false,
            answer: `could not run: ${(0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(e)}`,
            elapsedMs: Date.now() - t0,
        };
    }
}
/** The job summary's smoke section: a heading and one row per check and server. */
function smokeSection(result) {
    const title = result.passed
        ? `Smoke test of ${result.slot}: passed on every server (${result.elapsedMs} ms)`
        : `Smoke test of ${result.slot}: failed on ${result.failedServers.join(', ') || 'no server'}; nothing moved`;
    return _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .markdown.sections */ .wD.sections(_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .markdown.heading */ .wD.heading(title, 4), result.outcomes.length > 0
        ? _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .markdown.table */ .wD.table(['server', 'address', 'check', 'result', 'answer'], result.outcomes.map((o) => [
            o.server,
            o.address,
            o.check,
            o.passed ? '✅ passed' : '❌ failed',
            `${o.answer}${!o.passed && o.excerpt ? `; ${o.excerpt}` : ''}`,
        ]))
            .replace(/</g, '&lt;')
        : result.reason);
}
/** The summary of a step that failed its smoke test. */
function smokeReport(result) {
    return _action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .markdown.sections */ .wD.sections(_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .markdown.heading */ .wD.heading(`Smoke test failed: no traffic moved`), smokeSection(result));
}


/***/ })

};
