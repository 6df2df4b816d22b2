export const id = 715;
export const ids = [715];
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

/***/ 2715:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  jq: () => (/* reexport */ build),
  JZ: () => (/* reexport */ buildOutputs),
  FK: () => (/* reexport */ buildReport),
  bf: () => (/* reexport */ parseRegistryAuth),
  VC: () => (/* reexport */ push),
  rS: () => (/* reexport */ pushReport),
  IK: () => (/* reexport */ readBuildSettings),
  sT: () => (/* reexport */ readPushSettings),
  vP: () => (/* reexport */ removeAuthFile)
});

// UNUSED EXPORTS: BUILDX_DOWNLOAD_TIMEOUT_MS, BUILDX_PINNED, BUILDX_TOOL, archiveDigest, buildImage, buildahBuildArgs, buildahPushArgs, buildxArch, buildxBuildArgs, buildxEnv, buildxReleaseUrl, checkContext, chooseEngine, commitTime, defaultTags, ensureBuildx, formatRef, installedBuildx, loginFiles, manifestDigest, mergeLogins, ociLabels, parseBuildxVersion, parseImageName, parseImageTags, parseKeyValues, parseLogins, parsePlatforms, parseReference, parseSecrets, pushImage, readLogins, registryKey, sanitizeTag, secretFlags, sha256File, skopeoCopyArgs, skopeoInspectRawArgs, transportFor, versionAtLeast, writeAuthFile

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
;// CONCATENATED MODULE: ./build/tsc/packages/image/refs.js
/** Image names, references and tags: parsed and checked before any tool runs. */

