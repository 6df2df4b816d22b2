export const id = 402;
export const ids = [402];
export const modules = {

/***/ 1082:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  j1: () => (/* reexport */ errors/* ConfigurationError */.j1),
  Nr: () => (/* reexport */ errors/* DeploymentFailed */.Nr),
  o1: () => (/* reexport */ errors/* elide */.o1),
  gJ: () => (/* reexport */ errors/* errorMessage */.gJ),
  Z5: () => (/* reexport */ errors/* fetchFailure */.Z5),
  a3: () => (/* reexport */ inputs/* formatDuration */.a3),
  wD: () => (/* reexport */ markdown_namespaceObject),
  $B: () => (/* reexport */ log/* neutraliseCommands */.$B),
  E9: () => (/* reexport */ parse/* parseDuration */.E9),
  nL: () => (/* reexport */ parse/* parseEnum */.nL),
  cG: () => (/* reexport */ parse/* parseInteger */.cG),
  lo: () => (/* reexport */ parse/* parsePercent */.lo),
  PJ: () => (/* reexport */ inputs/* parseYamlInput */.PJ),
  hD: () => (/* reexport */ errors/* quote */.hD),
  aB: () => (/* reexport */ log/* silentLog */.aB)
});

// UNUSED EXPORTS: Inputs, MAX_YAML_ALIASES, MAX_YAML_BYTES, MAX_YAML_VALUES, QUOTE_LIMIT, backoff, consoleLog, describeValue, parseBoolean, parseHttpUrl, parseList, sleep

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
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/log.js
var log = __webpack_require__(7841);
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








/***/ }),

/***/ 6719:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E1: () => (/* binding */ parseList),
/* harmony export */   JN: () => (/* binding */ backoff),
/* harmony export */   bp: () => (/* binding */ describeValue),
/* harmony export */   f$: () => (/* binding */ parseHttpUrl),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5672);
/**
 * Small helpers every package shares, written once: waiting, backoff, lists, URLs and how a
 * value is described in an error message. Pure except for `sleep`.
 */

/** Waits `ms`; resolves early (never rejects) when `signal` aborts. */
function sleep(ms, signal) {
    return new Promise((resolve) => {
        if (ms <= 0 || signal?.aborted)
            return resolve();
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}
/** Exponential backoff: `baseMs` before the first retry, doubling, at most `maxMs`. `attempt` counts from 1. */
function backoff(attempt, baseMs, maxMs = 30_000) {
    return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
/** A list given one item per line or comma-separated; blanks dropped, items trimmed. */
function parseList(text) {
    return text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
}
/** What a YAML or input value is, for an error message: "a list", "a mapping", `string "x"`. */
function describeValue(value) {
    if (Array.isArray(value))
        return 'a list';
    if (value === null || value === undefined)
        return 'nothing';
    if (typeof value === 'object')
        return 'a mapping';
    return `${typeof value} ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(value)}`;
}
/**
 * An http(s) URL without credentials, or a ConfigurationError naming `input`. `placeholder`
 * values are substituted before parsing (e.g. {{slot}} -> blue), so templates validate too.
 */
function parseHttpUrl(input, value, options = {}) {
    let text = value;
    for (const [name, sample] of Object.entries(options.placeholders ?? {}))
        text = text.replace(new RegExp(`\\{\\{\\s*${name}\\s*\\}\\}`, 'g'), sample);
    let url;
    try {
        url = new URL(text);
    }
    catch {
        url = undefined;
    }
    const allowed = `an http:// or https:// URL${options.hint ? `, ${options.hint}` : ''}`;
    if (!url || !['http:', 'https:'].includes(url.protocol))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input '${input}' has the value ${(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(value)}; allowed: ${allowed}.`);
    if (url.username || url.password)
        // Never echo the value: it holds a credential.
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input '${input}' has a URL with a user name or password in it (${url.protocol}//***@${url.host}); allowed: ${allowed} without credentials. Pass credentials as a header instead.`);
    return url;
}


/***/ }),

/***/ 4402:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  u8: () => (/* reexport */ SLOT_PLACEHOLDERS),
  We: () => (/* reexport */ gateReport),
  Tz: () => (/* reexport */ lineChart),
  zb: () => (/* reexport */ measurementTable),
  Xi: () => (/* reexport */ parseGate),
  Yt: () => (/* reexport */ parseServerLists),
  ci: () => (/* reexport */ readGateInput),
  A1: () => (/* reexport */ runAnalysis)
});

// UNUSED EXPORTS: DEFAULT_MIN_SAMPLES, DEFAULT_PROMETHEUS_TIMEOUT_MS, DEFAULT_SETTINGS, GATE_KEYS, Gate, MAX_ANSWER_BYTES, MAX_ANSWER_SKEW_MS, MalformedAnswerError, MeasurementError, NoDataError, NotANumberError, PrometheusSource, RESPONSE_TIME_MIN_SAMPLES, SIDE_PLACEHOLDERS, SMALL_CELL, alphaPerLook, assess, assessCheck, bindCheck, boundText, checksWithoutEvidence, count, emptyCounts, escapePromqlRegex, escapePromqlString, fillTemplate, fisherGreater, format, judgeErrorRate, judgeErrorRateLook, judgeEvidence, judgeValue, logGamma, mannWhitneyGreater, measure, median, normalSf, parseChecks, parsePreset, parseQueryTemplate, parseVars, placeholdersOf, presetChecks, serverAlternation, singleValue, taken, twoProportionZ

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
;// CONCATENATED MODULE: ./build/tsc/packages/gate/prometheus.js
/**
 * Prometheus over its HTTP API: one instant query, one number, or a clear reason why not.
 * Redirects are never followed (a redirect could carry the headers' credentials elsewhere), and
 * no message ever prints a header's value.
 */

/** How much of a server's own words a message carries (errors may echo a huge query or page). */
const SERVER_TEXT_LIMIT = 200;
/** The query answered, but with nothing to judge: no series. Whether that fails is the gate's `no-data` setting. */
class NoDataError extends Error {
    name = 'NoDataError';
}
/** The measurement could not be taken or makes no sense (HTTP error, bad PromQL, NaN, several series). Never a pass. */
class MeasurementError extends Error {
    name = 'MeasurementError';
}
/**
 * Prometheus answered, but not in the shape of its API (a value that is null, missing, an empty
 * string or an object; a series without a value; a timestamp that is not a number). Never read
 * as a number: an error for that look.
 */
class MalformedAnswerError extends MeasurementError {
    name = 'MalformedAnswerError';
}
/** The query returned NaN (often 0/0: no traffic in the window). A MeasurementError. */
class NotANumberError extends MeasurementError {
    name = 'NotANumberError';
}
/** How far an answer's evaluation time may be from the time asked for (clock skew, latency). */
const MAX_ANSWER_SKEW_MS = 30_000;
/** The most of an answer read: an instant query for one number answers in a few hundred bytes. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
class PrometheusSource {
    baseUrl;
    headers;
    timeoutMs;
    options;
    constructor(baseUrl, headers = {}, 
    /** The deadline of each exchange as a whole: connect, request and every byte of the answer. */
    timeoutMs = 10_000, options = {}) {
        this.baseUrl = baseUrl;
        this.headers = headers;
        this.timeoutMs = timeoutMs;
        this.options = options;
    }
    describe() {
        return `prometheus ${this.baseUrl}`;
    }
    async value(query, time) {
        const now = this.options.now ?? Date.now;
        const url = `${this.baseUrl.replace(/\/+$/, '')}/api/v1/query`;
        // One deadline for the whole exchange, not an idle timeout: a server that answers one byte
        // at a time is cut off at the deadline like one that never answers.
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), this.timeoutMs);
        const late = () => new MeasurementError(`Prometheus at ${this.baseUrl} gave no complete answer within the ${(0,action_kit/* formatDuration */.a3)(this.timeoutMs)} deadline (prometheus-timeout; it bounds the whole exchange, not the wait between bytes)`);
        const askedAt = time ?? now();
        let response;
        let text;
        try {
            try {
                response = await fetch(url, {
                    method: 'POST',
                    headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
                    body: new URLSearchParams(time === undefined ? { query } : { query, time: (time / 1000).toFixed(3) }).toString(),
                    signal: deadline.signal,
                    redirect: 'manual',
                });
            }
            catch (e) {
                if (deadline.signal.aborted)
                    throw late();
                throw new MeasurementError(`cannot reach Prometheus at ${this.baseUrl}: ${(0,action_kit/* fetchFailure */.Z5)(e, this.timeoutMs)}`);
            }
            if (response.status >= 300 && response.status < 400) {
                void response.body?.cancel().catch(() => { });
                throw new MeasurementError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status}, a redirect${redirectTarget(response)}; redirects are not followed (they could take the request headers elsewhere): give the final URL in 'prometheus'`);
            }
            try {
                text = await readCapped(response, MAX_ANSWER_BYTES);
            }
            catch (e) {
                if (deadline.signal.aborted)
                    throw late();
                if (e instanceof MeasurementError)
                    throw e;
                throw new MeasurementError(`Prometheus at ${this.baseUrl} did not finish its answer: ${(0,action_kit/* fetchFailure */.Z5)(e, this.timeoutMs)}`);
            }
        }
        finally {
            clearTimeout(timer);
        }
        let parsed;
        try {
            parsed = JSON.parse(text);
        }
        catch {
            throw new MeasurementError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status} without JSON: ${this.serverText(text)}`);
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
            throw new MalformedAnswerError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status} with JSON that is not an API answer (${describeJson(parsed)}): ${this.serverText(text)}`);
        const answer = parsed;
        if (!response.ok || answer.status !== 'success' || !answer.data) {
            throw new MeasurementError(`Prometheus answered HTTP ${response.status}${answer.errorType ? ` ${this.serverText(String(answer.errorType), 40)}` : ''}: ${this.serverText(typeof answer.error === 'string' ? answer.error : text)}`);
        }
        // A partial answer (a shard or a store did not answer, a query that hit a limit) may lack the
        // very series that would fail the check: never judged.
        const warnings = Array.isArray(answer.warnings) ? answer.warnings : [];
        if (warnings.length > 0 || answer.isPartial === true || answer.data.isPartial === true)
            throw new MeasurementError(`Prometheus flagged its answer as partial or doubtful${warnings.length > 0 ? ` (warnings: ${this.serverText(warnings.map(String).join('; '))})` : ' (isPartial)'}; a partial answer is never judged`);
        return singleValue(answer.data, { askedAt, maxSkewMs: this.options.maxSkewMs });
    }
    /**
     * A server's own words for a message: capped, and without our header values (a proxy or a
     * Prometheus may echo the request's Authorization back; messages reach logs and deployment
     * statuses, which no runner mask covers).
     */
    serverText(text, limit = SERVER_TEXT_LIMIT) {
        let clean = text;
        for (const secret of credentials(this.headers))
            clean = clean.split(secret).join('***');
        return (0,action_kit/* elide */.o1)(clean, limit);
    }
}
/** Each header value, and the credential after a scheme ("Bearer abc" -> "abc"), longest first. */
function credentials(headers) {
    const values = Object.values(headers).flatMap((v) => {
        const credential = /^\S+\s+(\S.*)$/.exec(v.trim())?.[1];
        return credential && credential.length >= 4 ? [v, credential] : [v];
    });
    return [...new Set(values.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
}
/** Where a redirect points, without any user name, password or query string. */
function redirectTarget(response) {
    const location = response.headers.get('location');
    if (!location)
        return '';
    try {
        const url = new URL(location, response.url || 'http://prometheus/');
        return ` to ${url.protocol}//${url.host}${url.pathname.slice(0, 100)}`;
    }
    catch {
        return '';
    }
}
/** The body as text, refusing more than `limit` bytes (read as it arrives, never all at once). */
async function readCapped(response, limit) {
    if (!response.body)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.byteLength;
        if (size > limit) {
            void reader.cancel().catch(() => { });
            throw new MeasurementError(`Prometheus answered more than ${limit} bytes for one instant query; not read further`);
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks).toString('utf8');
}
/** A JSON value in a few words, for messages about malformed answers. */
function describeJson(value) {
    if (value === undefined)
        return 'missing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return `a list of ${value.length}`;
    if (typeof value === 'object')
        return 'an object';
    if (value === '')
        return 'an empty string';
    return `${typeof value} ${(0,action_kit/* elide */.o1)(JSON.stringify(value), 40)}`;
}
/** A float as Prometheus writes one in a sample ("0.25", "1e-05", "-3"); NaN and infinities apart. */
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/**
 * The one number in an instant query's result, or why there is none. Everything not in the
 * shape of Prometheus's API is an error, never a 0: a sample is `[<unix seconds>, "<float>"]`.
 * NaN is a NotANumberError; +Inf, -Inf and values beyond a double (1e999) are errors too.
 * With `askedAt`, a sample stamped more than `maxSkewMs` away from it is an error: Prometheus
 * stamps an instant query's answer with the time it evaluated it, so another stamp means an
 * answer from a cache in between, or clocks that disagree, not this look.
 */
