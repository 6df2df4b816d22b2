export const id = 29;
export const ids = [29];
export const modules = {

/***/ 796:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  j1: () => (/* reexport */ errors/* ConfigurationError */.j1),
  Nr: () => (/* reexport */ errors/* DeploymentFailed */.Nr),
  gJ: () => (/* reexport */ errors/* errorMessage */.gJ),
  Z5: () => (/* reexport */ errors/* fetchFailure */.Z5),
  a3: () => (/* reexport */ inputs/* formatDuration */.a),
  wD: () => (/* reexport */ markdown_namespaceObject),
  E9: () => (/* reexport */ parse/* parseDuration */.E9),
  nL: () => (/* reexport */ parse/* parseEnum */.nL),
  cG: () => (/* reexport */ parse/* parseInteger */.cG),
  lo: () => (/* reexport */ parse/* parsePercent */.lo),
  hD: () => (/* reexport */ errors/* quote */.hD)
});

// UNUSED EXPORTS: Inputs, consoleLog, parseBoolean, silentLog

// NAMESPACE OBJECT: ./build/tsc/packages/action-kit/markdown.js
var markdown_namespaceObject = {};
__webpack_require__.r(markdown_namespaceObject);
__webpack_require__.d(markdown_namespaceObject, {
  codeBlock: () => (codeBlock),
  heading: () => (heading),
  sections: () => (sections),
  table: () => (table)
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

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/inputs.js + 1 modules
var inputs = __webpack_require__(6803);
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







/***/ }),

/***/ 8029:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  L4: () => (/* reexport */ GATE_KEYS),
  yw: () => (/* reexport */ PrometheusSource),
  We: () => (/* reexport */ gateReport),
  Tz: () => (/* reexport */ lineChart),
  zb: () => (/* reexport */ measurementTable),
  t0: () => (/* reexport */ parseGateConfig),
  A1: () => (/* reexport */ runAnalysis)
});

// UNUSED EXPORTS: DEFAULT_SETTINGS, MeasurementError, NoDataError, boundText, escapePromqlString, format, measure, parseChecks, parseVars, singleValue, substitute

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 2 modules
var action_kit = __webpack_require__(796);
;// CONCATENATED MODULE: ./build/tsc/packages/gate/prometheus.js
/** Prometheus over its HTTP API: one instant query, one number, or a clear reason why not. */

/** The query answered, but with nothing to judge: no series. Whether that fails is the gate's `no-data` setting. */
class NoDataError extends Error {
    name = 'NoDataError';
}
/** The measurement could not be taken or makes no sense (HTTP error, bad PromQL, NaN, several series). Never a pass. */
class MeasurementError extends Error {
    name = 'MeasurementError';
}
class PrometheusSource {
    baseUrl;
    headers;
    timeoutMs;
    constructor(baseUrl, headers = {}, timeoutMs = 10_000) {
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.timeoutMs = timeoutMs;
    }
    describe() {
        return `prometheus ${this.baseUrl}`;
    }
    async value(query) {
        const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v1/query`;
        let response;
        try {
            response = await fetch(url, {
                method: 'POST',
                headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ query }).toString(),
                signal: AbortSignal.timeout(this.timeoutMs),
            });
        }
        catch (e) {
            throw new MeasurementError(`cannot reach Prometheus at ${this.baseUrl}: ${(0,action_kit/* fetchFailure */.Z5)(e, this.timeoutMs)}`);
        }
        const text = await response.text();
        let answer;
        try {
            answer = JSON.parse(text);
        }
        catch {
            throw new MeasurementError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status} without JSON: ${text.slice(0, 200)}`);
        }
        if (!response.ok || answer.status !== 'success' || !answer.data) {
            throw new MeasurementError(`Prometheus answered HTTP ${response.status}${answer.errorType ? ` ${answer.errorType}` : ''}: ${answer.error ?? text.slice(0, 200)}`);
        }
        return singleValue(answer.data);
    }
}
/** The one number in an instant query's result, or why there is none. */
function singleValue(data) {
    let sample;
    if (data.resultType === 'scalar') {
        sample = data.result;
    }
    else if (data.resultType === 'vector') {
        const series = data.result;
        if (series.length === 0)
            throw new NoDataError('the query returned no series (no data)');
        if (series.length > 1) {
            const labels = series.slice(0, 3).map((s) => JSON.stringify(s.metric));
            throw new MeasurementError(`the query returned ${series.length} series (${labels.join(', ')}${series.length > 3 ? ', ...' : ''}); it must return one: aggregate with sum(), avg() or max(), or filter by label`);
        }
        sample = series[0]?.value;
    }
    else {
        throw new MeasurementError(`the query returned a ${data.resultType}; use an instant vector or scalar expression`);
    }
    const raw = Array.isArray(sample) ? String(sample[1]) : '';
    // Prometheus writes infinities as "+Inf" and "-Inf", which Number() does not read.
    if (/^[+-]Inf$/.test(raw))
        throw new MeasurementError(`the query returned ${raw}`);
    const value = Number(raw);
    if (raw === 'NaN' || Number.isNaN(value)) {
        throw new MeasurementError('the query returned NaN (often 0/0: no traffic in the window)');
    }
    return value;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/checks.js
/** A gate's checks: parsed and validated once, with `{{var}}` placeholders filled in. */

const CHECK_KEYS = ['name', 'query', 'max', 'min', 'baseline', 'max-increase'];
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const PLACEHOLDER = /\{\{\s*([^}\s]*)\s*\}\}/g;
/**
 * `label` says where the list came from in errors, e.g. "Input 'checks'" or "Input 'gate': 'checks'".
 * Every placeholder must name a key of `vars`.
 */