// Per the distribution spec: lower-case path components, an optional registry host[:port].
const NAME = /^(?:(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** An image name without tag or digest, e.g. ghcr.io/acme/orders. */
function parseImageName(input, value) {
    const v = value.trim();
    if (/[@]/.test(v) || /:[^/]*$/.test(v.replace(/^[^/]*:\d+\//, ''))) {
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${(0,action_kit/* quote */.hD)(value)}; allowed: an image name without tag or digest, e.g. ghcr.io/acme/orders (tags go in 'tags').`);
    }
    if (!NAME.test(v)) {
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${(0,action_kit/* quote */.hD)(value)}; allowed: an image name in lower case (letters, digits, . _ - and /), e.g. ghcr.io/acme/orders.`);
    }
    return v;
}
/** A full reference with a tag or a digest: registry/repo:tag or registry/repo@sha256:... */
function parseReference(input, value, options = {}) {
    const v = value.trim();
    const at = v.indexOf('@');
    let name = v;
    let tag;
    let digest;
    if (at >= 0) {
        name = v.slice(0, at);
        digest = v.slice(at + 1);
    }
    else {
        const colon = v.lastIndexOf(':');
        if (colon > v.lastIndexOf('/')) {
            name = v.slice(0, colon);
            tag = v.slice(colon + 1);
        }
    }
    const problem = !NAME.test(name)
        ? 'the name must be lower case (letters, digits, . _ - and /)'
        : digest !== undefined && !DIGEST.test(digest)
            ? 'the digest must be sha256: and 64 hex digits'
            : tag !== undefined && !TAG.test(tag)
                ? 'the tag may hold letters, digits, _ . - (at most 128)'
                : tag === undefined && digest === undefined
                    ? 'it needs a :tag or an @sha256: digest'
                    : options.requireDigest && digest === undefined
                        ? 'it needs an @sha256: digest'
                        : undefined;
    if (problem) {
        throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the value ${(0,action_kit/* quote */.hD)(value)}: ${problem}; e.g. ghcr.io/acme/orders:1.2.3 or ghcr.io/acme/orders@sha256:...`);
    }
    const first = name.split('/')[0];
    const registry = name.includes('/') && /[.:]|^localhost$/.test(first) ? first : 'docker.io';
    return { name, registry, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
/** One repository however it is spelled: docker.io/library/nginx = library/nginx = nginx. */
function canonicalName(name) {
    const short = name.replace(/^(?:index\.)?docker\.io\//, '');
    return short.includes('/') ? short.replace(/^library\//, '') : short;
}
/**
 * The `tags` input: bare tags (`1.2.3`) and full references (`ghcr.io/acme/app:1.2.3`, as
 * docker/metadata-action outputs), one per line or comma-separated, any tag the distribution
 * spec allows (upper case included). A full reference must name `image` itself: the archive
 * holds one repository, and other registries are push-registry's `destinations`.
 */
function parseImageTags(input, text, image) {
    const tags = [];
    for (const item of text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean)) {
        let tag = item;
        if (/[/:@]/.test(item)) {
            const at = item.indexOf('@');
            const colon = item.lastIndexOf(':');
            if (at >= 0 || colon <= item.lastIndexOf('/'))
                throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has ${(0,action_kit/* quote */.hD)(item)}, which has ${at >= 0 ? 'a digest' : 'no tag'}; allowed: a tag (e.g. 1.2.3) or ${image}:<tag>.`);
            const name = item.slice(0, colon);
            tag = item.slice(colon + 1);
            if (canonicalName(name) !== canonicalName(image))
                throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has ${(0,action_kit/* quote */.hD)(item)}, which names the repository ${(0,action_kit/* quote */.hD)(name)}, not the 'image' ${(0,action_kit/* quote */.hD)(image)}; allowed: a tag or ${image}:<tag>. Push to other repositories with push-registry's destinations.`);
        }
        if (!TAG.test(tag))
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has ${(0,action_kit/* quote */.hD)(item)}; a tag may hold letters (either case), digits, _ . - (at most 128), not starting with . or -.`);
        if (!tags.includes(tag))
            tags.push(tag);
    }
    return { tags, references: tags.map((t) => `${image}:${t}`) };
}
function formatRef(ref) {
    return `${ref.name}${ref.digest ? `@${ref.digest}` : `:${ref.tag}`}`;
}
/** Tags from the git context: sha-<7>, the branch, and the version when the ref is a semver tag. */
function defaultTags(env) {
    const tags = [`sha-${env.sha.slice(0, 7)}`];
    const branch = /^refs\/heads\/(.+)$/.exec(env.ref)?.[1];
    if (branch)
        tags.push(sanitizeTag(branch));
    const tag = /^refs\/tags\/(.+)$/.exec(env.ref)?.[1];
    if (tag) {
        const semver = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(tag);
        tags.push(semver ? semver[1] : sanitizeTag(tag));
    }
    return [...new Set(tags)];
}
function sanitizeTag(value) {
    return value
        .toLowerCase()
        .replace(/\//g, '-')
        .replace(/[^\w.-]/g, '-')
        .replace(/^[.-]+/, '')
        .slice(0, 128);
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/secrets.js
/**
 * Build secrets, as docker and buildah take them (`--secret id=NAME,env=VAR` or
 * `id=NAME,src=path`): mounted for a RUN step only, never in the image, argv or log. Only
 * names and paths ever reach argv; values stay in the environment or the file.
 */

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALLOWED = 'id=NAME,env=VARIABLE or id=NAME,src=PATH, one per line';
/** The `secrets` input; no value is read here (see the action, which reads and masks them). */
function parseSecrets(input, text) {
    const specs = [];
    for (const line of text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)) {
        const fields = new Map();
        for (const part of line.split(',').map((p) => p.trim())) {
            const eq = part.indexOf('=');
            const key = eq > 0 ? part.slice(0, eq) : '';
            if (!['id', 'env', 'src'].includes(key) || fields.has(key))
                throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the line ${(0,action_kit/* quote */.hD)(line)}: ${key ? `${fields.has(key) ? 'repeated' : 'unknown'} key ${(0,action_kit/* quote */.hD)(key)}` : `${(0,action_kit/* quote */.hD)(part)} is not key=value`}; allowed: ${ALLOWED}.`);
            fields.set(key, part.slice(eq + 1).trim());
        }
        const id = fields.get('id');
        const env = fields.get('env');
        const src = fields.get('src');
        const problem = id === undefined
            ? 'it has no id'
            : !ID.test(id)
                ? `the id ${(0,action_kit/* quote */.hD)(id)} may hold letters, digits, _ . - (at most 128)`
                : (env === undefined) === (src === undefined)
                    ? 'it needs exactly one of env= and src='
                    : env !== undefined && !ENV_NAME.test(env)
                        ? `${(0,action_kit/* quote */.hD)(env)} is not an environment variable name`
                        : src === ''
                            ? 'src= is empty'
                            : specs.some((s) => s.id === id)
                                ? `the id ${(0,action_kit/* quote */.hD)(id)} is given twice`
                                : undefined;
        if (problem)
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the line ${(0,action_kit/* quote */.hD)(line)}: ${problem}; allowed: ${ALLOWED}.`);
        specs.push({ id: id, ...(env !== undefined ? { env } : { src: src }) });
    }
    return specs;
}
/** `--secret` flags: names and paths only. */
function secretFlags(secrets) {
    return secrets.flatMap((s) => [
        '--secret',
        s.env !== undefined ? `id=${s.id},env=${s.env}` : `id=${s.id},src=${s.src}`,
    ]);
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/argv.js
/** Command lines for buildx, buildah and skopeo, as argv arrays. Pure: tested as tables. */

const pairs = (flag, map) => Object.entries(map).flatMap(([k, v]) => [flag, `${k}=${v}`]);
/** The flags buildah and buildx share: what to build and how to name it. */
function definitionFlags(spec) {
    return [
        '--file',
        spec.file,
        ...spec.tags.flatMap((t) => ['--tag', t]),
        ...pairs('--build-arg', spec.buildArgs),
        ...pairs('--label', spec.labels),
        ...(spec.target ? ['--target', spec.target] : []),
        ...(spec.platforms.length > 0 ? ['--platform', spec.platforms.join(',')] : []),
        ...secretFlags(spec.secrets ?? []),
    ];
}
function buildahBuildArgs(spec) {
    return [
        'buildah',
        'build',
        '--isolation',
        'chroot',
        ...definitionFlags(spec),
        ...(spec.timestamp !== undefined ? ['--timestamp', String(spec.timestamp)] : []),
        spec.context,
    ];
}
function buildahPushArgs(image, archive, digestFile) {
    return ['buildah', 'push', '--digestfile', digestFile, image, `oci-archive:${archive}:${image}`];
}
function buildxBuildArgs(spec, archive, metadataFile) {
    return [
        'docker',
        'buildx',
        'build',
        ...definitionFlags(spec),
        ...(spec.cache === 'gha'
            ? ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max']
            : []),
        '--output',
        `type=oci,dest=${archive}${spec.timestamp !== undefined ? ',rewrite-timestamp=true' : ''}`,
        '--metadata-file',
        metadataFile,
        spec.context,
    ];
}
/** Environment for a reproducible buildx build (BuildKit reads SOURCE_DATE_EPOCH). */
function buildxEnv(spec) {
    return spec.timestamp !== undefined ? { SOURCE_DATE_EPOCH: String(spec.timestamp) } : {};
}
function skopeoCopyArgs(source, destination, from, to, digestFile) {
    return [
        'skopeo',
        'copy',
        '--preserve-digests',
        '--digestfile',
        digestFile,
        ...(from.authFile ? ['--src-authfile', from.authFile] : []),
        ...(to.authFile ? ['--dest-authfile', to.authFile] : []),
        ...(source.startsWith('docker://') && !from.tlsVerify ? ['--src-tls-verify=false'] : []),
        ...(!to.tlsVerify ? ['--dest-tls-verify=false'] : []),
        ...(from.certDir && source.startsWith('docker://') ? ['--src-cert-dir', from.certDir] : []),
        ...(to.certDir ? ['--dest-cert-dir', to.certDir] : []),
        source,
        destination,
    ];
}
function skopeoInspectRawArgs(reference, transport) {
    return [
        'skopeo',
        'inspect',
        '--raw',
        ...(transport.authFile ? ['--authfile', transport.authFile] : []),
        ...(!transport.tlsVerify ? ['--tls-verify=false'] : []),
        ...(transport.certDir ? ['--cert-dir', transport.certDir] : []),
        reference,
    ];
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./build/tsc/packages/exec/index.js + 1 modules
var exec = __webpack_require__(179);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./build/tsc/packages/image/buildx.js
/**
 * docker buildx for `engine: docker`: the runner's plugin when it is at least the pinned version,
 * else the pinned release from the tool cache (RUNNER_TOOL_CACHE; later steps and jobs on the
 * same runner find it there) or downloaded once, its sha256 checked before anything is
 * installed, then placed in the docker CLI plugins directory.
 */






/**
 * The pinned release. Checksums of the release assets buildx-v0.36.1.linux-{amd64,arm64}, as
 * docker-library/docker pins them (29/cli/Dockerfile at 3289af88086d67e6f0bfebfa0617541a0f574d96).
 */
const BUILDX_PINNED = {
    version: '0.36.1',
    sha256: {
        amd64: '48af8a397ebd60178778bf63611dbcebe5f5e7a9be90eb9147b24b9587455778',
        arm64: '5d0cafd9d16afe1a0f0d9529885344ace2cc99efdd531b6c783c5455a6001569',
    },
};
/** The tool-cache name; the cached file is the plugin binary itself. */
const BUILDX_TOOL = 'docker-buildx';
/** `docker buildx version` starts a plugin and prints one line. */
const VERSION_TIMEOUT_MS = 30_000;
/** Downloading the ~60 MB binary; @actions/tool-cache has no timeout of its own. */
const BUILDX_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
function buildxReleaseUrl(version, arch) {
    return `https://github.com/docker/buildx/releases/download/v${version}/buildx-v${version}.linux-${arch}`;
}
/** Node's process.arch as buildx names its assets (undefined: no asset pinned here). */
function buildxArch(nodeArch) {
    return { x64: 'amd64', arm64: 'arm64' }[nodeArch];
}
/** `github.com/docker/buildx v0.17.1 257815a` -> 0.17.1 */
function parseBuildxVersion(output) {
    return /\bv?(\d+\.\d+\.\d+)\b/.exec(output)?.[1];
}
/** Whether version `a` is at least `b` (plain x.y.z). */
function versionAtLeast(a, b) {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < 3; i++) {
        if ((pa[i] ?? 0) !== (pb[i] ?? 0))
            return (pa[i] ?? 0) > (pb[i] ?? 0);
    }
    return true;
}
/** The version `docker buildx version` reports, or undefined when docker has no buildx plugin. */
async function installedBuildx() {
    const result = await (0,exec/* execute */.g7)(['docker', 'buildx', 'version'], { timeoutMs: VERSION_TIMEOUT_MS });
    if (result.notFound)
        throw new action_kit/* ConfigurationError */.j1(`Input 'engine' is docker, but the docker CLI is not installed on this runner; use engine: buildah or install docker.`);
    if (result.timedOut)
        throw new Error((0,exec/* failure */.V2)(result, VERSION_TIMEOUT_MS).message);
    return result.code === 0 ? parseBuildxVersion(result.stdout) : undefined;
}
/** Makes sure `docker buildx` is at least `settings.version`; installs the pinned one if not. */
async function ensureBuildx(settings) {
    const { log, version } = settings;
    const current = await installedBuildx();
    if (current && versionAtLeast(current, version)) {
        log.info(`docker buildx v${current} is on the runner (at least v${version})`);
        return { version: current, source: 'runner' };
    }
    log.info(current
        ? `docker buildx v${current} is older than v${version}: installing v${version}`
        : `docker has no buildx plugin: installing v${version}`);
    if (!settings.sha256)
        throw new action_kit/* ConfigurationError */.j1(`No docker buildx is pinned for linux/${settings.arch} (only ${Object.keys(BUILDX_PINNED.sha256).join(', ')}); give 'buildx-url' and 'buildx-sha256' for a v${version} binary, or use engine: buildah.`);
    const pinned = { ...settings, sha256: settings.sha256 };
    const tc = settings.toolCache ?? (await __webpack_require__.e(/* import() */ 756).then(__webpack_require__.bind(__webpack_require__, 756)));
    let source = 'cache';
    let binary = cachedBinary(tc, pinned);
    if (binary && (await sha256File(binary)) !== pinned.sha256) {
        log.warning(`the tool cache's docker buildx v${version} (${binary}) does not have the expected sha256; downloading it again`);
        binary = undefined;
    }
    if (!binary) {
        source = 'download';
        binary = await download(tc, pinned);
    }
    else
        log.info(`docker buildx v${version} found in the tool cache: ${binary}`);
    const plugin = (0,external_node_path_.join)(settings.pluginsDir, 'docker-buildx');
    await (0,promises_.mkdir)(settings.pluginsDir, { recursive: true });
    // Copied beside the target, then renamed: docker never sees a half-written plugin.
    const partial = `${plugin}.cutover-${process.pid}`;
    await (0,promises_.copyFile)(binary, partial);
    await (0,promises_.chmod)(partial, 0o755);
    await (0,promises_.rename)(partial, plugin);
    const now = await installedBuildx();
    if (now !== version)
        throw new action_kit/* DeploymentFailed */.Nr(`docker buildx v${version} was installed as ${plugin}, but \`docker buildx version\` reports ${now ? `v${now}` : 'no buildx'}: docker does not read that plugins directory (is DOCKER_CONFIG set for this step and the build alike?)`);
    log.info(`docker buildx v${version} installed in ${plugin} (sha256 ${settings.sha256})`);
    return { version, source, path: plugin };
}
function cachedBinary(tc, settings) {
    const dir = tc.find(BUILDX_TOOL, settings.version, settings.arch);
    return dir ? (0,external_node_path_.join)(dir, BUILDX_TOOL) : undefined;
}
/** Downloads, checks the sha256, and only then puts the binary in the tool cache. */
async function download(tc, settings) {
    const timeoutMs = settings.downloadTimeoutMs ?? BUILDX_DOWNLOAD_TIMEOUT_MS;
    settings.log.info(`downloading docker buildx v${settings.version} from ${settings.url}`);
    let timer;
    let file;
    try {
        file = await Promise.race([
            tc.downloadTool(settings.url),
            new Promise((_, reject) => {
                timer = setTimeout(() => reject(new Error(`no complete download within ${timeoutMs / 1000} s`)), timeoutMs);
            }),
        ]);
    }
    catch (e) {
        throw new action_kit/* DeploymentFailed */.Nr(`cannot download docker buildx v${settings.version} from ${settings.url}: ${(0,action_kit/* errorMessage */.gJ)(e)}`);
    }
    finally {
        clearTimeout(timer);
    }
    try {
        const actual = await sha256File(file);
        if (actual !== settings.sha256)
            throw new action_kit/* DeploymentFailed */.Nr(`docker buildx from ${settings.url} has sha256 ${actual}, not the expected ${settings.sha256}: nothing was installed`);
        // Every CLI plugin answers this without docker: check the version before caching anything.
        await (0,promises_.chmod)(file, 0o755);
        const served = await pluginVersion(file);
        if (served !== settings.version)
            throw new action_kit/* DeploymentFailed */.Nr(`docker buildx from ${settings.url} is ${served ? `v${served}` : 'not a docker CLI plugin'}, not v${settings.version}: nothing was installed`);
        const dir = await tc.cacheFile(file, BUILDX_TOOL, BUILDX_TOOL, settings.version, settings.arch);
        return (0,external_node_path_.join)(dir, BUILDX_TOOL);
    }
    finally {
        await (0,promises_.rm)(file, { force: true });
    }
}
/** The version a plugin binary declares (`docker-cli-plugin-metadata`), if it runs at all. */
async function pluginVersion(binary) {
    const result = await (0,exec/* execute */.g7)([binary, 'docker-cli-plugin-metadata'], {
        timeoutMs: VERSION_TIMEOUT_MS,
    });
    try {
        const version = JSON.parse(result.stdout).Version;
        return typeof version === 'string' ? parseBuildxVersion(version) : undefined;
    }
    catch {
        return undefined;
    }
}
function sha256File(path) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(path)
            .on('data', (chunk) => hash.update(chunk))
            .on('error', reject)
            .on('end', () => resolve(hash.digest('hex')));
    });
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/metadata.js
/** What an image is called and labelled: build args, labels and platforms from text inputs, and git. */


