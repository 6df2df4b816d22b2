export const id = 623;
export const ids = [623];
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

/***/ 1623:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  _w: () => (/* reexport */ buildImage),
  FK: () => (/* reexport */ buildReport),
  M_: () => (/* reexport */ checkContext),
  mN: () => (/* reexport */ chooseEngine),
  bX: () => (/* reexport */ commitTime),
  nK: () => (/* reexport */ defaultTags),
  TT: () => (/* reexport */ ociLabels),
  "if": () => (/* reexport */ parseImageName),
  Hl: () => (/* reexport */ parseKeyValues),
  E1: () => (/* reexport */ parseList),
  qA: () => (/* reexport */ parsePlatforms),
  F2: () => (/* reexport */ parseReference),
  bf: () => (/* reexport */ parseRegistryAuth),
  rL: () => (/* reexport */ parseTags),
  GH: () => (/* reexport */ pushImage),
  rS: () => (/* reexport */ pushReport),
  Yt: () => (/* reexport */ writeAuthFile)
});

// UNUSED EXPORTS: archiveDigest, buildahBuildArgs, buildahPushArgs, buildxBuildArgs, buildxEnv, exec, formatRef, manifestDigest, sanitizeTag, skopeoCopyArgs, skopeoInspectRawArgs, tail, transportFor

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 2 modules
var action_kit = __webpack_require__(796);
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

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./build/tsc/packages/image/exec.js
/** Runs a tool as an argv array, streaming its output to the log line by line. */