function parseChecks(value, label, vars) {
    const fail = (message) => {
        throw new action_kit/* ConfigurationError */.j1(`${label}${message}`);
    };
    if (!Array.isArray(value) || value.length === 0) {
        fail(` must be a YAML list of checks, each with name, query and max and/or min; got ${describe(value)}.`);
    }
    const names = new Set();
    return value.map((item, index) => {
        const at = `[${index}]`;
        if (typeof item !== 'object' || item === null || Array.isArray(item))
            fail(`${at} must be a mapping (name, query, max, ...), got ${describe(item)}.`);
        const map = item;
        const unknown = Object.keys(map).filter((k) => !CHECK_KEYS.includes(k));
        if (unknown.length > 0)
            fail(`${at} has unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')}; allowed: ${CHECK_KEYS.join(', ')}.`);
        const name = map.name;
        if (typeof name !== 'string' || name.trim() === '')
            fail(`${at} needs a 'name'.`);
        const where = `${at} (${name})`;
        if (names.has(name))
            fail(`${where}: the name is used twice; names must be unique.`);
        names.add(name);
        const text = (key) => {
            const v = map[key];
            if (v === undefined)
                return undefined;
            if (typeof v !== 'string' || v.trim() === '')
                fail(`${where}: '${key}' must be a PromQL query string, got ${describe(v)}.`);
            return substitute(v.trim(), vars, `${label}${where}: '${key}'`);
        };
        const number = (key, positive = false) => {
            const v = map[key];
            if (v === undefined)
                return undefined;
            const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
            if (!Number.isFinite(n) || (positive && n <= 0))
                fail(`${where}: '${key}' is ${(0,action_kit/* quote */.hD)(v)}; allowed: a ${positive ? 'positive ' : ''}number.`);
            return n;
        };
        const query = text('query');
        if (query === undefined)
            fail(`${where}: 'query' is required.`);
        const check = { name: name, query: query };
        const max = number('max');
        const min = number('min');
        const baseline = text('baseline');
        const maxIncrease = number('max-increase', true);
        if (max !== undefined)
            check.max = max;
        if (min !== undefined)
            check.min = min;
        if (max !== undefined && min !== undefined && min > max)
            fail(`${where}: 'min' (${min}) is above 'max' (${max}), so nothing could pass.`);
        if ((baseline === undefined) !== (maxIncrease === undefined)) {
            fail(`${where}: 'baseline' and 'max-increase' go together (e.g. max-increase: 1.2 lets the value be 20% above the baseline's).`);
        }
        if (baseline !== undefined) {
            check.baseline = baseline;
            check.maxIncrease = maxIncrease;
        }
        if (max === undefined && min === undefined && baseline === undefined) {
            fail(`${where} has no bound: give 'max', 'min', or 'baseline' with 'max-increase'.`);
        }
        return check;
    });
}
/** The `vars` map: names to strings (numbers and booleans are turned into text). */
function parseVars(value, label) {
    if (value === undefined || value === null)
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new action_kit/* ConfigurationError */.j1(`${label} must be a YAML mapping of names to values, got ${describe(value)}.`);
    }
    const out = {};
    for (const [name, v] of Object.entries(value)) {
        if (!VAR_NAME.test(name))
            throw new action_kit/* ConfigurationError */.j1(`${label}: ${(0,action_kit/* quote */.hD)(name)} is not a variable name (letters, digits, _ and -, not starting with a digit).`);
        if (!['string', 'number', 'boolean'].includes(typeof v))
            throw new action_kit/* ConfigurationError */.j1(`${label}: '${name}' must be a string or number, got ${describe(v)}.`);
        out[name] = String(v);
    }
    return out;
}
/** Fills `{{name}}` with the value escaped for a PromQL double-quoted string. Unknown names are an error. */
function substitute(query, vars, label) {
    return query.replace(PLACEHOLDER, (_match, name) => {
        if (!Object.hasOwn(vars, name)) {
            const known = Object.keys(vars);
            throw new action_kit/* ConfigurationError */.j1(`${label} uses {{${name}}}, which is not defined; defined: ${known.length > 0 ? known.join(', ') : 'none'}.`);
        }
        return escapePromqlString(vars[name]);
    });
}
function escapePromqlString(value) {
    return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
function describe(v) {
    if (Array.isArray(v))
        return 'a list';
    if (v === null || v === undefined)
        return 'nothing';
    if (typeof v === 'object')
        return 'a mapping';
    return `${typeof v} ${(0,action_kit/* quote */.hD)(v)}`;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/analysis.js
/**
 * The analysis loop, with Argo Rollouts' semantics and stricter defaults: measurements every
 * `interval`, `count` of them; a failed or errored measurement counts against `failureLimit`
 * and the verdict is `fail` the moment it is exceeded; no data is `inconclusive` (or `fail`),
 * never a pass; any inconclusive measurement makes the verdict `inconclusive`.
 */


const DEFAULT_SETTINGS = {
    interval: 10_000,
    count: 3,
    failureLimit: 0,
    noData: 'inconclusive',
    initialDelay: 0,
};
const sleep = (ms, signal) => new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted)
        return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
});
/** One measurement of one check. */
async function measure(source, check, settings) {
    const at = new Date().toISOString();
    let bound = boundText(check);
    try {
        const [value, baseline] = await Promise.all([
            source.value(check.query),
            check.baseline === undefined ? Promise.resolve(undefined) : source.value(check.baseline),
        ]);
        const failures = [];
        if (check.max !== undefined && value > check.max)
            failures.push(`${format(value)} > max ${check.max}`);
        if (check.min !== undefined && value < check.min)
            failures.push(`${format(value)} < min ${check.min}`);
        if (baseline !== undefined && check.maxIncrease !== undefined) {
            const limit = baseline * check.maxIncrease;
            bound = boundText(check, baseline);
            if (value > limit)
                failures.push(`${format(value)} > ${check.maxIncrease} × baseline ${format(baseline)} = ${format(limit)}`);
        }
        return {
            check: check.name,
            at,
            value,
            ...(baseline === undefined ? {} : { baseline }),
            bound,
            outcome: failures.length > 0 ? 'fail' : 'pass',
            ...(failures.length > 0 ? { message: failures.join('; ') } : {}),
        };
    }
    catch (e) {
        if (e instanceof NoDataError) {
            return {
                check: check.name,
                at,
                bound,
                outcome: settings.noData === 'fail' ? 'fail' : 'inconclusive',
                message: e.message,
            };
        }
        return { check: check.name, at, bound, outcome: 'error', message: (0,action_kit/* errorMessage */.gJ)(e) };
    }
}
async function runAnalysis(source, checks, settings, log, hooks = {}) {
    const measurements = [];
    const failed = new Map(checks.map((c) => [c.name, 0]));
    await sleep(settings.initialDelay, hooks.signal);
    for (let i = 0; i < settings.count; i++) {
        if (i > 0)
            await sleep(settings.interval, hooks.signal);
        if (hooks.signal?.aborted)
            return {
                verdict: 'inconclusive',
                reason: 'analysis stopped before it finished',
                measurements,
            };
        const round = await Promise.all(checks.map((check) => measure(source, check, settings)));
        measurements.push(...round);
        for (const m of round) {
            log.info(`  [${i + 1}/${settings.count}] ${m.check}: ${m.value === undefined ? '—' : format(m.value)} (${m.bound}) ${m.outcome}${m.message ? `: ${m.message}` : ''}`);
            if (m.outcome === 'fail' || m.outcome === 'error')
                failed.set(m.check, (failed.get(m.check) ?? 0) + 1);
        }
        hooks.onRound?.(round, i);
        const over = round.find((m) => (failed.get(m.check) ?? 0) > settings.failureLimit);
        if (over) {
            return {
                verdict: 'fail',
                reason: `${over.check} ${over.outcome === 'error' ? 'could not be measured' : 'failed'} ${failed.get(over.check)} time(s), more than failure-limit ${settings.failureLimit}: ${over.message}`,
                measurements,
            };
        }
    }
    const inconclusive = measurements.find((m) => m.outcome === 'inconclusive');
    if (inconclusive) {
        return {
            verdict: 'inconclusive',
            reason: `${inconclusive.check}: ${inconclusive.message}; inconclusive is not a pass`,
            measurements,
        };
    }
    const tolerated = measurements.filter((m) => m.outcome !== 'pass').length;
    return {
        verdict: 'pass',
        reason: `${checks.length} check(s) passed ${settings.count} measurement(s)${tolerated > 0 ? ` (${tolerated} failure(s) within failure-limit ${settings.failureLimit})` : ''}`,
        measurements,
    };
}
function boundText(check, baseline) {
    const parts = [];
    if (check.min !== undefined)
        parts.push(`>= ${check.min}`);
    if (check.max !== undefined)
        parts.push(`<= ${check.max}`);
    if (check.baseline !== undefined)
        parts.push(`<= ${check.maxIncrease} × baseline${baseline === undefined ? '' : ` ${format(baseline)}`}`);
    return parts.join(' and ');
}
function format(value) {
    if (value === 0)
        return '0';
    const abs = Math.abs(value);
    return abs >= 1000 || abs < 0.001 ? value.toExponential(2) : String(Number(value.toPrecision(3)));
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/config.js
/**
 * A gate's configuration, from separate inputs (metrics-gate) or one YAML mapping (canary-step's
 * `gate`). Both read the same fields through a getter, so they validate alike.
 */



const GATE_KEYS = [
    'prometheus',
    'prometheus-headers',
    'checks',
    'vars',
    'interval',
    'count',
    'failure-limit',
    'no-data',
    'initial-delay',
];
/**
 * `get(key)` returns the raw value (a string from an input, anything from YAML); `name(key)` is
 * what errors call it ("count" for an input, "gate.count" for a field of canary-step's `gate`).
 * `providedVars` ({{canary}}, {{stable}}) are added to the user's vars.
 */
function parseGateConfig(get, name, providedVars = {}, defaults = {}) {
    const label = (key) => `Input '${name(key)}'`;
    const text = (key) => {
        const v = get(key);
        if (v === undefined || v === null || v === '')
            return undefined;
        if (typeof v !== 'string' && typeof v !== 'number')
            throw new action_kit/* ConfigurationError */.j1(`${label(key)} must be a single value, got ${(0,action_kit/* quote */.hD)(v)}.`);
        return String(v).trim();
    };
    const prometheus = text('prometheus');
    if (prometheus === undefined)
        throw new action_kit/* ConfigurationError */.j1(`${label('prometheus')} is required: the base URL of Prometheus, e.g. http://prometheus:9090.`);
    let url;
    try {
        url = new URL(prometheus);
    }
    catch {
        url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
        throw new action_kit/* ConfigurationError */.j1(`${label('prometheus')} has the value ${(0,action_kit/* quote */.hD)(prometheus)}; allowed: an http:// or https:// URL.`);
    }
    const vars = { ...parseVars(get('vars'), label('vars')), ...providedVars };
    const base = { ...DEFAULT_SETTINGS, ...defaults };
    const duration = (key, fallback, min) => {
        const v = text(key);
        if (v === undefined)
            return fallback;
        const ms = (0,action_kit/* parseDuration */.E9)(name(key), v);
        if (ms < min)
            throw new action_kit/* ConfigurationError */.j1(`${label(key)} has the value ${(0,action_kit/* quote */.hD)(v)}; allowed: at least ${min} ms.`);
        return ms;
    };
    const integer = (key, fallback, min, max) => {
        const v = text(key);
        return v === undefined ? fallback : (0,action_kit/* parseInteger */.cG)(name(key), v, min, max);
    };
    const noData = text('no-data');
    return {
        prometheus: prometheus.replace(/\/+$/, ''),
        headers: parseHeaders(get('prometheus-headers'), label('prometheus-headers')),
        checks: parseChecks(get('checks'), label('checks'), vars),
        settings: {
            interval: duration('interval', base.interval, 100),
            count: integer('count', base.count, 1, 1000),
            failureLimit: integer('failure-limit', base.failureLimit, 0, 1000),
            noData: noData === undefined
                ? base.noData
                : (0,action_kit/* parseEnum */.nL)(name('no-data'), noData, ['fail', 'inconclusive']),
            initialDelay: duration('initial-delay', base.initialDelay, 0),
        },
    };
}
function parseHeaders(value, label) {
    if (value === undefined || value === null || value === '')
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new action_kit/* ConfigurationError */.j1(`${label} must be a YAML mapping of header names to values, e.g. { Authorization: Bearer ... }.`);
    }
    const out = {};
    for (const [name, v] of Object.entries(value)) {
        if (!/^[A-Za-z0-9-]+$/.test(name))
            throw new action_kit/* ConfigurationError */.j1(`${label}: ${(0,action_kit/* quote */.hD)(name)} is not an HTTP header name.`);
        if (typeof v !== 'string' && typeof v !== 'number')
            throw new action_kit/* ConfigurationError */.j1(`${label}: the value of ${name} must be a string.`);
        out[name] = String(v);
    }
    return out;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/report.js
/** Job summary pieces for gate results: a table per round and mermaid charts. */


const ICON = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '❔ inconclusive',
    error: '⚠️ error',
};
function measurementTable(measurements) {
    return action_kit/* markdown.table */.wD.table(['time', 'check', 'value', 'bound', 'outcome'], measurements.map((m) => [
        m.at.slice(11, 19),
        m.check,
        m.value === undefined ? '—' : format(m.value),
        m.bound,
        `${ICON[m.outcome] ?? m.outcome}${m.message && m.outcome !== 'pass' ? `: ${m.message}` : ''}`,
    ]));
}
function gateReport(result, title) {
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`${title}: ${ICON[result.verdict] ?? result.verdict}`), result.reason, measurementTable(result.measurements));
}
/** A mermaid line chart (GitHub renders mermaid in job summaries). */
function lineChart(title, labels, yTitle, series) {
    const values = series.flat().filter((v) => Number.isFinite(v));
    const top = values.length > 0 ? Math.max(...values) : 1;
    return [
        '```mermaid',
        'xychart-beta',
        `  title "${title.replace(/"/g, "'")}"`,
        `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
        `  y-axis "${yTitle.replace(/"/g, "'")}" 0 --> ${Number((top * 1.1 || 1).toPrecision(3))}`,
        ...series.map((s) => `  line [${s.map((v) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : 0)).join(', ')}]`),
        '```',
    ].join('\n');
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/index.js







/***/ })

};