/** Reading the commit time is local and instant; 30 s covers a cold disk. */
const GIT_TIMEOUT_MS = 30_000;
/** `KEY=VALUE` lines. */
function parseKeyValues(input, text) {
    const out = {};
    for (const line of text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)) {
        const eq = line.indexOf('=');
        if (eq <= 0)
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has the line ${(0,action_kit/* quote */.hD)(line)}; allowed: KEY=VALUE, one per line.`);
        out[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return out;
}
function parsePlatforms(input, text) {
    const platforms = text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    for (const p of platforms) {
        if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p)) {
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has ${(0,action_kit/* quote */.hD)(p)}; allowed: os/arch[/variant], e.g. linux/amd64.`);
        }
    }
    return platforms;
}
/** The OCI labels derived from the repo; `version` is the first semver tag, else the first tag. */
function ociLabels(context) {
    const version = context.tags.find((t) => /^\d+\.\d+\.\d+/.test(t)) ?? context.tags[0] ?? '';
    return {
        'org.opencontainers.image.source': `${context.serverUrl}/${context.repository}`,
        'org.opencontainers.image.revision': context.sha,
        'org.opencontainers.image.created': new Date(context.createdSeconds * 1000).toISOString(),
        'org.opencontainers.image.version': version,
    };
}
/** The commit time of HEAD in `dir`, or 0 outside git: the same source gives the same digest. */
async function commitTime(dir) {
    const result = await (0,exec/* execute */.g7)(['git', '-C', dir, 'log', '-1', '--format=%ct'], {
        timeoutMs: GIT_TIMEOUT_MS,
    });
    return result.code === 0 ? Number(result.stdout.trim()) || 0 : 0;
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/build.js
/** Building an image into an OCI archive with buildah or docker buildx. */








/** Whether a Docker daemon answers: it does at once or not at all. */
const DOCKER_INFO_TIMEOUT_MS = 10_000;
/** Writing the built image into the archive: a local copy of the layers. */
const ARCHIVE_TIMEOUT_MS = 10 * 60_000;
/** `auto`: docker buildx when a Docker daemon answers, else buildah. */
async function chooseEngine(choice, log) {
    if (choice !== 'auto')
        return choice;
    const docker = await (0,exec/* execute */.g7)(['docker', 'info', '--format', '{{.ServerVersion}}'], {
        timeoutMs: DOCKER_INFO_TIMEOUT_MS,
    });
    if (docker.code === 0)
        return 'docker';
    log.info('engine: no Docker daemon answers, so buildah builds this image');
    return 'buildah';
}
function checkContext(context, file) {
    if (!(0,external_node_fs_.existsSync)(context) || !(0,external_node_fs_.statSync)(context).isDirectory()) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'context' is ${JSON.stringify(context)}, which is not a directory.`);
    }
    if (!(0,external_node_fs_.existsSync)(file) || !(0,external_node_fs_.statSync)(file).isFile()) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'file' is ${JSON.stringify(file)}, which does not exist: give the Dockerfile's path (default: <context>/Dockerfile).`);
    }
}
async function buildImage(engine, spec, archive, options) {
    const { log, timeoutMs } = options;
    const digestFile = `${archive}.digest`;
    const env = options.secretEnv ?? {};
    if (engine === 'buildah') {
        const built = await (0,exec/* execute */.g7)(buildahBuildArgs(spec), { log, timeoutMs, env });
        if (built.code !== 0 || built.timedOut)
            throw new action_kit/* DeploymentFailed */.Nr(`buildah build failed: ${built.notFound
                ? 'buildah is not installed on this runner'
                : (0,exec/* failure */.V2)(built, timeoutMs).message}`);
        try {
            await (0,exec/* run */.eF)(buildahPushArgs(spec.tags[0], archive, digestFile), {
                log,
                timeoutMs: ARCHIVE_TIMEOUT_MS,
            });
        }
        catch (e) {
            if (!(e instanceof exec/* CommandFailed */.nk))
                throw e;
            throw new Error(`buildah could not write the OCI archive ${archive}: ${e.message}`);
        }
    }
    else {
        if (spec.platforms.length > 1)
            log.info('buildx: several platforms go into one OCI archive (an image index)');
        const metadata = `${archive}.metadata.json`;
        const built = await (0,exec/* execute */.g7)(buildxBuildArgs(spec, archive, metadata), {
            log,
            timeoutMs,
            env: { ...env, ...buildxEnv(spec) },
        });
        if (built.code !== 0 || built.timedOut)
            throw new action_kit/* DeploymentFailed */.Nr(`docker buildx build failed: ${(0,exec/* failure */.V2)(built, timeoutMs).message}`);
        const digest = JSON.parse((0,external_node_fs_.readFileSync)(metadata, 'utf8'))['containerimage.digest'];
        if (digest)
            await (0,promises_.writeFile)(digestFile, digest);
    }
    const digest = (0,external_node_fs_.readFileSync)(digestFile, 'utf8').trim();
    if (!/^sha256:[a-f0-9]{64}$/.test(digest))
        throw new Error(`the build wrote no digest (got ${JSON.stringify(digest)})`);
    return { engine, digest, archive, tags: spec.tags, labels: spec.labels };
}
/**
 * build-image: checks the context and the secrets (masked before anything runs), picks the
 * engine, installs buildx when docker builds and the runner's is missing or old, then builds.
 */