function exec(argv, options = {}) {
    const [command, ...args] = argv;
    return new Promise((resolve) => {
        const child = (0,external_node_child_process_.spawn)(command, args, {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ['ignore', 'pipe', 'pipe'],
            ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        });
        let stdout = '';
        let stderr = '';
        const stream = (chunk, into) => {
            const text = chunk.toString('utf8');
            if (into === 'out')
                stdout += text;
            else
                stderr += text;
            if (options.log)
                for (const line of text.split('\n'))
                    if (line.trim())
                        options.log.info(`  ${line}`);
        };
        child.stdout.on('data', (c) => stream(c, 'out'));
        child.stderr.on('data', (c) => stream(c, 'err'));
        child.on('error', (e) => resolve({
            code: 127,
            stdout,
            stderr: stderr + (e.code === 'ENOENT' ? `${command}: command not found` : e.message),
        }));
        child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
    });
}
/** The last few meaningful lines of a tool's output, for an error message. */
function tail(result, lines = 8) {
    return `${result.stderr}\n${result.stdout}`
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(-lines)
        .join('\n');
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
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

;// CONCATENATED MODULE: ./build/tsc/packages/image/build.js
/** Building an image into an OCI archive with buildah or docker buildx. */





/** `auto`: docker buildx when a Docker daemon answers, else buildah. */
async function chooseEngine(choice, log) {
    if (choice !== 'auto')
        return choice;
    const docker = await exec(['docker', 'info', '--format', '{{.ServerVersion}}'], {
        timeoutMs: 10_000,
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
async function buildImage(engine, spec, archive, log) {
    const digestFile = `${archive}.digest`;
    if (engine === 'buildah') {
        const built = await exec(buildahBuildArgs(spec), { log });
        if (built.code !== 0) {
            const why = /command not found/.test(built.stderr)
                ? 'buildah is not installed on this runner'
                : tail(built);
            throw new action_kit/* DeploymentFailed */.Nr(`buildah build failed (exit ${built.code}):\n${why}`);
        }
        const pushed = await exec(buildahPushArgs(spec.tags[0], archive, digestFile), { log });
        if (pushed.code !== 0)
            throw new Error(`buildah could not write the OCI archive ${archive} (exit ${pushed.code}):\n${tail(pushed)}`);
    }
    else {
        if (spec.platforms.length > 1)
            log.info('buildx: several platforms go into one OCI archive (an image index)');
        const metadata = (0,external_node_path_.join)(`${archive}.metadata.json`);
        const built = await exec(buildxBuildArgs(spec, archive, metadata), {
            log,
            env: buildxEnv(spec),
        });
        if (built.code !== 0)
            throw new action_kit/* DeploymentFailed */.Nr(`docker buildx build failed (exit ${built.code}):\n${tail(built)}`);
        const digest = JSON.parse((0,external_node_fs_.readFileSync)(metadata, 'utf8'))['containerimage.digest'];
        if (digest)
            await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 1455, 19)).then((fs) => fs.writeFile(digestFile, digest));
    }
    const digest = (0,external_node_fs_.readFileSync)(digestFile, 'utf8').trim();
    if (!/^sha256:[a-f0-9]{64}$/.test(digest))
        throw new Error(`the build wrote no digest (got ${JSON.stringify(digest)})`);
    return { engine, digest, archive, tags: spec.tags, labels: spec.labels };
}
function buildReport(result) {
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`Image built with ${result.engine}: ${result.digest.slice(0, 19)}…`), action_kit/* markdown.table */.wD.table(['', ''], [
        ['digest', `\`${result.digest}\``],
        ['archive', `\`${result.archive}\``],
        ...result.tags.map((t) => ['tag', `\`${t}\``]),
    ]));
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./build/tsc/packages/image/push.js
/**
 * Pushing one image, by digest, to several registries with skopeo: credentials in a temporary
 * auth file (never in argv), retries with backoff for outages, and every destination's manifest
 * read back to prove it holds the same digest.
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
/** A containers-auth.json (the format skopeo and buildah read), mode 600. */
async function writeAuthFile(path, auths) {
    const json = {
        auths: Object.fromEntries(auths.map((a) => [
            a.registry,
            { auth: Buffer.from(`${a.username}:${a.password}`).toString('base64') },
        ])),
    };
    await (0,promises_.writeFile)(path, JSON.stringify(json), { mode: 0o600 });
}
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
    const result = await exec(skopeoInspectRawArgs(reference, transport));
    if (result.code !== 0)
        throw new Error(`cannot read the manifest of ${reference}: ${tail(result, 3)}`);
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(result.stdout).digest('hex')}`;
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
            const result = await exec(skopeoCopyArgs(plan.source, target, from, to, digestFile), { log });
            if (result.code === 0)
                break;
            const output = tail(result, 4);
            if (/unauthorized|authentication required|denied/i.test(output)) {
                throw new action_kit/* DeploymentFailed */.Nr(`registry ${destination.registry} refused the credentials for ${formatRef(destination)} (unauthorized). Check 'registry-auth' for ${destination.registry}.`);
            }
            if (attempts > plan.retries) {
                throw new Error(`could not push to ${formatRef(destination)} after ${attempts} attempts:\n${output}`);
            }
            const wait = (plan.backoffMs ?? 1000) * 2 ** (attempts - 1);
            log.info(`push to ${formatRef(destination)} failed; retrying in ${wait} ms`);
            await new Promise((r) => setTimeout(r, wait));
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

;// CONCATENATED MODULE: ./build/tsc/packages/image/metadata.js
/** What an image is called and labelled: tags, build args, labels and platforms from text inputs and git. */



/** Items of a list input: one per line or comma-separated. */
function parseList(text) {
    return text
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
}
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
function parseTags(input, text) {
    const tags = parseList(text);
    for (const tag of tags) {
        if (sanitizeTag(tag) !== tag) {
            throw new action_kit/* ConfigurationError */.j1(`Input '${input}' has ${(0,action_kit/* quote */.hD)(tag)}; allowed: lower-case letters, digits, _ . - (at most 128), not starting with . or -.`);
        }
    }
    return tags;
}
function parsePlatforms(input, text) {
    const platforms = parseList(text);
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
function commitTime(dir) {
    try {
        return (Number((0,external_node_child_process_.execFileSync)('git', ['-C', dir, 'log', '-1', '--format=%ct'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
        }).trim()) || 0);
    }
    catch {
        return 0;
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/image/index.js








/***/ })

};