function singleValue(data, expect = {}) {
    let sample;
    if (data.resultType === 'scalar') {
        sample = data.result;
    }
    else if (data.resultType === 'vector') {
        if (!Array.isArray(data.result))
            throw new MalformedAnswerError(`Prometheus answered a vector whose result is ${describeJson(data.result)}, not a list of series: a malformed answer is never read as a number`);
        const series = data.result;
        if (series.length === 0)
            throw new NoDataError('the query returned no series (no data)');
        if (series.length > 1) {
            const labels = series
                .slice(0, 3)
                .map((s) => (0,action_kit/* elide */.o1)(JSON.stringify(s?.metric ?? {}), 100));
            throw new MeasurementError(`the query returned ${series.length} series (${labels.join(', ')}${series.length > 3 ? ', ...' : ''}); it must return one: aggregate with sum(), avg() or max(), or filter by label`);
        }
        const one = series[0];
        if (typeof one !== 'object' || one === null || Array.isArray(one))
            throw new MalformedAnswerError(`Prometheus answered a series that is ${describeJson(one)}, not an object with a value: a malformed answer is never read as a number`);
        if (!('value' in one) || one.value === undefined)
            throw new MalformedAnswerError(`Prometheus answered a series without a value${'histogram' in one ? ' (a native histogram: query a float, e.g. with histogram_quantile())' : ''}: a malformed answer is never read as a number`);
        sample = one.value;
    }
    else {
        throw new MeasurementError(`the query returned a ${(0,action_kit/* elide */.o1)(String(data.resultType), 40)}; use an instant vector or scalar expression`);
    }
    if (!Array.isArray(sample) || sample.length !== 2)
        throw new MalformedAnswerError(`Prometheus answered a sample that is ${describeJson(sample)}, not [timestamp, "value"]: a malformed answer is never read as a number`);
    const [stamp, raw] = sample;
    if (typeof raw !== 'string' || raw === '')
        throw new MalformedAnswerError(`Prometheus answered a sample whose value is ${describeJson(raw)}, not a number in a string: a malformed answer is never read as a number`);
    if (typeof stamp !== 'number' || !Number.isFinite(stamp))
        throw new MalformedAnswerError(`Prometheus answered a sample whose timestamp is ${describeJson(stamp)}, not a time in seconds: a malformed answer is never judged`);
    if (expect.askedAt !== undefined) {
        const skew = expect.maxSkewMs ?? MAX_ANSWER_SKEW_MS;
        const off = stamp * 1000 - expect.askedAt;
        if (Math.abs(off) > skew)
            throw new MeasurementError(`Prometheus answered a sample evaluated at ${isoTime(stamp * 1000)}, ${(0,action_kit/* formatDuration */.a3)(Math.round(Math.abs(off) / 1000) * 1000 || Math.round(Math.abs(off)))} ${off < 0 ? 'before' : 'after'} the time asked for (${isoTime(expect.askedAt)}); more than ${(0,action_kit/* formatDuration */.a3)(skew)} off, it describes another moment (a cache in between, or clocks that disagree): never judged`);
    }
    if (raw === 'NaN')
        throw new NotANumberError('the query returned NaN (often 0/0: no traffic in the window)');
    if (/^[+-]?inf(inity)?$/i.test(raw))
        throw new MeasurementError(`the query returned ${(0,action_kit/* elide */.o1)(raw, 20)}; an infinite value is never judged (often a division by 0)`);
    const value = FLOAT.test(raw) ? Number(raw) : NaN;
    if (Number.isNaN(value))
        throw new MalformedAnswerError(`Prometheus answered a sample whose value ${(0,action_kit/* elide */.o1)(JSON.stringify(raw), 40)} is not a number: a malformed answer is never read as a number`);
    if (!Number.isFinite(value))
        throw new MeasurementError(`the query returned ${(0,action_kit/* elide */.o1)(raw, 40)}, beyond the range of a number (infinite); never judged`);
    return value;
}
function isoTime(ms) {
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? `${ms} ms` : d.toISOString();
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/template.js
/**
 * Query templates: `{{name}}` placeholders in PromQL, checked once when the gate is parsed and
 * filled in later (`bind`). A placeholder may stand only inside a double-quoted PromQL string
 * literal, where the value it gets is escaped and can never end the string: anywhere else a
 * value could rewrite the query (`x"}[5m])) * 0 or vector(0) #` turns a bound into a pass).
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}/y;
/**
 * Splits `query` into text and placeholders. `label` names the field in errors
 * ("Input 'checks'[0] (error-rate): 'query'"); every placeholder must be in `known`.
 */
function parseQueryTemplate(query, label, known) {
    const fail = (why) => {
        throw new action_kit/* ConfigurationError */.j1(`${label} ${why}`);
    };
    const segments = [];
    const placeholders = [];
    let text = '';
    // State of the PromQL lexer: outside any literal, in a string (", ' or `), or in a # comment.
    let inside = 'code';
    const where = () => inside === 'code'
        ? 'outside any string literal'
        : inside === '#'
            ? 'in a comment'
            : inside === "'"
                ? 'inside a single-quoted string'
                : 'inside a backquoted raw string';
    for (let i = 0; i < query.length;) {
        const ch = query[i];
        if (query.startsWith('{{', i)) {
            PLACEHOLDER.lastIndex = i;
            const match = PLACEHOLDER.exec(query);
            const end = query.indexOf('}}', i + 2);
            const shown = match?.[0] ?? query.slice(i, end < 0 || end > i + 40 ? i + 20 : end + 2);
            if (inside !== '"')
                fail(`uses ${(0,action_kit/* quote */.hD)(shown)} ${where()}; placeholders are allowed only inside double-quoted PromQL strings, e.g. {slot="{{canary}}"} or {server=~"{{canary-servers}}"}.`);
            if (!match)
                fail(`has ${(0,action_kit/* quote */.hD)(shown)}, which is not a placeholder: write {{name}} with letters, digits, _ and -.`);
            const name = match[1];
            if (!known.includes(name))
                fail(`uses {{${name}}}, which is not defined; defined: ${known.length > 0 ? known.join(', ') : 'none'}.`);
            if (text)
                segments.push({ text });
            text = '';
            segments.push({ placeholder: name });
            if (!placeholders.includes(name))
                placeholders.push(name);
            i += match[0].length;
            continue;
        }
        text += ch;
        i += 1;
        if (inside === 'code') {
            if (ch === '"' || ch === "'" || ch === '`')
                inside = ch;
            else if (ch === '#')
                inside = '#';
        }
        else if (inside === '#') {
            if (ch === '\n')
                inside = 'code';
        }
        else if (ch === '\\' && inside !== '`' && i < query.length) {
            text += query[i]; // an escaped character never ends the string
            i += 1;
        }
        else if (ch === inside) {
            inside = 'code';
        }
    }
    if (inside === '"' || inside === "'" || inside === '`')
        fail(`has a string literal that is never closed (a ${inside} is missing).`);
    if (text)
        segments.push({ text });
    return { source: query, segments, placeholders };
}
/** The query with every placeholder replaced by its value, escaped for a double-quoted string. */
function fillTemplate(template, values) {
    return template.segments
        .map((s) => {
        if ('text' in s)
            return s.text;
        const value = values[s.placeholder];
        if (value === undefined)
            throw new Error(`no value bound for {{${s.placeholder}}}`);
        return escapePromqlString(value);
    })
        .join('');
}
/** Escapes text for a PromQL double-quoted string (Go's escapes): it can never end the literal. */
function escapePromqlString(value) {
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    return value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
        if (c === '\\')
            return '\\\\';
        if (c === '"')
            return '\\"';
        if (c === '\n')
            return '\\n';
        if (c === '\r')
            return '\\r';
        if (c === '\t')
            return '\\t';
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    });
}
/** Escapes text for a RE2 regular expression (PromQL's =~), so it matches only itself. */
function escapePromqlRegex(value) {
    return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
/**
 * Server names as a regex alternation for `=~"{{canary-servers}}"`: each name escaped, joined
 * with `|`. (The string escaping is applied when the template is filled.) An empty list is
 * refused: `=~""` would match every series without the label.
 */
function serverAlternation(names) {
    if (names.length === 0)
        throw new Error('a slot without servers cannot fill {{...-servers}}');
    return names.map(escapePromqlRegex).join('|');
}

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/util.js
var util = __webpack_require__(6719);
;// CONCATENATED MODULE: ./build/tsc/packages/gate/checks.js
/**
 * A gate's checks: parsed and validated once into query templates (`CheckTemplate`), then bound
 * to the slots being judged (`bindCheck`), which only fills in values.
 */



/**
 * The evidence each comparison needs when `min-samples` is not given: `error-rate`, the canary's
 * requests in the window (0 of 0 requests proves nothing, and one error in five is noise);
 * `latency`, looks with a latency sample from both slots before the Mann–Whitney test. A check
 * with a plain `query` counts its evidence only with `samples` and `min-samples`.
 */
const DEFAULT_MIN_SAMPLES = { 'error-rate': 100, latency: 5 };
/** In a comparison's queries, these stand for each slot in turn: the slot's name and servers. */
const SIDE_PLACEHOLDERS = { slot: 'canary', servers: 'canary-servers' };
const CHECK_KEYS = [
    'name',
    'query',
    'max',
    'min',
    'baseline',
    'max-increase',
    'samples',
    'min-samples',
    'dry-run',
    'compare',
    'requests',
    'errors',
    'margin',
    'max-ratio',
];
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/**
 * `label` says where the list came from in errors, e.g. "Input 'checks'" or "Input 'gate.checks'".
 * `placeholders` are the names a query may use (the user's vars and what the caller provides).
 */
function parseChecks(value, label, placeholders) {
    const fail = (message) => {
        throw new action_kit/* ConfigurationError */.j1(`${label}${message}`);
    };
    if (!Array.isArray(value) || value.length === 0) {
        fail(` must be a YAML list of checks, each with name, query and max and/or min; got ${(0,util/* describeValue */.bp)(value)}.`);
    }
    const names = new Set();
    return value.map((item, index) => {
        const at = `[${index}]`;
        if (typeof item !== 'object' || item === null || Array.isArray(item))
            fail(`${at} must be a mapping (name, query, max, ...), got ${(0,util/* describeValue */.bp)(item)}.`);
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
        const template = (key) => {
            const v = map[key];
            if (v === undefined)
                return undefined;
            if (typeof v !== 'string' || v.trim() === '')
                fail(`${where}: '${key}' must be a PromQL query string, got ${(0,util/* describeValue */.bp)(v)}.`);
            return parseQueryTemplate(v.trim(), `${label}${where}: '${key}'`, placeholders);
        };
        const number = (key, kind = 'number') => {
            const v = map[key];
            if (v === undefined)
                return undefined;
            const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
            const ok = Number.isFinite(n) &&
                (kind === 'number' || (kind === 'positive' ? n > 0 : Number.isInteger(n) && n >= 1));
            const allowed = {
                number: 'a number',
                positive: 'a positive number',
                count: 'a whole number of 1 or more',
            };
            if (!ok)
                fail(`${where}: '${key}' is ${(0,action_kit/* quote */.hD)(v)}; allowed: ${allowed[kind]}.`);
            return n;
        };
        const compare = map.compare;
        const check = { name: name };
        if (compare !== undefined) {
            if (compare !== 'error-rate' && compare !== 'latency')
                fail(`${where}: 'compare' is ${(0,action_kit/* quote */.hD)(compare)}; allowed: error-rate, latency.`);
            const takes = compare === 'error-rate' ? ['requests', 'errors', 'margin'] : ['query', 'max-ratio'];
            const wrong = ['query', 'baseline', 'requests', 'errors', 'margin', 'max-ratio'].filter((k) => map[k] !== undefined && !takes.includes(k));
            if (wrong.length > 0)
                fail(`${where}: compare: ${compare} takes ${takes.map(action_kit/* quote */.hD).join(', ')} (with {{slot}} or {{servers}} for each slot), not ${wrong.map(action_kit/* quote */.hD).join(', ')}.`);
            // {{slot}} and {{servers}} stand for each slot in turn, where the caller provides them.
            const sides = Object.entries(SIDE_PLACEHOLDERS)
                .filter(([, from]) => placeholders.includes(from))
                .map(([side]) => side);
            const sideQuery = (key, example) => {
                const v = map[key];
                if (typeof v !== 'string' || v.trim() === '')
                    fail(`${where}: '${key}' must be a PromQL query for {{slot}} or {{servers}}, e.g. ${example}; got ${(0,util/* describeValue */.bp)(v)}.`);
                const t = parseQueryTemplate(v.trim(), `${label}${where}: '${key}'`, [
                    ...placeholders.filter((n) => !Object.values(SIDE_PLACEHOLDERS).includes(n) &&
                        n !== 'stable' &&
                        n !== 'stable-servers'),
                    ...sides,
                ]);
                if (!t.placeholders.some((n) => n in SIDE_PLACEHOLDERS))
                    fail(`${where}: '${key}' must use {{slot}} or {{servers}}${sides.length === 0 ? " (not provided here: give the slots' servers)" : ''}, so it is measured for each slot.`);
                return t;
            };
            if (compare === 'error-rate') {
                const margin = number('margin') ?? 0;
                if (margin < 0 || margin >= 1)
                    fail(`${where}: 'margin' is ${(0,action_kit/* quote */.hD)(map.margin)}; allowed: a rate from 0 to below 1, e.g. 0.01.`);
                check.compare = {
                    kind: 'error-rate',
                    margin,
                    requests: sideQuery('requests', 'sum(http_requests_total{slot="{{slot}}"})'),
                    errors: sideQuery('errors', 'sum(http_requests_total{slot="{{slot}}",code=~"5.."})'),
                };
            }
            else {
                const maxRatio = number('max-ratio', 'positive') ?? 1.2;
                if (maxRatio < 1)
                    fail(`${where}: 'max-ratio' is ${(0,action_kit/* quote */.hD)(map['max-ratio'])}; allowed: a number of 1 or more, e.g. 1.2 (20% slower).`);
                check.compare = {
                    kind: 'latency',
                    maxRatio,
                    query: sideQuery('query', 'sum(rate(http_request_duration_seconds_sum{slot="{{slot}}"}[30s])) / sum(rate(http_request_duration_seconds_count{slot="{{slot}}"}[30s]))'),
                };
            }
        }
        else {
            for (const key of ['requests', 'errors', 'margin', 'max-ratio'])
                if (map[key] !== undefined)
                    fail(`${where}: '${key}' goes with compare (error-rate or latency).`);
            const query = template('query');
            if (query === undefined)
                fail(`${where}: 'query' is required.`);
            check.query = query;
        }
        const max = number('max');
        const min = number('min');
        const baseline = template('baseline');
        const maxIncrease = number('max-increase', 'positive');
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
        if (max === undefined && min === undefined && baseline === undefined && !check.compare) {
            fail(`${where} has no bound: give 'max', 'min', or 'baseline' with 'max-increase'.`);
        }
        const samples = template('samples');
        const minSamples = number('min-samples', 'count');
        if (check.compare) {
            // The evidence of a comparison is the canary's request count in the window.
            if (samples !== undefined)
                fail(`${where}: a comparison counts its samples itself (the canary's requests); drop 'samples'.`);
            // Without min-samples a comparison still needs evidence: never judged on an empty window.
            check.minSamples = minSamples ?? DEFAULT_MIN_SAMPLES[check.compare.kind];
        }
        else if ((samples === undefined) !== (minSamples === undefined))
            fail(`${where}: 'samples' (a query counting the evidence, e.g. the canary's requests in the window) and 'min-samples' go together.`);
        if (samples !== undefined) {
            check.samples = samples;
            check.minSamples = minSamples;
        }
        const dryRun = map['dry-run'];
        if (dryRun !== undefined) {
            if (typeof dryRun !== 'boolean' && !/^(true|false)$/i.test(String(dryRun)))
                fail(`${where}: 'dry-run' is ${(0,action_kit/* quote */.hD)(dryRun)}; allowed: true or false.`);
            if (String(dryRun).toLowerCase() === 'true')
                check.dryRun = true;
        }
        return check;
    });
}
/** Fills a check's templates with `values` (every placeholder the templates use must be there). */
function bindCheck(check, values) {
    const { query, baseline, samples, compare, ...rest } = check;
    if (compare) {
        const sideValues = (slot) => {
            const v = { ...values };
            const name = values[slot];
            const servers = values[`${slot}-servers`];
            if (name !== undefined)
                v.slot = name;
            if (servers !== undefined)
                v.servers = servers;
            return v;
        };
        const [canary, stable] = [sideValues('canary'), sideValues('stable')];
        if (compare.kind === 'latency') {
            const q = (v) => ({ query: fillTemplate(compare.query, v) });
            return {
                ...rest,
                query: q(canary).query,
                compare: {
                    kind: 'latency',
                    maxRatio: compare.maxRatio,
                    canary: q(canary),
                    stable: q(stable),
                },
            };
        }
        const counters = (v) => ({
            requests: fillTemplate(compare.requests, v),
            errors: fillTemplate(compare.errors, v),
        });
        return {
            ...rest,
            query: counters(canary).errors,
            compare: {
                kind: 'error-rate',
                margin: compare.margin,
                canary: counters(canary),
                stable: counters(stable),
            },
        };
    }
    return {
        ...rest,
        query: fillTemplate(query, values),
        ...(baseline ? { baseline: fillTemplate(baseline, values) } : {}),
        ...(samples ? { samples: fillTemplate(samples, values) } : {}),
    };
}
/** The placeholders a list of checks uses. */
function placeholdersOf(checks) {
    const names = new Set();
    for (const c of checks)
        for (const t of [
            c.query,
            c.baseline,
            c.samples,
            ...(c.compare?.kind === 'error-rate' ? [c.compare.requests, c.compare.errors] : []),
            ...(c.compare?.kind === 'latency' ? [c.compare.query] : []),
        ])
            t?.placeholders.forEach((n) => {
                if (n === 'slot')
                    ['canary', 'stable'].forEach((s) => names.add(s));
                else if (n === 'servers')
                    ['canary-servers', 'stable-servers'].forEach((s) => names.add(s));
                else
                    names.add(n);
            });
    return [...names];
}
/** The `vars` map: names to strings (numbers and booleans are turned into text). */
function parseVars(value, label, reserved = []) {
    if (value === undefined || value === null || value === '')
        return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new action_kit/* ConfigurationError */.j1(`${label} must be a YAML mapping of names to values, got ${(0,util/* describeValue */.bp)(value)}.`);
    }
    const out = {};
    for (const [name, v] of Object.entries(value)) {
        if (!VAR_NAME.test(name))
            throw new action_kit/* ConfigurationError */.j1(`${label}: ${(0,action_kit/* quote */.hD)(name)} is not a variable name (letters, digits, _ and -, not starting with a digit).`);
        if (reserved.includes(name))
            throw new action_kit/* ConfigurationError */.j1(`${label}: '${name}' is filled in by the action itself ({{${name}}}); choose another name.`);
        if (!['string', 'number', 'boolean'].includes(typeof v))
            throw new action_kit/* ConfigurationError */.j1(`${label}: '${name}' must be a string or number, got ${(0,util/* describeValue */.bp)(v)}.`);
        out[name] = String(v);
    }
    return out;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/assess.js
function emptyCounts(check, dryRun = false) {
    return {
        check,
        ...(dryRun ? { dryRun } : {}),
        passed: 0,
        failed: 0,
        inconclusive: 0,
        errors: 0,
        consecutiveErrors: 0,
        waiting: 0,
    };
}
/** Measurements that count toward `count`. */
const taken = (c) => c.passed + c.failed + c.inconclusive + c.errors;
/**
 * One check's state: a verdict once it is decided, undefined while it needs more measurements.
 * `timeUp`: no more measurements will be taken (max-wait reached, or the step ends).
 */
function assessCheck(c, s, timeUp = false) {
    const last = c.lastMessage ? `: ${c.lastMessage}` : '';
    if (c.failed > s.failureLimit)
        return {
            verdict: 'fail',
            reason: `${c.check} failed ${c.failed} time(s), more than failure-limit ${s.failureLimit}${last}`,
        };
    if (c.consecutiveErrors > s.consecutiveErrorLimit)
        return {
            verdict: 'fail',
            reason: `${c.check} could not be measured ${c.consecutiveErrors} time(s) in a row, more than consecutive-error-limit ${s.consecutiveErrorLimit}${last}`,
        };
    if (c.inconclusive > s.inconclusiveLimit)
        return {
            verdict: 'inconclusive',
            reason: `${c.check} was inconclusive ${c.inconclusive} time(s), more than inconclusive-limit ${s.inconclusiveLimit}${last}`,
        };
    if (taken(c) >= s.count || timeUp) {
        if (c.passed > 0 && taken(c) >= s.count)
            return { verdict: 'pass', reason: `${c.check} passed` };
        if (c.passed === 0 && taken(c) > 0 && c.errors === taken(c))
            return {
                verdict: 'inconclusive',
                reason: `${c.check} never produced a value (${c.errors} error(s))${last}`,
            };
        if (c.lastWaiting || (taken(c) === 0 && c.waiting > 0))
            return {
                verdict: 'inconclusive',
                reason: `${c.check}: ${c.lastMessage?.startsWith('not enough data yet') ? c.lastMessage : `not enough data yet${last}`}`,
            };
        if (taken(c) === 0)
            return { verdict: 'inconclusive', reason: `${c.check} was never measured` };
        // Failures within failure-limit are tolerated, but a check that never passed proves nothing.
        if (c.passed === 0 && taken(c) >= s.count)
            return {
                verdict: 'inconclusive',
                reason: `${c.check} did not pass once in ${taken(c)} measurement(s) (${c.failed} failed within failure-limit ${s.failureLimit}, ${c.errors} error(s), ${c.inconclusive} inconclusive)${last}`,
            };
        return {
            verdict: 'inconclusive',
            reason: `${c.check} was measured ${taken(c)} of ${s.count} time(s) before time ran out`,
        };
    }
    return undefined;
}
/**
 * The gate's verdict over all checks, or undefined: keep measuring. A failing check decides at
 * once; otherwise the verdict waits until every deciding (not dry-run) check is decided:
 * inconclusive if any is, else pass. Dry-run checks never decide.
 */
function assess(counts, settings, timeUp = false) {
    const deciding = counts.filter((c) => !c.dryRun);
    const states = deciding.map((c) => assessCheck(c, settings, timeUp));
    const failed = states.find((s) => s?.verdict === 'fail');
    if (failed)
        return failed;
    if (states.some((s) => s === undefined))
        return undefined;
    const inconclusive = states.filter((s) => s?.verdict === 'inconclusive');
    if (inconclusive.length > 0)
        return {
            verdict: 'inconclusive',
            reason: `${inconclusive.map((s) => s?.reason).join('; ')}; inconclusive is not a pass`,
        };
    if (deciding.length === 0) {
        // Only dry-run checks: measured in full, and the gate passes (nothing may decide).
        const dry = counts.map((c) => assessCheck(c, settings, timeUp));
        if (dry.some((s) => s === undefined))
            return undefined;
        return { verdict: 'pass', reason: `${counts.length} dry-run check(s) measured; none decides` };
    }
    const tolerated = deciding.reduce((n, c) => n + c.failed + c.errors + c.inconclusive, 0);
    return {
        verdict: 'pass',
        reason: `${deciding.length} check(s) passed ${settings.count} measurement(s)${tolerated > 0 ? ` (${tolerated} failed, errored or inconclusive measurement(s) within the limits)` : ''}`,
    };
}
/** Adds one measurement's outcome to a check's counts (pure: returns new counts). */
function count(c, outcome, message) {
    const next = { ...c, lastWaiting: outcome === 'waiting' };
    if (message === undefined)
        delete next.lastMessage;
    else
        next.lastMessage = message;
    if (outcome === 'pass')
        next.passed += 1;
    else if (outcome === 'fail')
        next.failed += 1;
    else if (outcome === 'inconclusive')
        next.inconclusive += 1;
    else if (outcome === 'waiting')
        next.waiting += 1;
    else
        next.errors += 1;
    // "not enough data yet" neither breaks nor extends a run of errors.
    if (outcome === 'error')
        next.consecutiveErrors += 1;
    else if (outcome !== 'waiting')
        next.consecutiveErrors = 0;
    return next;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/stats.js
/**
 * The statistics of the gate's judge, pure and small: a one-sided comparison of the canary's
 * error rate with the stable slot's (Fisher's exact test for small counts, a two-proportion
 * z-test otherwise), Mann–Whitney U for latency samples, and the split of the false-alarm
 * budget over repeated looks (Bonferroni). Checked against SciPy in test/unit/gate-stats.test.ts.
 */
/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function logGamma(x) {
    const c = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];
    if (x < 0.5)
        return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    const z = x - 1;
    let a = c[0];
    const t = z + 7.5;
    for (let i = 1; i < 9; i++)
        a += c[i] / (z + i);
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
const logChoose = (n, k) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
/**
 * P(Z > z) for a standard normal Z. erfc by W. J. Cody's rational approximations (relative
 * error below 1e-14), so tiny p-values keep their digits.
 */
function normalSf(z) {
    return 0.5 * erfc(z / Math.SQRT2);
}
function erfc(x) {
    if (x < 0)
        return 2 - erfc(-x);
    if (x < 0.5)
        return 1 - erfSmall(x);
    if (x < 4) {
        const p = [
            3.004592610201616e2, 4.519189537118729e2, 3.393208167343437e2, 1.529892850469404e2,
            4.316222722205674e1, 7.21175825088309, 5.64195517478974e-1, -1.368648573827167e-7,
        ];
        const q = [
            3.004592609569833e2, 7.90950925327898e2, 9.313540948506096e2, 6.389802644656312e2,
            2.775854447439876e2, 7.700015293522947e1, 1.278272731962942e1, 1,
        ];
        return Math.exp(-x * x) * (poly(p, x) / poly(q, x));
    }
    const p = [
        -0.002996107077035422, -0.04947309106232507, -0.22695659353968692, -0.2786613086096478,
        -0.02231924597341847,
    ];
    const q = [0.010620923052846792, 0.19130892610782985, 1.051675107067932, 1.9873320181713525, 1];
    const z = 1 / (x * x);
    return (Math.exp(-x * x) / x) * (1 / Math.sqrt(Math.PI) + z * (poly(p, z) / poly(q, z)));
}
function erfSmall(x) {
    const p = [
        3.209377589138469e3, 3.77485237685302e2, 1.138641541510502e2, 3.161123743870566,
        1.857777061846032e-1,
    ];
    const q = [2.844236833439171e3, 1.282616526077372e3, 2.440246379344442e2, 2.360129095234412e1, 1];
    const z = x * x;
    return (x * poly(p, z)) / poly(q, z);
}
/** Σ c[i] xⁱ. */
function poly(c, x) {
    let sum = 0;
    for (let i = c.length - 1; i >= 0; i--)
        sum = sum * x + c[i];
    return sum;
}
/**
 * Fisher's exact test, one-sided: the probability of `a` or more canary errors given the table's
 * margins (SciPy: `fisher_exact([[a, b], [c, d]], alternative='greater')`).
 * a = canary errors, b = canary successes, c = stable errors, d = stable successes.
 */
function fisherGreater(a, b, c, d) {
    const errors = a + c;
    const canary = a + b;
    const total = a + b + c + d;
    const high = Math.min(errors, canary);
    if (a > high)
        return 0;
    const logDenominator = logChoose(total, canary);
    // Hypergeometric pmf at a, then the ratio of successive terms up the tail.
    let term = Math.exp(logChoose(errors, a) + logChoose(total - errors, canary - a) - logDenominator);
    let sum = 0;
    for (let x = a; x <= high; x++) {
        sum += term;
        term *= ((errors - x) * (canary - x)) / ((x + 1) * (total - errors - canary + x + 1));
    }
    return Math.min(1, sum);
}
/**
 * z-test of "canary rate − stable rate ≤ margin", one-sided. With margin 0 the pooled standard
 * error (the classic two-proportion test); otherwise the unpooled one, centred on the margin.
 */
function twoProportionZ(p, margin = 0) {
    const rc = p.canaryErrors / p.canaryTotal;
    const rs = p.stableErrors / p.stableTotal;
    let se;
    if (margin === 0) {
        const pooled = (p.canaryErrors + p.stableErrors) / (p.canaryTotal + p.stableTotal);
        se = Math.sqrt(pooled * (1 - pooled) * (1 / p.canaryTotal + 1 / p.stableTotal));
    }
    else {
        se = Math.sqrt((rc * (1 - rc)) / p.canaryTotal + (rs * (1 - rs)) / p.stableTotal);
    }
    const diff = rc - rs - margin;
    if (se === 0)
        return { z: diff > 0 ? Infinity : -Infinity, pValue: diff > 0 ? 0 : 1 };
    const z = diff / se;
    return { z, pValue: normalSf(z) };
}
/**
 * Below this expected count in any cell of the 2×2 table, Fisher's exact test. The z-test's
 * normal approximation is anti-conservative for rare errors: with cells down to 5 the simulation
 * (npm run bench -- gate) showed 1.04% false alarms at a stated 1%; from 20 up it holds.
 */
const SMALL_CELL = 20;
/**
 * Is the canary's error rate more than `margin` above the stable slot's, at significance `alpha`?
 * Fisher's exact test when any expected cell of the 2×2 table is below SMALL_CELL (it tests "canary ≤
 * stable"; the observed difference must also exceed the margin), the z-test otherwise.
 */
function judgeErrorRate(p, margin, alpha) {
    const canaryRate = p.canaryTotal === 0 ? 0 : p.canaryErrors / p.canaryTotal;
    const stableRate = p.stableTotal === 0 ? 0 : p.stableErrors / p.stableTotal;
    const difference = canaryRate - stableRate;
    const total = p.canaryTotal + p.stableTotal;
    const errors = p.canaryErrors + p.stableErrors;
    const expected = [
        (errors * p.canaryTotal) / total,
        ((total - errors) * p.canaryTotal) / total,
        (errors * p.stableTotal) / total,
        ((total - errors) * p.stableTotal) / total,
    ];
    if (p.canaryTotal === 0 || p.stableTotal === 0)
        return {
            test: "Fisher's exact test",
            canaryRate,
            stableRate,
            difference,
            pValue: 1,
            alpha,
            worse: false,
        };
    const small = expected.some((e) => e < SMALL_CELL);
    const pValue = small
        ? fisherGreater(p.canaryErrors, p.canaryTotal - p.canaryErrors, p.stableErrors, p.stableTotal - p.stableErrors)
        : twoProportionZ(p, margin).pValue;
    return {
        test: small ? "Fisher's exact test" : 'two-proportion z-test',
        canaryRate,
        stableRate,
        difference,
        pValue,
        alpha,
        worse: pValue < alpha && difference > margin,
    };
}
/**
 * The significance level of each look when a gate looks `looks` times at data that keeps
 * accumulating: Bonferroni's split of 1 − confidence, so the chance of any false alarm over the
 * whole step stays at most 1 − confidence.
 */
function alphaPerLook(confidence, looks) {
    return (1 - confidence) / Math.max(1, looks);
}
/**
 * Mann–Whitney U, one-sided "canary greater", normal approximation with tie and continuity
 * corrections (SciPy: `mannwhitneyu(canary, stable, alternative='greater', method='asymptotic')`).
 */
function mannWhitneyGreater(canary, stable) {
    const n1 = canary.length;
    const n2 = stable.length;
    const all = [
        ...canary.map((v) => ({ v, c: true })),
        ...stable.map((v) => ({ v, c: false })),
    ].sort((x, y) => x.v - y.v);
    let rankSum = 0;
    let tieTerm = 0;
    for (let i = 0; i < all.length;) {
        let j = i;
        while (j + 1 < all.length && all[j + 1].v === all[i].v)
            j++;
        const rank = (i + j + 2) / 2;
        const t = j - i + 1;
        tieTerm += t ** 3 - t;
        for (let k = i; k <= j; k++)
            if (all[k].c)
                rankSum += rank;
        i = j + 1;
    }
    const u = rankSum - (n1 * (n1 + 1)) / 2;
    const n = n1 + n2;
    const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const z = sd === 0 ? 0 : (u - (n1 * n2) / 2 - 0.5) / sd;
    return { u, z, pValue: sd === 0 ? 1 : normalSf(z), probabilityGreater: u / (n1 * n2) };
}
function median(values) {
    const s = [...values].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/analysis.js
/**
 * The analysis loop: every `interval` it measures each check, logs and counts the outcome, and
 * asks the pure `assess()` whether the gate is decided. It never judges by itself.
 */






const DEFAULT_SETTINGS = {
    interval: 10_000,
    count: 3,
    failureLimit: 0,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 4,
    noData: 'inconclusive',
    initialDelay: 0,
    maxWait: 600_000,
    confidence: 0.99,
};
/**
 * One measurement of one check. `windowStart` (ms) is where comparisons start counting, `now`
 * the clock their window ends at (the analysis loop's, for tests).
 */
async function measure(source, check, settings, windowStart = Date.now(), history = new Map(), now = Date.now) {
    const at = new Date().toISOString();
    const dry = check.dryRun ? { dryRun: true } : {};
    let bound = boundText(check, undefined, settings.confidence);
    try {
        if (check.compare?.kind === 'latency')
            return { ...(await compareLatency(source, check, settings, history, at)), ...dry };
        if (check.compare)
            return {
                ...(await compareWithStable(source, check, settings, windowStart, at, now())),
                ...dry,
            };
        let samples;
        if (check.samples !== undefined && check.minSamples !== undefined) {
            // A counter with no series yet has counted nothing: no evidence, not "no data".
            samples = await source.value(check.samples).catch((e) => {
                if (e instanceof NoDataError)
                    return 0;
                throw e;
            });
            const short = judgeEvidence(samples, check.minSamples);
            if (short)
                return { check: check.name, at, samples, bound, ...short, ...dry };
        }
        const [value, baseline] = await Promise.all([
            source.value(check.query),
            check.baseline === undefined ? Promise.resolve(undefined) : source.value(check.baseline),
        ]);
        if (baseline !== undefined)
            bound = boundText(check, baseline);
        const judged = judgeValue(check, value, baseline);
        return {
            check: check.name,
            at,
            value,
            ...(baseline === undefined ? {} : { baseline }),
            ...(samples === undefined ? {} : { samples }),
            bound,
            ...judged,
            ...dry,
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
                ...dry,
            };
        }
        return { check: check.name, at, bound, outcome: 'error', message: (0,action_kit/* errorMessage */.gJ)(e), ...dry };
    }
}
/**
 * Is there enough evidence behind a look (pure)? Undefined when there is; else the look's
 * outcome: "not enough data yet" below `minSamples`, an error when the count is not a number.
 */
function judgeEvidence(samples, minSamples) {
    if (!Number.isFinite(samples) || samples < 0)
        return {
            outcome: 'error',
            message: `the samples query returned ${format(samples)}, not a count; the evidence is unknown, so the value is not judged`,
        };
    if (samples < minSamples)
        return {
            outcome: 'waiting',
            message: `not enough data yet: ${format(samples)} sample(s), ${minSamples} needed`,
        };
    return undefined;
}
/**
 * A plain check's look from its numbers alone (pure). A value or baseline that is not a finite
 * number (NaN, ±Infinity) is an error: it is never a pass, and never a fail either, since it says
 * the query could not be computed (0/0, x/0), not that the release is bad.
 */
function judgeValue(check, value, baseline) {
    if (!Number.isFinite(value))
        return {
            outcome: 'error',
            message: `the query returned ${format(value)}, not a finite number; never judged`,
        };
    if (baseline !== undefined && !Number.isFinite(baseline))
        return {
            outcome: 'error',
            message: `the baseline query returned ${format(baseline)}, not a finite number; never judged`,
        };
    const failures = [];
    if (check.max !== undefined && value > check.max)
        failures.push(`${format(value)} > max ${check.max}`);
    if (check.min !== undefined && value < check.min)
        failures.push(`${format(value)} < min ${check.min}`);
    if (baseline !== undefined && check.maxIncrease !== undefined) {
        const limit = baseline * check.maxIncrease;
        if (value > limit)
            failures.push(`${format(value)} > ${check.maxIncrease} × baseline ${format(baseline)} = ${format(limit)}`);
    }
    return failures.length > 0
        ? { outcome: 'fail', message: failures.join('; ') }
        : { outcome: 'pass' };
}
/**
 * Checks whose `max` (or `baseline`) a quiet canary could pass: a plain query with an upper bound
 * and no `samples` counting the evidence. A count or rate of errors is 0 without any request.
 */
function checksWithoutEvidence(checks) {
    return checks
        .filter((c) => !c.compare &&
        !c.dryRun &&
        c.samples === undefined &&
        (c.max !== undefined || c.baseline !== undefined))
        .map((c) => c.name);
}
async function runAnalysis(source, checks, settings, log, hooks = {}) {
    const now = hooks.now ?? Date.now;
    const wait = hooks.sleep ?? util/* sleep */.yy;
    const started = now();
    const history = new Map();
    const measurements = [];
    let counts = checks.map((c) => emptyCounts(c.name, c.dryRun));
    const unproven = checksWithoutEvidence(checks);
    if (unproven.length > 0)
        log.warning(`${unproven.join(', ')}: no 'samples' query counts the evidence, so a quiet canary is judged on whatever the query returns without traffic (a count or rate of errors is 0, a pass; a ratio is NaN, an error). Give 'samples' and 'min-samples' (e.g. the canary's requests in the window) to require evidence.`, { title: 'Gate check without evidence' });
    await wait(settings.initialDelay, hooks.signal);
    // Comparisons count from after initial-delay: the start counter is the last scrape before it,
    // so a delay of a scrape interval keeps traffic from before the step out of the window.
    const windowStart = settings.since ?? now();
    for (let round = 0;; round++) {
        if (round > 0)
            await wait(settings.interval, hooks.signal);
        if (hooks.signal?.aborted)
            return {
                verdict: 'inconclusive',
                reason: 'analysis stopped before it finished',
                measurements,
            };
        const results = await Promise.all(checks.map((check) => measure(source, check, settings, windowStart, history, now)));
        measurements.push(...results);
        counts = counts.map((c, i) => count(c, results[i].outcome, results[i].message));
        for (const [i, m] of results.entries()) {
            const done = counts[i].passed + counts[i].failed + counts[i].inconclusive + counts[i].errors;
            log.info(`  [${done}/${settings.count}] ${m.check}${m.dryRun ? ' (dry-run)' : ''}: ${m.value === undefined ? '—' : format(m.value)} (${m.bound}) ${m.outcome}${m.message ? `: ${m.message}` : ''}`);
        }
        hooks.onRound?.(results, round);
        // Out of time when the next round would start after max-wait.
        const timeUp = now() + settings.interval - started > settings.maxWait;
        const decided = assess(counts, settings, timeUp);
        if (decided)
            return { ...decided, measurements };
    }
}
/**
 * A comparison's look: exact counts of requests and errors in the window for both slots (counter
 * totals at both ends), then the one-sided test of "canary − stable ≤ margin".
 */
async function compareWithStable(source, check, settings, windowStart, at, now) {
    const compare = check.compare;
    const confidence = settings.confidence ?? DEFAULT_SETTINGS.confidence;
    const bound = boundText(check, undefined, confidence);
    // A counter with no series yet has counted nothing.
    const total = (query, time) => source.value(query, time).catch((e) => {
        if (e instanceof NoDataError)
            return 0;
        throw e;
    });
    const counts = async (side, slot) => {
        const [r0, e0, r1, e1] = await Promise.all([
            total(side.requests, windowStart),
            total(side.errors, windowStart),
            total(side.requests, now),
            total(side.errors, now),
        ]);
        const requests = Math.round(r1 - r0);
        const errors = Math.round(e1 - e0);
        if (!Number.isFinite(requests) || !Number.isFinite(errors))
            throw new MeasurementError(`a counter of the ${slot} is not a finite number (${format(r0)}, ${format(r1)} requests; ${format(e0)}, ${format(e1)} errors), so its counts cannot be trusted`);
        if (requests < 0 || errors < 0)
            throw new MeasurementError(`a counter of the ${slot} went down during the window (a restart?), so its counts cannot be trusted`);
        if (errors > requests)
            throw new MeasurementError(`the ${slot} counted ${errors} errors but only ${requests} requests: do 'errors' and 'requests' count the same thing?`);
        return { errors, requests };
    };
    const [canary, stable] = await Promise.all([
        counts(compare.canary, 'canary'),
        counts(compare.stable, 'stable'),
    ]);
    const window = (0,action_kit/* formatDuration */.a3)(Math.max(0, Math.round((now - windowStart) / 1000) * 1000));
    const looks = settings.count ?? DEFAULT_SETTINGS.count;
    return {
        check: check.name,
        at,
        bound,
        ...judgeErrorRateLook(check, { canary, stable, window }, confidence, looks),
    };
}
/**
 * One look of `compare: error-rate`, from exact counts (pure). Below `min-samples` canary
 * requests (default DEFAULT_MIN_SAMPLES) it is "not enough data yet": 0 of 0 requests is never a
 * pass. With no stable request in the window there is nothing to compare with: the look is judged
 * on `max` alone when there is one, else it waits.
 */
function judgeErrorRateLook(check, { canary, stable, window }, confidence, looks) {
    const compare = check.compare;
    const needed = check.minSamples ?? DEFAULT_MIN_SAMPLES['error-rate'];
    const rates = `canary ${percent(canary.errors, canary.requests)} (${canary.errors} of ${canary.requests} requests) vs stable ${percent(stable.errors, stable.requests)} (${stable.errors} of ${stable.requests}) in ${window}`;
    if (canary.requests < needed)
        return {
            samples: canary.requests,
            outcome: 'waiting',
            message: `not enough data yet: ${canary.requests} requests to the canary in ${window}; ${needed} needed`,
        };
    const canaryRate = canary.errors / canary.requests;
    if (stable.requests === 0) {
        if (check.max === undefined)
            return {
                value: canaryRate,
                samples: canary.requests,
                outcome: 'waiting',
                message: `not enough data yet: ${rates}: the stable slot had no request in the window, so there is nothing to compare the canary with (give 'max' to judge the canary's rate alone)`,
            };
        const over = canaryRate > check.max;
        return {
            value: canaryRate,
            samples: canary.requests,
            outcome: over ? 'fail' : 'pass',
            message: `${rates}: the stable slot had no request in the window, nothing to compare with; judged on max ${check.max} alone${over ? `; canary rate ${format(canaryRate)} > max ${check.max}` : ''}`,
        };
    }
    const alpha = alphaPerLook(confidence, looks);
    const j = judgeErrorRate({
        canaryErrors: canary.errors,
        canaryTotal: canary.requests,
        stableErrors: stable.errors,
        stableTotal: stable.requests,
    }, compare.margin, alpha);
    const failures = [];
    if (j.worse)
        failures.push(`worse than stable by more than ${points(compare.margin)}`);
    if (check.max !== undefined && j.canaryRate > check.max)
        failures.push(`canary rate ${format(j.canaryRate)} > max ${check.max}`);
    const verdictWords = j.worse
        ? 'significant'
        : j.pValue < alpha
            ? `significant, but within the margin of ${points(compare.margin)}`
            : 'not significant';
    const message = `${rates}: ${j.difference >= 0 ? '+' : '−'}${points(Math.abs(j.difference))}; ${j.test} p = ${formatP(j.pValue)} against ${formatP(alpha)} (${format(1 - confidence)} split over ${looks} look(s)): ${verdictWords}${failures.length > 0 ? `; ${failures.join('; ')}` : ''}`;
    return {
        value: j.canaryRate,
        baseline: j.stableRate,
        samples: canary.requests,
        outcome: failures.length > 0 ? 'fail' : 'pass',
        message,
        stats: { canary, stable, test: j.test, pValue: j.pValue, alpha, margin: compare.margin },
    };
}
/**
 * A latency comparison's look: one sample per slot (the check's query for each), then, once
 * `min-samples` looks (default 5) have both, Mann–Whitney U "canary slower" at this look's
 * significance, failing only when the canary's median is also more than max-ratio × stable's.
 */
async function compareLatency(source, check, settings, history, at) {
    const compare = check.compare;
    const confidence = settings.confidence ?? DEFAULT_SETTINGS.confidence;
    const bound = boundText(check, undefined, confidence);
    const needed = check.minSamples ?? DEFAULT_MIN_SAMPLES.latency;
    const samples = history.get(check.name) ?? { canary: [], stable: [] };
    history.set(check.name, samples);
    let canary;
    let stable;
    try {
        ;
        [canary, stable] = await Promise.all([
            source.value(compare.canary.query),
            source.value(compare.stable.query),
        ]);
    }
    catch (e) {
        // No request to a slot in this interval: no sample this look, not an error.
        if (!(e instanceof NoDataError || e instanceof NotANumberError))
            throw e;
        return {
            check: check.name,
            at,
            samples: samples.canary.length,
            bound,
            outcome: 'waiting',
            message: `not enough data yet: no latency sample from both slots this look (${e.message}); ${samples.canary.length} of ${needed} looks so far`,
        };
    }
    samples.canary.push(canary);
    samples.stable.push(stable);
    const n = samples.canary.length;
    if (n < needed)
        return {
            check: check.name,
            at,
            value: canary,
            baseline: stable,
            samples: n,
            bound,
            outcome: 'waiting',
            message: `not enough data yet: ${n} look(s) with latency from both slots; ${needed} needed`,
        };
    const looks = settings.count ?? DEFAULT_SETTINGS.count;
    const alpha = alphaPerLook(confidence, looks);
    const mw = mannWhitneyGreater(samples.canary, samples.stable);
    const [mc, ms] = [median(samples.canary), median(samples.stable)];
    const ratio = ms === 0 ? (mc === 0 ? 1 : Infinity) : mc / ms;
    const significant = mw.pValue < alpha;
    const worse = significant && ratio > compare.maxRatio;
    const overMax = check.max !== undefined && canary > check.max;
    const message = `canary median ${format(mc)} vs stable ${format(ms)} over ${n} look(s) each: × ${format(ratio)}, a canary sample is the slower in ${Math.round(100 * mw.probabilityGreater)}% of pairs; Mann–Whitney U = ${mw.u}, p = ${formatP(mw.pValue)} against ${formatP(alpha)} (${format(1 - confidence)} split over ${looks} look(s)): ${significant ? 'significant' : 'not significant'}${worse ? `; slower than stable by more than × ${compare.maxRatio}` : ''}${overMax ? `; canary ${format(canary)} > max ${check.max}` : ''}`;
    return {
        check: check.name,
        at,
        value: canary,
        baseline: stable,
        samples: n,
        bound,
        outcome: worse || overMax ? 'fail' : 'pass',
        message,
        stats: {
            canary: { median: mc, samples: n },
            stable: { median: ms, samples: n },
            test: 'Mann–Whitney U',
            pValue: mw.pValue,
            alpha,
            ratio,
            probabilityGreater: mw.probabilityGreater,
        },
    };
}
const percent = (part, whole) => whole === 0 ? '—' : `${Number(((100 * part) / whole).toPrecision(2))}%`;
const points = (rate) => `${Number((100 * rate).toPrecision(2))} point(s)`;
const formatP = (p) => p === 0 ? '0' : p < 1e-4 ? p.toExponential(1) : String(Number(p.toPrecision(2)));
function boundText(check, baseline, confidence) {
    const parts = [];
    const level = `${100 * (confidence ?? DEFAULT_SETTINGS.confidence)}% confidence`;
    if (check.compare?.kind === 'error-rate')
        parts.push(`canary − stable <= ${points(check.compare.margin)} at ${level}`);
    if (check.compare?.kind === 'latency')
        parts.push(`canary median <= ${check.compare.maxRatio} × stable's at ${level}`);
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

;// CONCATENATED MODULE: ./build/tsc/packages/gate/presets.js
/**
 * Router presets: checks built from the router's own metrics, so the basic triggers need no
 * hand-written PromQL. `haproxy` reads HAProxy's built-in Prometheus exporter (compiled into
 * Debian's 2.6; `http-request use-service prometheus-exporter if { path /metrics }`):
 *
 * - 5xx rate against stable, from the per-server response-code counters
 *   (`haproxy_server_http_responses_total{code="5xx"}`), judged statistically, plus an absolute
 *   bound of 5% on the canary's rate;
 * - average response time of the canary's servers
 *   (`haproxy_server_response_time_average_seconds`, HAProxy's average over the last 1024
 *   requests), bound 10 s, judged once the canary's servers answered at least 10 requests in the
 *   last 5 minutes (the average of a server that answered nothing is 0).
 *
 * HAProxy exports no latency histograms, so a Mann–Whitney comparison needs the app's own. nginx
 * OSS has no per-upstream metrics, hence no nginx preset.
 */


const PRESET_KEYS = ['type', 'backend', 'canary', 'stable', 'min-samples', 'margin'];
/** `preset: haproxy` or `preset: { type: haproxy, backend: web, canary: [...], stable: [...] }`. */
function parsePreset(value, label) {
    if (value === undefined || value === null || value === '')
        return undefined;
    const map = (typeof value === 'string' ? { type: value } : value);
    if (typeof map !== 'object' || Array.isArray(map))
        throw new action_kit/* ConfigurationError */.j1(`${label} must be haproxy or a mapping { type: haproxy, backend, canary, stable }, got ${(0,util/* describeValue */.bp)(value)}.`);
    const unknown = Object.keys(map).filter((k) => !PRESET_KEYS.includes(k));
    if (unknown.length > 0)
        throw new action_kit/* ConfigurationError */.j1(`${label} has unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')}; allowed: ${PRESET_KEYS.join(', ')}.`);
    if (map.type !== 'haproxy')
        throw new action_kit/* ConfigurationError */.j1(`${label}: type is ${(0,action_kit/* quote */.hD)(map.type)}; allowed: haproxy (nginx OSS exports no per-upstream metrics, so there is no nginx preset).`);
    const preset = { type: 'haproxy', minSamples: 100, margin: 0 };
    if (map.backend !== undefined) {
        if (typeof map.backend !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(map.backend.trim()))
            throw new action_kit/* ConfigurationError */.j1(`${label}: backend must be the HAProxy backend's name (letters, digits, - _ . :), got ${(0,util/* describeValue */.bp)(map.backend)}.`);
        preset.backend = map.backend.trim();
    }
    for (const slot of ['canary', 'stable']) {
        const v = map[slot];
        if (v === undefined)
            continue;
        const items = typeof v === 'string' ? [v] : v;
        if (!Array.isArray(items) ||
            items.length === 0 ||
            !items.every((s) => typeof s === 'string' && s.trim() !== ''))
            throw new action_kit/* ConfigurationError */.j1(`${label}: ${slot} must be a server name or a list of them, got ${(0,util/* describeValue */.bp)(v)}.`);
        preset[slot] = items.map((s) => s.trim());
    }
    if ((preset.canary === undefined) !== (preset.stable === undefined))
        throw new action_kit/* ConfigurationError */.j1(`${label}: canary and stable go together (each slot's servers).`);
    const minSamples = map['min-samples'];
    if (minSamples !== undefined) {
        const n = Number(minSamples);
        if (!Number.isInteger(n) || n < 1)
            throw new action_kit/* ConfigurationError */.j1(`${label}: min-samples is ${(0,action_kit/* quote */.hD)(minSamples)}; allowed: a whole number of 1 or more.`);
        preset.minSamples = n;
    }
    if (map.margin !== undefined) {
        const n = Number(map.margin);
        if (!(n >= 0 && n < 1))
            throw new action_kit/* ConfigurationError */.j1(`${label}: margin is ${(0,action_kit/* quote */.hD)(map.margin)}; allowed: a rate from 0 to below 1, e.g. 0.01.`);
        preset.margin = n;
    }
    return preset;
}
/** Canary responses in the last 5 minutes before HAProxy's average response time is judged. */
const RESPONSE_TIME_MIN_SAMPLES = 10;
/** The preset's checks, as the mappings a user would write (parsed like theirs). */
function presetChecks(preset) {
    const proxy = preset.backend ?? '{{backend}}';
    const responses = (extra) => `sum(haproxy_server_http_responses_total{proxy="${proxy}",server=~"{{servers}}"${extra}})`;
    return [
        {
            name: 'haproxy-5xx',
            compare: 'error-rate',
            requests: responses(''),
            errors: responses(',code="5xx"'),
            margin: preset.margin,
            'min-samples': preset.minSamples,
            max: 0.05,
        },
        {
            name: 'haproxy-response-time',
            query: `max(haproxy_server_response_time_average_seconds{proxy="${proxy}",server=~"{{canary-servers}}"})`,
            max: 10,
            // HAProxy's average is 0 on a server that answered nothing: judged only with evidence.
            samples: `sum(increase(haproxy_server_http_responses_total{proxy="${proxy}",server=~"{{canary-servers}}"}[5m]))`,
            'min-samples': RESPONSE_TIME_MIN_SAMPLES,
        },
    ];
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/config.js
/**
 * A gate's configuration, from separate inputs (metrics-gate) or one YAML mapping (canary-step's
 * `gate`). Both read the same fields through a getter, so they validate alike. A gate is parsed
 * and checked once (`parseGate`), then bound to the slots it judges (`Gate.bind`).
 */







const GATE_KEYS = [
    'prometheus',
    'prometheus-headers',
    'checks',
    'vars',
    'interval',
    'count',
    'failure-limit',
    'inconclusive-limit',
    'consecutive-error-limit',
    'no-data',
    'initial-delay',
    'max-wait',
    'confidence',
    'since',
    'preset',
    'prometheus-timeout',
];
/** The deadline of each exchange with Prometheus (connect, request, the whole answer). */
const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;
/** Placeholders the action fills in from the slots it judges (never from `vars`). */
const SLOT_PLACEHOLDERS = [
    'canary',
    'stable',
    'canary-servers',
    'stable-servers',
    'backend',
];
class Gate {
    prometheus;
    headers;
    checks;
    settings;
    vars;
    provided;
    timeoutMs;
    presetServers;
    constructor(prometheus, headers, checks, settings, vars, provided, timeoutMs = DEFAULT_PROMETHEUS_TIMEOUT_MS, 
    /** Servers named by the preset (metrics-gate): used when `bind` is given none. */
    presetServers) {
        this.prometheus = prometheus;
        this.headers = headers;
        this.checks = checks;
        this.settings = settings;
        this.vars = vars;
        this.provided = provided;
        this.timeoutMs = timeoutMs;
        this.presetServers = presetServers;
    }
    /** The slot placeholders the checks use: what `bind` needs. */
    get uses() {
        const used = placeholdersOf(this.checks);
        return this.provided.filter((p) => used.includes(p));
    }
    /** Values the action must mask before anything is logged. */
    get secrets() {
        return Object.values(this.headers);
    }
    /** The checks with every placeholder filled in. Throws if a used slot placeholder has no value. */
    bind(values = {}) {
        const servers = (names) => names && serverAlternation(names);
        const slotValue = {
            canary: () => values.canary,
            stable: () => values.stable,
            'canary-servers': () => servers(values.canaryServers ?? this.presetServers?.canary),
            'stable-servers': () => servers(values.stableServers ?? this.presetServers?.stable),
            backend: () => values.backend,
        };
        const filled = { ...this.vars };
        for (const name of this.uses) {
            const value = slotValue[name]();
            if (value === undefined)
                throw new Error(`the gate's queries use {{${name}}}, but no value was bound`);
            filled[name] = value;
        }
        return {
            source: new PrometheusSource(this.prometheus, { ...this.headers }, this.timeoutMs),
            checks: this.checks.map((c) => bindCheck(c, filled)),
            settings: this.settings,
        };
    }
}
/**
 * `get(key)` returns the raw value (a string from an input, anything from YAML); `name(key)` is
 * what errors call it ("count" for an input, "gate.count" for a field of canary-step's `gate`).
 */
function parseGate(get, name, options = {}) {
    const preset = parsePreset(get('preset'), `Input '${name('preset')}'`);
    const provided = [...(options.provided ?? [])];
    if (preset?.canary)
        for (const p of ['canary-servers', 'stable-servers'])
            if (!provided.includes(p))
                provided.push(p);
    if (preset && !provided.includes('canary-servers'))
        throw new action_kit/* ConfigurationError */.j1(`Input '${name('preset')}' needs each slot's servers: give them as { type: haproxy, backend: web, canary: [server, ...], stable: [server, ...] }.`);
    if (preset && preset.backend === undefined && !provided.includes('backend'))
        throw new action_kit/* ConfigurationError */.j1(`Input '${name('preset')}' needs the HAProxy backend: give it as { type: haproxy, backend: web, ... }.`);
    const label = (key) => `Input '${name(key)}'`;
    const text = (key) => {
        const v = get(key);
        if (v === undefined || v === null || v === '')
            return undefined;
        if (typeof v !== 'string' && typeof v !== 'number')
            throw new action_kit/* ConfigurationError */.j1(`${label(key)} must be a single value, got ${(0,util/* describeValue */.bp)(v)}.`);
        return String(v).trim();
    };
    const prometheus = text('prometheus');
    if (prometheus === undefined)
        throw new action_kit/* ConfigurationError */.j1(`${label('prometheus')} is required: the base URL of Prometheus, e.g. http://prometheus:9090.`);
    // Refuses user:pass@ without echoing it: credentials go in prometheus-headers, which are masked.
    const url = (0,util/* parseHttpUrl */.f$)(name('prometheus'), prometheus, {
        hint: 'e.g. http://prometheus:9090 (credentials go in prometheus-headers)',
    });
    const headers = parseHeaders(get('prometheus-headers'), label('prometheus-headers'));
    const vars = parseVars(get('vars'), label('vars'), provided);
    // The preset's checks come first and are parsed like the user's (who may add more).
    const userChecks = get('checks');
    const absent = userChecks === undefined || userChecks === null || userChecks === '';
    const checks = parseChecks(preset && (absent || Array.isArray(userChecks))
        ? [...presetChecks(preset), ...(absent ? [] : userChecks)]
        : userChecks, label('checks'), [...Object.keys(vars), ...provided]);
    const duration = (key, fallback, min) => {
        const v = text(key);
        if (v === undefined)
            return fallback;
        const ms = (0,action_kit/* parseDuration */.E9)(name(key), v);
        if (ms < min)
            throw new action_kit/* ConfigurationError */.j1(`${label(key)} has the value ${(0,action_kit/* quote */.hD)(v)}; allowed: at least ${(0,action_kit/* formatDuration */.a3)(min)}.`);
        return ms;
    };
    const integer = (key, fallback, min, max) => {
        const v = text(key);
        return v === undefined ? fallback : (0,action_kit/* parseInteger */.cG)(name(key), v, min, max);
    };
    const d = DEFAULT_SETTINGS;
    const interval = duration('interval', d.interval, 100);
    const stepMs = options.stepMs;
    const count = integer('count', stepMs === undefined ? d.count : Math.max(1, Math.floor(stepMs / interval)), 1, 1000);
    const initialDelay = duration('initial-delay', stepMs === undefined && !options.delayFirst ? d.initialDelay : interval, 0);
    // Enough time for `count` measurements, and at least the default when nothing needs waiting.
    const needed = initialDelay + interval * (count - 1);
    const maxWait = duration('max-wait', Math.max(d.maxWait, needed + interval), 0);
    if (maxWait < needed)
        throw new action_kit/* ConfigurationError */.j1(`${label('max-wait')} is ${(0,action_kit/* formatDuration */.a3)(maxWait)}, less than the ${(0,action_kit/* formatDuration */.a3)(needed)} that ${count} measurement(s) ${(0,action_kit/* formatDuration */.a3)(interval)} apart take (after initial-delay ${(0,action_kit/* formatDuration */.a3)(initialDelay)}); allowed: at least ${(0,action_kit/* formatDuration */.a3)(needed)}.`);
    const timeoutText = text('prometheus-timeout');
    const timeoutMs = timeoutText === undefined
        ? (options.timeoutMs ?? DEFAULT_PROMETHEUS_TIMEOUT_MS)
        : (0,action_kit/* parseDuration */.E9)(name('prometheus-timeout'), timeoutText);
    if (timeoutMs < 1000 || timeoutMs > 300_000)
        throw new action_kit/* ConfigurationError */.j1(`${label('prometheus-timeout')} has the value ${(0,action_kit/* quote */.hD)(timeoutText)}; allowed: from 1s to 5m (the deadline of each exchange with Prometheus).`);
    const noData = text('no-data');
    const settings = {
        interval,
        count,
        failureLimit: integer('failure-limit', d.failureLimit, 0, 1000),
        inconclusiveLimit: integer('inconclusive-limit', d.inconclusiveLimit, 0, 1000),
        consecutiveErrorLimit: integer('consecutive-error-limit', d.consecutiveErrorLimit, 0, 1000),
        noData: noData === undefined
            ? d.noData
            : (0,action_kit/* parseEnum */.nL)(name('no-data'), noData, ['fail', 'inconclusive']),
        initialDelay,
        maxWait,
        confidence: parseConfidence(text('confidence'), name('confidence')),
    };
    const since = text('since');
    if (since !== undefined)
        settings.since = parseSince(since, name('since'));
    const base = url.href.replace(/\/+$/, '');
    return new Gate(base, headers, checks, settings, vars, provided, timeoutMs, preset?.canary && preset.stable ? { canary: preset.canary, stable: preset.stable } : undefined);
}
/**
 * canary-step's `gate` input (and blue-green-switch's `bake`, named by `input`): one YAML mapping
 * with the keys of GATE_KEYS, named `<input>.<key>` in errors. Undefined when none was given.
 */
function readGateInput(value, options = {}, input = 'gate') {
    if (value === undefined || value === null || value === '')
        return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' must be a YAML mapping (prometheus, checks, ...), got ${(0,util/* describeValue */.bp)(value)}.`);
    const map = value;
    const unknown = Object.keys(map).filter((k) => !GATE_KEYS.includes(k));
    if (unknown.length > 0)
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')}; allowed: ${GATE_KEYS.join(', ')}.`);
    return parseGate((key) => map[key], (key) => `${input}.${key}`, options);
}
/**
 * metrics-gate's `servers` input: `{ canary: [names], stable: [names] }` (a single name may be a
 * string). It provides {{canary-servers}} and {{stable-servers}}.
 */
function parseServerLists(value, label) {
    if (value === undefined || value === null || value === '')
        return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
        throw new action_kit/* ConfigurationError */.j1(`${label} must be a YAML mapping { canary: [server, ...], stable: [server, ...] }, got ${(0,util/* describeValue */.bp)(value)}.`);
    const map = value;
    const unknown = Object.keys(map).filter((k) => k !== 'canary' && k !== 'stable');
    if (unknown.length > 0)
        throw new action_kit/* ConfigurationError */.j1(`${label} has unknown key ${unknown.map(action_kit/* quote */.hD).join(', ')}; allowed: canary, stable.`);
    const list = (key) => {
        const v = map[key];
        const items = typeof v === 'string' ? [v] : v;
        if (!Array.isArray(items) ||
            items.length === 0 ||
            !items.every((s) => typeof s === 'string' && s.trim() !== ''))
            throw new action_kit/* ConfigurationError */.j1(`${label}: '${key}' must be a server name or a list of them, got ${(0,util/* describeValue */.bp)(v)}.`);
        return items.map((s) => s.trim());
    };
    return { canary: list('canary'), stable: list('stable') };
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
            throw new action_kit/* ConfigurationError */.j1(`${label}: ${(0,action_kit/* quote */.hD)(name.slice(0, 40))} is not an HTTP header name.`);
        // Never quote a header's value: it is usually a credential.
        if (typeof v !== 'string' && typeof v !== 'number')
            throw new action_kit/* ConfigurationError */.j1(`${label}: the value of ${name} must be a string.`);
        // eslint-disable-next-line no-control-regex -- control characters are what this looks for
        if (/[\u0000-\u001f\u007f]/.test(String(v)))
            throw new action_kit/* ConfigurationError */.j1(`${label}: the value of ${name} contains a line break or control character (value not shown).`);
        out[name] = String(v);
    }
    return out;
}
function parseConfidence(value, input) {
    if (value === undefined)
        return DEFAULT_SETTINGS.confidence;
    const n = /^0?\.\d+$/.test(value) ? Number(value) : NaN;
    if (!(n >= 0.5 && n < 1))
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${(0,action_kit/* quote */.hD)(value)}; allowed: a number from 0.5 to below 1, e.g. 0.99 (1 false alarm in 100 gates on identical slots).`);
    return n;
}
/** `since`: an ISO 8601 time in the past (e.g. a previous step's output), where counting starts. */
function parseSince(value, input) {
    const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(value)
        ? Date.parse(value)
        : NaN;
    if (!Number.isFinite(ms) || ms > Date.now() + 60_000)
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${(0,action_kit/* quote */.hD)(value.slice(0, 60))}; allowed: a time in the past in ISO 8601 with a zone, e.g. 2026-11-25T21:30:00Z.`);
    return ms;
}

;// CONCATENATED MODULE: ./build/tsc/packages/gate/report.js
/** Job summary pieces for gate results: a table per round and mermaid charts. */


const ICON = {
    pass: '✅ pass',
    fail: '❌ fail',
    inconclusive: '❔ inconclusive',
    error: '⚠️ error',
    waiting: '⏳ not enough data yet',
};
/** What follows the outcome: why it failed, what is missing, or (comparisons) the numbers in words. */
function outcomeDetail(m) {
    if (!m.message)
        return '';
    if (m.outcome === 'waiting')
        return `: ${m.message.replace(/^not enough data yet: /, '')}`;
    // A comparison says its counts, rates, test and p-value even when it passes.
    if (m.outcome === 'pass' && !m.stats)
        return '';
    return `: ${m.message}`;
}
function measurementTable(measurements) {
    return action_kit/* markdown.table */.wD.table(['time', 'check', 'value', 'bound', 'outcome'], measurements.map((m) => [
        m.at.slice(11, 19),
        m.check,
        m.value === undefined ? '—' : format(m.value),
        m.bound,
        `${ICON[m.outcome] ?? m.outcome}${m.dryRun ? ' (dry-run, not deciding)' : ''}${outcomeDetail(m)}`,
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