async function build(settings, io) {
    const { image, context, cache, tags } = settings;
    checkContext(context, settings.file);
    const { secrets, secretEnv } = readSecrets(settings.secrets, io);
    const engine = await chooseEngine(settings.engine, io.log);
    if (cache === 'gha' && engine === 'buildah') {
        throw new action_kit/* ConfigurationError */.j1(`Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`);
    }
    if (engine === 'docker')
        await io.group('docker buildx', () => ensureBuildx({ ...settings.buildx, log: io.log }));
    const timestamp = settings.reproducible ? await commitTime(context) : undefined;
    const labels = {
        ...ociLabels({
            ...settings.origin,
            createdSeconds: timestamp ?? Math.floor(Date.now() / 1000),
            tags,
        }),
        ...settings.labels,
    };
    const archive = (0,external_node_path_.join)(settings.tempDir, `cutover-image-${process.pid}-${Date.now()}.tar`);
    const result = await io.group(`Build ${image} with ${engine}`, () => buildImage(engine, {
        context,
        file: settings.file,
        tags: tags.map((t) => `${image}:${t}`),
        buildArgs: settings.buildArgs,
        labels,
        ...(settings.target ? { target: settings.target } : {}),
        platforms: settings.platforms,
        ...(timestamp !== undefined ? { timestamp } : {}),
        cache,
        secrets,
    }, archive, { log: io.log, timeoutMs: settings.timeoutMs, secretEnv }));
    return { ...result, image };
}
/** build-image's outputs. */
function buildOutputs(built) {
    return {
        digest: built.digest,
        archive: built.archive,
        tags: built.tags.join('\n'),
        metadata: JSON.stringify({
            image: built.image,
            engine: built.engine,
            digest: built.digest,
            archive: built.archive,
            tags: built.tags,
            labels: built.labels,
        }),
    };
}
/**
 * Each build secret's value, masked before anything runs; checked here so a missing variable or
 * file fails before the build. Errors name the variable or path, never a value or file content.
 */
function readSecrets(given, io) {
    const secretEnv = {};
    const secrets = given.map((secret) => {
        if ('env' in secret) {
            const { id, env, value } = secret;
            if (!value)
                throw new action_kit/* ConfigurationError */.j1(`Input 'secrets': id=${id} reads the environment variable ${env}, which is ${value === undefined ? 'not set' : 'empty'}; set it in the step's env (e.g. ${env}: \${{ secrets.${env} }}).`);
            io.secret(value, `'secrets' id=${id}`);
            secretEnv[env] = value;
            return { id, env };
        }
        let content;
        try {
            if (!(0,external_node_fs_.statSync)(secret.path).isFile())
                throw Object.assign(new Error(), { code: 'not a file' });
            content = (0,external_node_fs_.readFileSync)(secret.path, 'utf8');
        }
        catch (e) {
            throw new action_kit/* ConfigurationError */.j1(`Input 'secrets': id=${secret.id} reads the file ${(0,action_kit/* quote */.hD)(secret.src)}, which cannot be read (${e.code ?? 'error'}).`);
        }
        io.secret(content, `'secrets' id=${secret.id}`);
        return { id: secret.id, src: secret.path };
    });
    return { secrets, secretEnv };
}
function buildReport(result) {
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`Image built with ${result.engine}: ${result.digest.slice(0, 19)}…`), action_kit/* markdown.table */.wD.table(['', ''], [
        ['digest', `\`${result.digest}\``],
        ['archive', `\`${result.archive}\``],
        ...result.tags.map((t) => ['tag', `\`${t}\``]),
    ]));
}

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/util.js
var util = __webpack_require__(6719);
;// CONCATENATED MODULE: ./build/tsc/packages/image/auth.js
/**
 * Registry credentials for skopeo: the `registry-auth` input merged over the logins already on
 * the runner (containers auth.json, docker config.json — e.g. from amazon-ecr-login or
 * docker/login-action), written to one temporary auth file. skopeo reads a single file when given
 * --authfile, so without the merge `registry-auth` would hide every earlier login.
 */




function parseRegistryAuth(value) {
    if (value === undefined || value === null)
        return [];
    if (!Array.isArray(value))
        throw new action_kit/* ConfigurationError */.j1(`Input 'registry-auth' must be a YAML list of { registry, username, password }.`);
    return value.map((item, i) => {
        const m = (item ?? {});
        for (const key of ['registry', 'username', 'password']) {
            if (typeof m[key] !== 'string' || m[key] === '') {
                throw new action_kit/* ConfigurationError */.j1(`Input 'registry-auth'[${i}] needs a non-empty '${key}' (registry, username, password).`);
            }
        }
        const extra = Object.keys(m).filter((k) => !['registry', 'username', 'password'].includes(k));
        if (extra.length > 0)
            throw new action_kit/* ConfigurationError */.j1(`Input 'registry-auth'[${i}] has unknown key ${extra.map(action_kit/* quote */.hD).join(', ')}; allowed: registry, username, password.`);
        return {
            registry: m.registry,
            username: m.username,
            password: m.password,
        };
    });
}
/**
 * Where the runner's logins are, lowest precedence first (the order skopeo itself reads them in,
 * reversed): docker's config.json, then the containers auth files, $REGISTRY_AUTH_FILE last.
 * The action passes the environment's values in.
 */
function loginFiles(where) {
    const files = [];
    const dockerDir = where.dockerConfig || (where.home ? (0,external_node_path_.join)(where.home, '.docker') : undefined);
    if (dockerDir)
        files.push({ path: (0,external_node_path_.join)(dockerDir, 'config.json'), kind: 'docker' });
    if (where.home)
        files.push({ path: (0,external_node_path_.join)(where.home, '.config/containers/auth.json'), kind: 'containers' });
    if (where.xdgRuntimeDir)
        files.push({ path: (0,external_node_path_.join)(where.xdgRuntimeDir, 'containers/auth.json'), kind: 'containers' });
    if (where.registryAuthFile)
        files.push({ path: where.registryAuthFile, kind: 'containers' });
    return files.filter((f, i) => files.findIndex((g) => g.path === f.path) === i);
}
/**
 * docker writes keys as URLs ("https://index.docker.io/v1/", "https://ghcr.io"); containers
 * tools as host[/path]. One spelling, so a login and a `registry-auth` entry for the same
 * registry are one key and the later one wins.
 */
function registryKey(key) {
    const host = key
        .replace(/^https?:\/\//, '')
        .replace(/\/v[12]\/?$/, '')
        .replace(/\/+$/, '');
    return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}
/** The logins in one file's text. Never quotes the text: it holds credentials. */
function parseLogins(text, file) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new Error(`${file.path} is not valid JSON`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new Error(`${file.path} is not a JSON object`);
    const doc = json;
    const auths = {};
    const credHelpers = {};
    const rawAuths = doc.auths;
    if (rawAuths && typeof rawAuths === 'object' && !Array.isArray(rawAuths))
        for (const [key, entry] of Object.entries(rawAuths))
            // docker writes `{}` for a login kept in its credsStore: nothing to carry here.
            if (entry && typeof entry === 'object' && Object.keys(entry).length > 0)
                auths[registryKey(key)] = entry;
    const rawHelpers = doc.credHelpers;
    if (rawHelpers && typeof rawHelpers === 'object' && !Array.isArray(rawHelpers))
        for (const [key, helper] of Object.entries(rawHelpers))
            if (typeof helper === 'string')
                credHelpers[registryKey(key)] = helper;
    const credsStore = typeof doc.credsStore === 'string' ? doc.credsStore : undefined;
    return { auths, credHelpers, ...(credsStore ? { credsStore } : {}) };
}
/**
 * The runner's logins from `files` (lowest precedence first), later files winning per registry.
 * A missing file is skipped; an unreadable or broken one is skipped with a warning.
 */
function readLogins(files, log) {
    const merged = { auths: {}, credHelpers: {}, from: [] };
    for (const file of files) {
        let text;
        try {
            text = (0,external_node_fs_.readFileSync)(file.path, 'utf8');
        }
        catch (e) {
            if (e.code !== 'ENOENT')
                log.warning(`push-registry: cannot read the logins in ${file.path} (${e.code ?? (0,action_kit/* errorMessage */.gJ)(e)}); going on without them`);
            continue;
        }
        let logins;
        try {
            logins = parseLogins(text, file);
        }
        catch (e) {
            log.warning(`push-registry: ${(0,action_kit/* errorMessage */.gJ)(e)}; going on without its logins`);
            continue;
        }
        if (logins.credsStore)
            log.warning(`push-registry: ${file.path} keeps logins in the credential store "${logins.credsStore}", which cannot be carried into the auth file; log in to those registries with registry-auth (or credHelpers) instead`);
        Object.assign(merged.auths, logins.auths);
        Object.assign(merged.credHelpers, logins.credHelpers);
        if (Object.keys(logins.auths).length + Object.keys(logins.credHelpers).length > 0)
            merged.from.push(file.path);
    }
    return merged;
}
/** `given` over `existing`: a registry in registry-auth replaces the runner's login for it. */
function mergeLogins(existing, given) {
    const auths = { ...existing.auths };
    const credHelpers = { ...existing.credHelpers };
    for (const a of given) {
        const key = registryKey(a.registry);
        auths[key] = { auth: Buffer.from(`${a.username}:${a.password}`).toString('base64') };
        // A helper would be asked before the file's entry: the explicit login must win.
        delete credHelpers[key];
    }
    return { auths, credHelpers };
}
/** A containers-auth.json (the format skopeo and buildah read), mode 600. */
async function writeAuthFile(path, auths, existing = { auths: {}, credHelpers: {} }) {
    const logins = mergeLogins(existing, auths);
    const json = {
        auths: logins.auths,
        ...(Object.keys(logins.credHelpers).length > 0 ? { credHelpers: logins.credHelpers } : {}),
    };
    // flag 'wx': a fresh file of ours, never one that is already there (or a symlink planted there).
    await (0,promises_.writeFile)(path, JSON.stringify(json), { mode: 0o600, flag: 'wx' });
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/push.js
/**
 * Pushing one image, by digest, to several registries with skopeo: credentials in a temporary
 * auth file (never in argv), retries with backoff for outages, and every destination's manifest
 * read back to prove it holds the same digest.
 */









/** Reading one manifest: a single small request. */
const INSPECT_TIMEOUT_MS = 2 * 60_000;
function transportFor(registry, plan) {
    const certDir = registry && plan.certsDir ? (0,external_node_path_.join)(plan.certsDir, registry) : undefined;
    return {
        ...(plan.authFile ? { authFile: plan.authFile } : {}),
        tlsVerify: !(registry && plan.insecure.includes(registry)),
        ...(certDir && (0,external_node_fs_.existsSync)(certDir) ? { certDir } : {}),
    };
}
/** The digest of the manifest at `reference`, from its raw bytes. */
async function manifestDigest(reference, transport) {
    const result = await (0,exec/* execute */.g7)(skopeoInspectRawArgs(reference, transport), {
        timeoutMs: INSPECT_TIMEOUT_MS,
    });
    if (result.code !== 0 || result.timedOut)
        throw new Error(`cannot read the manifest of ${reference}: ${(0,exec/* failure */.V2)(result, INSPECT_TIMEOUT_MS).message}`);
    // Raw bytes: the digest is over the manifest exactly as the registry stores it.
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(result.stdout, 'utf8').digest('hex')}`;
}
async function pushImage(plan, tempDir, log) {
    const from = transportFor(plan.sourceRegistry, plan);
    const archive = plan.source.startsWith('oci-archive:')
        ? plan.source.slice('oci-archive:'.length)
        : undefined;
    const digest = (archive && (await archiveDigest(archive))) || (await manifestDigest(plan.source, from));
    log.info(`source ${plan.source} is ${digest}`);
    const copies = [];
    for (const [index, destination] of plan.destinations.entries()) {
        const to = transportFor(destination.registry, plan);
        const target = `docker://${formatRef(destination)}`;
        const digestFile = (0,external_node_path_.join)(tempDir, `cutover-push-${process.pid}-${index}.digest`);
        const started = Date.now();
        let attempts = 0;
        for (;;) {
            attempts += 1;
            log.info(`copying to ${formatRef(destination)} (attempt ${attempts}/${plan.retries + 1})`);
            const result = await (0,exec/* execute */.g7)(skopeoCopyArgs(plan.source, target, from, to, digestFile), {
                log,
                timeoutMs: plan.timeoutMs,
            });
            if (result.code === 0 && !result.timedOut)
                break;
            if (result.notFound)
                throw new Error((0,exec/* failure */.V2)(result, plan.timeoutMs).message);
            const output = result.timedOut
                ? (0,exec/* failure */.V2)(result, plan.timeoutMs).message
                : (0,exec/* lastLines */.w$)(result, 4).join('\n');
            if (!result.timedOut &&
                /unauthorized|authentication required|denied/i.test((0,exec/* lastLines */.w$)(result, 4, 2000).join('\n'))) {
                throw new action_kit/* DeploymentFailed */.Nr(`registry ${destination.registry} refused the credentials for ${formatRef(destination)} (unauthorized). Check 'registry-auth' for ${destination.registry}.`);
            }
            if (attempts > plan.retries) {
                throw new Error(`could not push to ${formatRef(destination)} after ${attempts} attempts:\n${output}`);
            }
            const wait = (0,util/* backoff */.JN)(attempts, plan.backoffMs ?? 1000);
            log.info(`push to ${formatRef(destination)} failed; retrying in ${wait} ms`);
            await (0,util/* sleep */.yy)(wait);
        }
        const pushed = (0,external_node_fs_.readFileSync)(digestFile, 'utf8').trim();
        const stored = await manifestDigest(target, to);
        if (pushed !== digest || stored !== digest) {
            throw new Error(`digest mismatch at ${formatRef(destination)}: source ${digest}, pushed ${pushed}, registry holds ${stored}`);
        }
        copies.push({ destination: formatRef(destination), attempts, ms: Date.now() - started });
        log.info(`${formatRef(destination)} holds ${digest} (verified)`);
    }
    return { digest, refs: plan.destinations.map((d) => `${d.name}@${digest}`), copies };
}
/**
 * push-registry: `registry-auth` merged over the runner's logins into a temporary auth file
 * (removed at the end), then the push to every destination.
 */
async function push(settings, io) {
    const { auths, tempDir } = settings;
    let authFile;
    if (auths.length > 0) {
        const existing = readLogins(settings.loginFiles, io.log);
        if (existing.from.length > 0)
            io.log.info(`registry-auth is merged over the logins already on the runner (${Object.keys(existing.auths).join(', ') || 'credential helpers'}) from ${existing.from.join(', ')}`);
        authFile = (0,external_node_path_.join)(tempDir, `cutover-auth-${process.pid}-${Date.now()}.json`);
        io.onAuthFile?.(authFile);
        await writeAuthFile(authFile, auths, existing);
    }
    try {
        return await io.group(`Push to ${settings.destinations.length} destination(s)`, () => pushImage({
            source: settings.source,
            ...(settings.sourceRegistry ? { sourceRegistry: settings.sourceRegistry } : {}),
            destinations: settings.destinations,
            ...(authFile ? { authFile } : {}),
            retries: settings.retries,
            timeoutMs: settings.timeoutMs,
            insecure: settings.insecure,
            ...(settings.certsDir ? { certsDir: settings.certsDir } : {}),
        }, tempDir, io.log));
    }
    finally {
        if (authFile)
            removeAuthFile(authFile);
    }
}
/** Removes the temporary auth file (gone already is fine). */
function removeAuthFile(path) {
    (0,external_node_fs_.rmSync)(path, { force: true });
}
function pushReport(result) {
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`Pushed ${result.digest.slice(0, 19)}… to ${result.refs.length} destination(s)`), action_kit/* markdown.table */.wD.table(['destination', 'verified digest', 'attempts', 'took'], result.copies.map((c) => [c.destination, `\`${result.digest}\``, c.attempts, `${c.ms} ms`])));
}
/**
 * The manifest digest of an OCI archive, read from its index.json without unpacking it (tar
 * headers only): saves a skopeo process per push.
 */
async function archiveDigest(path) {
    const { open } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 19));
    const file = await open(path, 'r');
    try {
        const header = Buffer.alloc(512);
        for (let offset = 0;;) {
            const { bytesRead } = await file.read(header, 0, 512, offset);
            if (bytesRead < 512 || header.every((b) => b === 0))
                return undefined;
            const name = header.toString('utf8', 0, 100).replace(/\0.*$/s, '');
            const size = parseInt(header.toString('utf8', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
            if (name === 'index.json' || name === './index.json') {
                const body = Buffer.alloc(size);
                await file.read(body, 0, size, offset + 512);
                const index = JSON.parse(body.toString('utf8'));
                return index.manifests?.length === 1 ? index.manifests[0]?.digest : undefined;
            }
            offset += 512 + Math.ceil(size / 512) * 512;
        }
    }
    finally {
        await file.close();
    }
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./build/tsc/packages/image/settings.js
/**
 * build-image's and push-registry's settings from their raw input values and the runner's
 * environment (both passed in by the action: this package reads neither). Every value is checked
 * here, used or not, before anything runs; errors name the input, the value and what is allowed.
 */










function readBuildSettings(inputs, where) {
    const { workspace, env } = where;
    const image = parseImageName('image', inputs.image);
    const context = (0,external_node_path_.resolve)(workspace, inputs.context || '.');
    const file = inputs.file === undefined
        ? (0,external_node_path_.join)(context, 'Dockerfile')
        : (0,external_node_path_.isAbsolute)(inputs.file)
            ? inputs.file
            : (0,external_node_path_.resolve)(workspace, inputs.file);
    const given = parseImageTags('tags', inputs.tags, image);
    const tags = given.tags.length > 0
        ? given.tags
        : defaultTags({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' });
    const buildArgs = parseKeyValues('build-args', inputs.buildArgs);
    const labels = parseKeyValues('labels', inputs.labels);
    const platforms = parsePlatforms('platforms', inputs.platforms);
    const specs = parseSecrets('secrets', inputs.secrets);
    const { buildxUrl, buildxSha256: buildxSha, engine, cache } = inputs;
    if (buildxUrl !== undefined)
        (0,util/* parseHttpUrl */.f$)('buildx-url', buildxUrl);
    if (buildxSha !== undefined && !/^[a-fA-F0-9]{64}$/.test(buildxSha))
        throw new action_kit/* ConfigurationError */.j1(`Input 'buildx-sha256' has the value ${(0,action_kit/* quote */.hD)(buildxSha)}; allowed: a sha256 of 64 hex digits.`);
    if (buildxSha !== undefined && buildxUrl === undefined)
        throw new action_kit/* ConfigurationError */.j1(`Input 'buildx-sha256' is set without 'buildx-url'; it is the checksum of the file buildx-url serves (the pinned release has its own).`);
    if (buildxUrl !== undefined && engine === 'buildah')
        throw new action_kit/* ConfigurationError */.j1(`Input 'buildx-url' is set, but 'engine' is buildah, which does not use docker buildx; drop buildx-url or use engine: docker.`);
    if (cache === 'gha' && engine === 'buildah')
        throw new action_kit/* ConfigurationError */.j1(`Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`);
    const nodeArch = where.arch ?? process.arch;
    const arch = buildxArch(nodeArch) ?? nodeArch;
    return {
        image,
        context,
        file,
        tags,
        buildArgs,
        labels,
        ...(inputs.target ? { target: inputs.target } : {}),
        platforms,
        engine,
        cache,
        reproducible: inputs.reproducible,
        timeoutMs: inputs.timeoutMs,
        secrets: specs.map((spec) => spec.env !== undefined
            ? { id: spec.id, env: spec.env, value: env[spec.env] }
            : {
                id: spec.id,
                src: spec.src,
                path: (0,external_node_path_.isAbsolute)(spec.src)
                    ? spec.src
                    : (0,external_node_path_.resolve)(workspace, spec.src),
            }),
        buildx: {
            version: BUILDX_PINNED.version,
            url: buildxUrl ?? buildxReleaseUrl(BUILDX_PINNED.version, arch),
            sha256: buildxSha?.toLowerCase() ?? BUILDX_PINNED.sha256[arch],
            arch,
            pluginsDir: (0,external_node_path_.join)(env.DOCKER_CONFIG || (0,external_node_path_.join)(env.HOME || (0,external_node_os_.homedir)(), '.docker'), 'cli-plugins'),
        },
        origin: {
            serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
            repository: env.GITHUB_REPOSITORY ?? '',
            sha: env.GITHUB_SHA ?? '',
        },
        tempDir: env.RUNNER_TEMP || '/tmp',
    };
}
/** Reads no file, but looks whether `source` names one in the workspace. */
function readPushSettings(inputs, where) {
    const { workspace, env } = where;
    const destinations = inputs.destinations
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((d) => parseReference('destinations', d));
    const insecure = (0,util/* parseList */.E1)(inputs.insecureRegistries);
    if (!inputs.tlsVerify && insecure.length === 0) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'tls-verify' is false, but 'insecure-registries' names no registry; name the registries to reach without TLS verification.`);
    }
    if (inputs.tlsVerify && insecure.length > 0)
        throw new action_kit/* ConfigurationError */.j1(`Input 'insecure-registries' is set, but 'tls-verify' is true; set tls-verify: false to use it.`);
    const source = readSource(inputs.source, workspace);
    return {
        ...source,
        destinations,
        auths: inputs.auths,
        // skopeo reads only the file given: the runner's earlier logins are carried into it.
        loginFiles: loginFiles({
            home: env.HOME || (0,external_node_os_.homedir)(),
            dockerConfig: env.DOCKER_CONFIG,
            xdgRuntimeDir: env.XDG_RUNTIME_DIR,
            registryAuthFile: env.REGISTRY_AUTH_FILE,
        }),
        retries: inputs.retries,
        timeoutMs: inputs.timeoutMs,
        insecure,
        ...(inputs.certsDir ? { certsDir: (0,external_node_path_.resolve)(workspace, inputs.certsDir) } : {}),
        tempDir: env.RUNNER_TEMP || '/tmp',
    };
}
/** An OCI archive in the workspace, or an image in a registry by digest. */
function readSource(given, workspace) {
    if (given.includes('@') ||
        (/^[a-z0-9.-]+(:\d+)?\//.test(given) && !(0,external_node_fs_.existsSync)((0,external_node_path_.resolve)(workspace, given)))) {
        const ref = parseReference('source', given, { requireDigest: true });
        return { source: `docker://${ref.name}@${ref.digest}`, sourceRegistry: ref.registry };
    }
    const path = (0,external_node_path_.isAbsolute)(given) ? given : (0,external_node_path_.resolve)(workspace, given);
    if (!(0,external_node_fs_.existsSync)(path) || !(0,external_node_fs_.statSync)(path).isFile()) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'source' is ${(0,action_kit/* quote */.hD)(given)}, which is neither an existing OCI archive nor registry/repo@sha256:...`);
    }
    return { source: `oci-archive:${path}` };
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/index.js











/***/ })

};
