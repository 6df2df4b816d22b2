export const id = 577;
export const ids = [577];
export const modules = {

/***/ 4194:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CP: () => (/* binding */ readCanaryPlan),
/* harmony export */   L8: () => (/* binding */ readHealth),
/* harmony export */   MX: () => (/* binding */ readRouter),
/* harmony export */   Zm: () => (/* binding */ stopSignal),
/* harmony export */   n0: () => (/* binding */ readDryRun),
/* harmony export */   wW: () => (/* binding */ readRollout)
/* harmony export */ });
/* unused harmony export readSteps */
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_action_kit_util_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6719);
/* harmony import */ var _packages_router_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7416);
/* harmony import */ var _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4402);
/**
 * The inputs the three traffic actions share: the router (one mapping or a list), the health
 * check, dry-run. Every value is validated whether or not it is used, before anything moves.
 */




function readRouter(inputs, log) {
    const configs = (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseRouterConfigs */ .YH)(inputs.yaml('router', { required: true }), {
        input: 'router',
        workspace: inputs.workspace,
    });
    const backends = new Set(configs.map((c) => (c.type === 'haproxy' ? c.backend : undefined)));
    const [backend] = backends;
    return {
        open: () => (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_1__/* .openRouter */ .Y5)(configs, { log }),
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
    (0,_packages_action_kit_util_js__WEBPACK_IMPORTED_MODULE_3__/* .parseHttpUrl */ .f$)('health-url', url, {
        placeholders: { slot: 'blue' },
        hint: "where {{slot}} stands for the target slot's name",
    });
    return { url, checks, interval, timeout };
}
function readDryRun(inputs) {
    return inputs.boolean('dry-run', false);
}
/** canary-step's `weight` (one step) or `steps` (a walk): whole percentages, strictly ascending. */
function readSteps(inputs) {
    const weight = inputs.optional('weight');
    const steps = inputs.optional('steps');
    if ((weight === undefined) === (steps === undefined)) {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(weight === undefined
            ? `Give either input 'weight' (one step, 0 to 100) or input 'steps' (e.g. 5,25,50,100).`
            : `Inputs 'weight' and 'steps' were both given; give one of them.`);
    }
    if (weight !== undefined)
        return [(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parsePercent */ .lo)('weight', weight)];
    const text = steps;
    const values = text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((item) => {
        try {
            return (0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parsePercent */ .lo)('steps', item);
        }
        catch {
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'steps' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(text)}: ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(item)} is not a whole percentage from 0 to 100.`);
        }
    });
    values.forEach((v, i) => {
        if (i > 0 && v <= values[i - 1]) {
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'steps' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(text)}; steps must go up: ${values[i - 1]} is followed by ${v}.`);
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
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'container' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(container.slice(0, 70))}; allowed: a container name (a DNS label: 1 to 63 lower-case letters, digits or '-', starting and ending with a letter or digit).`);
    if (image === undefined)
        return undefined;
    return { image, timeoutMs, ...(container ? { container } : {}) };
}
/** canary-step's plan from its inputs; the gate is parsed once here and bound once slots are known. */
function readCanaryPlan(inputs, router, secret) {
    const steps = readSteps(inputs);
    const holdMs = inputs.duration('interval', 60_000, { min: 100, max: 6 * 3_600_000 });
    const canary = inputs.optional('canary') === undefined
        ? undefined
        : inputs.enum('canary', ['blue', 'green'], 'blue');
    const onFailure = inputs.enum('on-failure', ['rollback', 'hold'], 'rollback');
    const gate = (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_2__/* .readGateInput */ .ci)(inputs.yaml('gate'), { provided: _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_2__/* .SLOT_PLACEHOLDERS */ .u8, stepMs: holdMs });
    for (const value of gate?.secrets ?? [])
        secret(value);
    return {
        steps,
        holdMs,
        onFailure,
        dryRun: readDryRun(inputs),
        ...(canary ? { canary } : {}),
        ...(gate
            ? {
                gate: ({ canary, stable, servers }) => gate.bind({
                    canary,
                    stable,
                    canaryServers: servers[canary].map((s) => s.name),
                    stableServers: servers[stable].map((s) => s.name),
                    ...(router.backend ? { backend: router.backend } : {}),
                }),
            }
            : {}),
    };
}


/***/ }),

/***/ 6720:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  K: () => (/* binding */ Recording),
  j: () => (/* binding */ openHistory)
});

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
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

;// CONCATENATED MODULE: ./build/tsc/packages/records/payload.js
/**
 * Reading payloads back: cutover's schema 2 as is, schema 1 (before records had a service and a
 * router name) as the repository's service on a router named 'unknown'. Anything else is not
 * ours. Pure.
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
/** Whether a record is about this service on this router. */
function inScope(payload, scope) {
    return (payload.service === scope.service &&
        payload.router.name === scope.router.name &&
        payload.router.type === scope.router.type);
}

;// CONCATENATED MODULE: ./build/tsc/packages/records/github.js
/**
 * Deployment records on GitHub: a history reader and a writer for one service on one router in
 * one environment. GitHub filters by `task` (deploy:<service>) and environment on its side; the
 * router is checked here. Every read is lazy and every lookup stops as soon as it can, so a
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
            api = Promise.all(/* import() */[__webpack_require__.e(392), __webpack_require__.e(794)]).then(__webpack_require__.bind(__webpack_require__, 1794)).then(({ GitHubApi }) => new GitHubApi(settings.token, context, limits, log));
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
            // GitHub filters by task and environment; checked again, with the router, on our side.
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
    async continue(deploymentId) {
        if (!this.github)
            return undefined;
        const { connect, history } = this.github;
        const refuse = (why) => new action_kit/* ConfigurationError */.j1(`Input 'deployment-id' has the value ${(0,action_kit/* quote */.hD)(String(deploymentId))}; allowed: an in-progress deployment of ${this.scope.service} on router ${(0,action_kit/* quote */.hD)(this.scope.router.name)} in environment ${(0,action_kit/* quote */.hD)(this.scope.environment)} of ${this.context.repository}, but ${why}.`);
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
            if (deployment.task !== record_taskFor(this.scope.service) || payload.service !== this.scope.service)
                throw refuse(`it is a record of ${(0,action_kit/* quote */.hD)(payload.service)}`);
            if (!inScope(payload, this.scope))
                throw refuse(`it is a record on router ${(0,action_kit/* quote */.hD)(payload.router.name)}`);
            history.listing.statuses.delete(deploymentId);
            const status = await history.status(api, deploymentId);
            const record = toRecord(deployment, payload, status);
            if (record.state !== 'in_progress')
                throw refuse(`it is ${record.state}${record.statusDescription ? ` ("${record.statusDescription}")` : ''}, no longer in progress`);
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

;// CONCATENATED MODULE: ./build/tsc/packages/records/index.js







// EXTERNAL MODULE: ./build/tsc/packages/domain/slots.js
var slots = __webpack_require__(545);
;// CONCATENATED MODULE: ./build/tsc/actions/common/recording.js
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
        const writer = openDeploymentWriter(settings, context, {
            router: { type: router.type, name: router.name },
            log,
        });
        const recording = new Recording(writer, settings, log, extra);
        if (settings.deploymentId !== undefined) {
            const continued = await writer.continue(settings.deploymentId);
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
                throw new action_kit/* ConfigurationError */.j1(`Input 'deployment-id' is ${this.continued.id}, the record of ${this.continued.payload.strategy} to ${this.continued.payload.slot}, but this step puts its release on ${record.slot}. Give the deployment-id of this release's record, or none.`);
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
            ...(record.strategy === 'canary' ? { stable: (0,slots/* otherSlot */.jx)(record.slot) } : {}),
            ...(undone === undefined ? {} : { rolled_back_id: undone }),
            ...(record.restored ? { restored_deployment_id: record.restored.id } : {}),
            ...(record.restored?.image ? { image: record.restored.image } : {}),
            ...(this.extra.reason ? { reason: this.extra.reason } : {}),
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
    /** Ends a release's record that a rollback found never went live (nothing moved). */
    async failUndone(id, why) {
        try {
            if (!(await this.writer.continue(id)))
                return;
            await this.writer.finish('failure', `aborted; ${why}`);
        }
        catch (e) {
            this.log.warning(`records: deployment ${id} could not be marked failure: ${(0,action_kit/* errorMessage */.gJ)(e)}`);
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
            if (!(e instanceof action_kit/* ConfigurationError */.j1 && this.continued))
                await this.writer.finish(e instanceof action_kit/* DeploymentFailed */.Nr ? 'failure' : 'error', (0,action_kit/* errorMessage */.gJ)(e));
            throw e;
        }
        const outcome = judge(result);
        if (outcome)
            await this.end(outcome);
        return result;
    }
}
/**
 * History for rollback: reads need a token even with `record: false`. It shares the run's one
 * GitHub connection and time budget with the writer (packages/records opens one per run).
 */
function openHistory(settings, context, router, log) {
    if (!settings.token)
        return { unavailable: 'no token was given (the `token` input is empty)' };
    return openDeploymentHistory(settings, context, {
        router: { type: router.type, name: router.name },
        log,
    });
}


/***/ }),

/***/ 1899:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ readRecordSettings),
/* harmony export */   h: () => (/* binding */ githubContext)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_action_kit_util_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6719);
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
    const service = readService(inputs, context);
    const image = inputs.optional('image');
    if (image !== undefined && (image.length > 500 || /\s/.test(image)))
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'image' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(cap(image))}; allowed: an image reference without spaces, at most 500 characters (best by digest: registry/name@sha256:...).`);
    const environmentUrl = inputs.optional('environment-url');
    if (environmentUrl !== undefined)
        (0,_packages_action_kit_util_js__WEBPACK_IMPORTED_MODULE_1__/* .parseHttpUrl */ .f$)('environment-url', environmentUrl);
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

/***/ 7416:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  KJ: () => (/* reexport */ RouterError),
  f6: () => (/* reexport */ canRollSlots),
  Y5: () => (/* reexport */ openRouter),
  YH: () => (/* reexport */ parseRouterConfigs)
});

// UNUSED EXPORTS: ConcurrentEdit, GroupRouter, HaproxyRouter, KubernetesRouter, MAX_ROUTERS, MAX_SERVERS_PER_SLOT, MemoryRouter, NginxRouter, ROUTER_TYPES, RolloutFailed, SLOTS, agreed, allOn, assertWritable, describeConfig, formatWeights, haproxyWeights, liveSlot, otherSlot, parseProcesses, parseRouterConfig, parseServersState, planHaproxyWrite, reloadFinished, renderUpstream, sameWeights, spreadWeights, toPercent, upstreamFileFor, weightsFor

;// CONCATENATED MODULE: ./build/tsc/packages/router/router.js
/** A router operation that failed: the message says what the router answered and where traffic is. */
class RouterError extends Error {
    name = 'RouterError';
}

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

;// CONCATENATED MODULE: ./build/tsc/packages/router/config.js
/**
 * The `router` input: one YAML mapping, or a list of them (an HA pair, one per zone), validated
 * here, once, before anything talks to a router. Every error names the input, the field
 * (`router[1].slots.blue[0]`), the value and what is allowed.
 */





const ROUTER_TYPES = ['haproxy', 'nginx', 'kubernetes'];
const KEYS = {
    haproxy: ['type', 'name', 'address', 'backend', 'slots', 'timeout'],
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
function parseOne(value, options, prefix) {
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
        access = {
            kind: 'command',
            read: argv('read', '[ssh, lb1, cat, /etc/nginx/conf.d/upstream.conf]'),
            write: argv('write', "[ssh, lb1, 'cat > /etc/nginx/conf.d/upstream.conf.new && mv /etc/nginx/conf.d/upstream.conf.new /etc/nginx/conf.d/upstream.conf']"),
        };
    }
    else {
        return fail(`${field('upstream-file')} is required for type nginx (or 'read' and 'write' commands for a remote nginx).`);
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
    return `kubernetes ${config.context ?? ''} ${config.namespace} ${JSON.stringify(config.route)}`;
}
/** For logs: where the router is, and its name when it is not the default. Never in records. */
function describeConfig(config) {
    if (config.type === 'kubernetes')
        return kubernetesDescribe(config);
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
    constructor(config, options = {}) {
        this.config = config;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
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
                throw new RouterError(`HAProxy ${this.describe()} did not apply ${(0,domain_slots/* formatWeights */.V7)(target)}: it answered "${reply.replace(/\s+/g, ' ').slice(0, 300)}"; ${where}`);
            }
        }
        const after = await this.state();
        const wrong = domain_slots/* SLOTS */._f.flatMap((slot) => after[slot]).filter((s) => plan.weights.has(s.name) && plan.weights.get(s.name) !== s.weight);
        const now = haproxyWeights(after);
        if (wrong.length > 0 || !(0,domain_slots/* sameWeights */.ML)(now, target)) {
            throw new RouterError(`HAProxy ${this.describe()} reads ${(0,domain_slots/* formatWeights */.V7)(now)} after writing ${(0,domain_slots/* formatWeights */.V7)(target)}${wrong.length ? ` (${wrong.map((s) => `${s.name} weight ${s.weight}, expected ${plan.weights.get(s.name)}`).join(', ')})` : ''}; traffic is now ${(0,domain_slots/* formatWeights */.V7)(now)}`);
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
/** Each slot's servers, in the config's order; a configured server the backend lacks is an error. */
function slotState(rows, config) {
    const out = {};
    for (const slot of domain_slots/* SLOTS */._f) {
        out[slot] = config.slots[slot].map((name) => {
            const row = rows.find((r) => r.name === name);
            if (!row) {
                throw new RouterError(`HAProxy backend '${config.backend}' has no server '${name}' (slot ${slot}); its servers are: ${rows.map((r) => r.name).join(', ') || 'none'}`);
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
                throw new RouterError(`HAProxy server ${backend}/${only.name} (slot ${slot}) is ${why}, so it cannot take ${target[slot]}% of traffic; nothing was changed`);
            }
            const why = state[slot]
                .map((s) => `${s.name} ${s.maintenance ? 'in maintenance' : s.draining ? 'draining' : 'DOWN by its health check'}`)
                .join(', ');
            throw new RouterError(`HAProxy backend ${backend}: no server of slot ${slot} can take ${target[slot]}% of traffic (${why}); nothing was changed`);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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
    constructor(config, options = {}) {
        this.config = config;
        this.options = options;
        this.name = config.name;
        this.log = options.log ?? action_kit/* silentLog */.aB;
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
        const written = await this.replace(next, snapshot);
        try {
            if (this.config.test.length > 0)
                await this.command(this.config.test, 'configuration test');
            await this.command(this.config.reload, 'reload');
        }
        catch (e) {
            // nginx did not load the new file, so it still serves the previous weights.
            const restored = await this.replace(snapshot.text, written).then(() => `restored ${this.fileName()}`, (r) => `restoring ${this.fileName()} failed too (${r.message}): it says ${(0,domain_slots/* formatWeights */.V7)(target)} until fixed`);
            throw new RouterError(`${e.message}; ${restored}, traffic stays at ${(0,domain_slots/* formatWeights */.V7)(previous)}`);
        }
        await this.awaitReload(oldWorkers, target, previous, snapshot.text);
        const after = await this.read();
        if (!(0,domain_slots/* sameWeights */.ML)(after, target)) {
            throw new RouterError(`${this.fileName()} reads ${(0,domain_slots/* formatWeights */.V7)(after)} after writing ${(0,domain_slots/* formatWeights */.V7)(target)}`);
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
                throw new RouterError(`cannot read the nginx upstream file: ${commandFailure(e, 'read', this.config.timeout)}`);
            }
        }
        try {
            return await readSnapshot(access.upstreamFile);
        }
        catch (e) {
            throw new RouterError(`cannot read the nginx upstream file ${access.upstreamFile}: ${e.code ?? e}. It must exist and hold 'upstream ${this.config.upstream} { ... }' with a server line per slot server`);
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
        try {
            await (0,exec/* run */.eF)(access.write, { timeoutMs: this.config.timeout, input: content });
        }
        catch (e) {
            throw new RouterError(`cannot rewrite the nginx upstream file: ${commandFailure(e, 'write', this.config.timeout)}`);
        }
        return { text: content };
    }
    async command(argv, what) {
        try {
            await (0,exec/* run */.eF)(argv, { timeoutMs: this.config.timeout, log: this.log });
        }
        catch (e) {
            throw new RouterError(`nginx ${commandFailure(e, what, this.config.timeout)}`);
        }
    }
    /** The master's children now, as `pid args` lines. */
    async processes() {
        const access = this.config.access;
        let argv = this.config.workers;
        if (!argv) {
            if (access.kind !== 'local')
                throw new RouterError('no `workers` command'); // parse refuses this
            let pid;
            try {
                pid = (await (0,promises_.readFile)(access.pidFile, 'utf8')).trim();
            }
            catch (e) {
                throw new RouterError(`cannot read nginx's pid file ${access.pidFile} (${e.code ?? e}), needed to await the reload; set the router's \`pid-file\` (nginx's \`pid\` directive) or \`workers\``);
            }
            if (!/^\d+$/.test(pid))
                throw new RouterError(`nginx's pid file ${access.pidFile} does not hold a process id`);
            argv = ['ps', '-o', 'pid=,args=', '--ppid', pid];
        }
        try {
            // ps exits 1 when the master has no children: an empty list, not a failure.
            const { stdout } = await (0,exec/* run */.eF)(argv, { timeoutMs: this.config.timeout, okCodes: [0, 1] });
            return parseProcesses(stdout);
        }
        catch (e) {
            throw new RouterError(`cannot list nginx's workers: ${commandFailure(e, 'workers', this.config.timeout)}`);
        }
    }
    async workerPids(when) {
        let list;
        try {
            list = await this.processes();
        }
        catch (e) {
            throw new RouterError(`${e.message} (${when})`);
        }
        const accepting = list.filter(isAcceptingWorker);
        if (accepting.length === 0)
            throw new RouterError(`nginx has no worker process to await a reload with (${when}); is it running, and does \`pid-file\`/\`workers\` point at its master?`);
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
        throw new RouterError(`nginx did not finish the reload within ${this.config.timeout} ms: old worker${stale.length === 1 ? '' : 's'} ${stale.join(', ') || '(none)'} still accepting, ${last.filter((p) => !oldWorkers.has(p.pid) && isAcceptingWorker(p)).length} new; see nginx's error log; ${restored}`);
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
    return new RouterError(`${file} was changed by someone else while cutover was rewriting it; nothing was changed (their version stays): run the step again`);
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
                    throw new RouterError(`cannot rewrite the nginx upstream file ${path} keeping its owner ${local.uid}:${local.gid} (${e.code ?? e}); run as root or as its owner; nothing was changed`);
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
        if (e instanceof RouterError)
            throw e;
        throw new RouterError(`cannot rewrite the nginx upstream file ${path}: ${e.code ?? e}`);
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
                throw new RouterError(`upstream '${config.upstream}' in ${config.access.kind === 'local' ? config.access.upstreamFile : 'the upstream file'} has no server ${address} (slot ${slot}); its servers are: ${[...servers.keys()].join(', ') || 'none'}`);
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
        throw new RouterError(`${config.access.kind === 'local' ? config.access.upstreamFile : 'the upstream file'} has no 'upstream ${config.upstream} { ... }' block`);
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
 */



class GroupRouter {
    routers;
    type = 'group';
    name;
    log;
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
        const where = await this.whereTrafficIs();
        for (const line of where)
            this.log.warning(`traffic now: ${line}`);
        const said = (f) => message(f.error).includes(f.router.describe())
            ? message(f.error)
            : `${f.router.describe()} failed: ${message(f.error)}`;
        throw new RouterError(`${failed.map(said).join('; ')}; every router was put back to ${(0,domain_slots/* formatWeights */.V7)(before)}. Traffic now: ${where.join('; ')}`);
    }
    /** Every router's servers; a server listed by several routers appears once. */
    async servers() {
        const all = await Promise.all(this.routers.map((r) => r.servers()));
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
        const all = await Promise.allSettled(this.routers.map((r) => r.read()));
        return all.map((r, i) => {
            const router = this.routers[i].describe();
            return r.status === 'fulfilled'
                ? `${router}: ${(0,domain_slots/* formatWeights */.V7)(r.value)}`
                : `${router}: unknown (${message(r.reason)})`;
        });
    }
    async readAll() {
        const all = await Promise.allSettled(this.routers.map((r) => r.read()));
        const failed = all.flatMap((r, i) => r.status === 'rejected'
            ? [`${this.routers[i].describe()}: ${message(r.reason)}`]
            : []);
        if (failed.length > 0)
            throw new RouterError(`cannot read every router: ${failed.join('; ')}; nothing was changed`);
        return all.map((r) => r.value);
    }
}
/** The weights all routers agree on, or a RouterError showing each one's. */
function agreed(routers, weights, when) {
    const first = weights[0];
    if (weights.every((w) => (0,domain_slots/* sameWeights */.ML)(w, first)))
        return first;
    throw new RouterError(`the routers disagree${when && when.startsWith('after') ? ` ${when}` : ''}: ${routers.map((r, i) => `${r.describe()}: ${(0,domain_slots/* formatWeights */.V7)(weights[i])}`).join('; ')}${when && !when.startsWith('after') ? `; ${when}` : ''}. Bring them to the same weights first (e.g. with to: blue|green on each)`);
}
function message(e) {
    return e instanceof Error ? e.message : String(e);
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/kubernetes-api.js
/**
 * The few Kubernetes API calls the provider makes, through @kubernetes/client-node (kubeconfig
 * with exec plugins, OIDC, client certificates, in-cluster service accounts). The client is
 * loaded here by dynamic import only, so it lands in its own chunk: no other router or action
 * pays its start-up. Every call has a timeout; API errors become one-line RouterErrors that name
 * the verb, the object and the API server's own message, never a credential.
 */


const PATCH = {
    json: 'application/json-patch+json',
    merge: 'application/merge-patch+json',
    strategic: 'application/strategic-merge-patch+json',
};
const GATEWAY = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' };
/** An API call the server refused: `code` is the HTTP status, `reason` Kubernetes' Status reason. */
class KubernetesApiError extends RouterError {
    code;
    reason;
    name = 'KubernetesApiError';
    constructor(message, code, reason) {
        super(message);
        this.code = code;
        this.reason = reason;
    }
}
class KubernetesApi {
    client;
    kubeConfig;
    namespace;
    timeout;
    constructor(client, kubeConfig, namespace, timeout) {
        this.client = client;
        this.kubeConfig = kubeConfig;
        this.namespace = namespace;
        this.timeout = timeout;
    }
    /** Loads the client and the kubeconfig, and picks the context; a missing one is a config error. */
    static async open(config, source = {}) {
        let client;
        try {
            client = await __webpack_require__.e(/* import() */ 857).then(__webpack_require__.bind(__webpack_require__, 3857));
        }
        catch (e) {
            // Its HTTP stack (undici 8) fails at import on Node 20: say so rather than crash obscurely.
            throw new RouterError(`cannot load the Kubernetes client on Node ${process.versions.node} (${(0,action_kit/* errorMessage */.gJ)(e).slice(0, 200)}); the Kubernetes router needs Node 24, as the actions' runs.using: node24 gives`);
        }
        const kc = new client.KubeConfig();
        const from = source.kubeconfig ?? 'the default kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)';
        try {
            if (source.kubeconfig)
                kc.loadFromFile(source.kubeconfig);
            else
                kc.loadFromDefault();
        }
        catch (e) {
            // Never the parser's message: it may quote the file, and the file holds credentials.
            const code = e.code;
            throw new action_kit/* ConfigurationError */.j1(`cannot load ${from}: ${code ? `${code} (${e.path ?? 'file'})` : 'not a valid kubeconfig'}`);
        }
        const cluster = kc.getCurrentCluster();
        // The client's last resort when it finds nothing is http://localhost:8080: never talk to that.
        if (!cluster || (cluster.name === 'cluster' && cluster.server === 'http://localhost:8080'))
            throw new action_kit/* ConfigurationError */.j1(`no kubeconfig found in ${from}: give the runner a kubeconfig (e.g. KUBECONFIG), or run in a cluster`);
        if (config.context !== undefined) {
            if (!kc.getContextObject(config.context)) {
                const names = kc.getContexts().map((c) => c.name);
                throw new action_kit/* ConfigurationError */.j1(`Input 'router': 'context' is ${(0,action_kit/* quote */.hD)(config.context)}, which is not in ${from}; its contexts are: ${names.join(', ') || 'none'}.`);
            }
            kc.setCurrentContext(config.context);
        }
        return new KubernetesApi(client, kc, config.namespace, config.timeout);
    }
    /** The API server's address, for a debug line only (it carries no credential). */
    server() {
        return this.kubeConfig.getCurrentCluster()?.server ?? 'unknown';
    }
    /** Per call: a timeout, and for a patch its content type (the client's own header middleware). */
    options(contentType) {
        const timeout = this.timeout;
        const accept = this.client.setHeaderMiddleware('Accept', 'application/json');
        const middleware = [
            {
                pre: (ctx) => {
                    ctx.setSignal(AbortSignal.timeout(timeout));
                    return accept.pre(ctx);
                },
                post: accept.post,
            },
            ...(contentType ? [this.client.setHeaderMiddleware('Content-Type', contentType)] : []),
        ];
        return { middleware, middlewareMergeStrategy: 'append' };
    }
    async call(what, run) {
        try {
            return (await run());
        }
        catch (e) {
            throw this.explain(what, e);
        }
    }
    explain(what, e) {
        const error = e;
        // An answer from the API server (the client's ApiException), not a network or timeout error.
        if (e instanceof this.client.ApiException && typeof error.code === 'number') {
            const status = parseStatus(error.body);
            const said = status.message ?? `HTTP ${error.code}`;
            const hint = error.code === 401
                ? ': the kubeconfig credentials were refused'
                : error.code === 403
                    ? ' (the kubeconfig user lacks this permission: grant the Role in the README)'
                    : '';
            return new KubernetesApiError(`${what}: ${error.code} ${status.reason ?? ''}${status.reason ? ': ' : ''}${said}${hint}`.replace(/ {2,}/g, ' '), error.code, status.reason);
        }
        return new RouterError(`${what}: cannot reach the Kubernetes API server: ${(0,action_kit/* fetchFailure */.Z5)(e, this.timeout)}`);
    }
    get core() {
        return this.kubeConfig.makeApiClient(this.client.CoreV1Api);
    }
    get apps() {
        return this.kubeConfig.makeApiClient(this.client.AppsV1Api);
    }
    get discovery() {
        return this.kubeConfig.makeApiClient(this.client.DiscoveryV1Api);
    }
    get custom() {
        return this.kubeConfig.makeApiClient(this.client.CustomObjectsApi);
    }
    getRoute(name) {
        return this.call(`get HTTPRoute ${this.namespace}/${name}`, () => this.custom.getNamespacedCustomObject({ ...GATEWAY, namespace: this.namespace, name }, this.options()));
    }
    patchRoute(name, ops) {
        return this.call(`patch HTTPRoute ${this.namespace}/${name}`, () => this.custom.patchNamespacedCustomObject({ ...GATEWAY, namespace: this.namespace, name, body: ops }, this.options(PATCH.json)));
    }
    getService(name) {
        return this.call(`get Service ${this.namespace}/${name}`, () => this.core.readNamespacedService({ namespace: this.namespace, name }, this.options()));
    }
    patchService(name, body) {
        return this.call(`patch Service ${this.namespace}/${name}`, () => this.core.patchNamespacedService({ namespace: this.namespace, name, body }, this.options(PATCH.merge)));
    }
    /** The EndpointSlices the EndpointSlice controller keeps for a Service (label kubernetes.io/service-name). */
    async endpointSlices(service) {
        const list = await this.call(`list EndpointSlices of Service ${this.namespace}/${service}`, () => this.discovery.listNamespacedEndpointSlice({ namespace: this.namespace, labelSelector: `kubernetes.io/service-name=${service}` }, this.options()));
        return list.items ?? [];
    }
    getDeployment(name) {
        return this.call(`get Deployment ${this.namespace}/${name}`, () => this.apps.readNamespacedDeployment({ namespace: this.namespace, name }, this.options()));
    }
    patchDeployment(name, body) {
        return this.call(`patch Deployment ${this.namespace}/${name}`, () => this.apps.patchNamespacedDeployment({ namespace: this.namespace, name, body }, this.options(PATCH.strategic)));
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
        throw new RouterError(`${id} has ${rules.length} rule(s); there is no rule ${rule}`);
    for (const i of indices) {
        const refs = rules[i]?.backendRefs ?? [];
        const index = {};
        for (const slot of domain_slots/* SLOTS */._f) {
            const at = refs.flatMap((r, j) => (refersTo(r, targets[slot].service, namespace) ? [j] : []));
            if (at.length > 1)
                throw new RouterError(`${id} rule ${i} has ${at.length} backendRefs to Service ${targets[slot].service}; a slot must appear once per rule`);
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
            throw new RouterError(`${id} rule ${i} has no backendRef to ${has.length === 1 ? `Service ${targets[domain_slots/* SLOTS */._f.find((s) => !has.includes(s))].service}` : both}; add both slot Services (weight 0 for the idle one)`);
        }
    }
    if (found.length === 0)
        throw new RouterError(`${id} has no rule with backendRefs to both ${both}; add both slot Services to the rule that should switch (weight 0 for the idle one)`);
    const per = found.map((f) => {
        const refs = rules[f.rule]?.backendRefs ?? [];
        const raw = (slot) => refWeight(refs[f.index[slot]]);
        return { rule: f.rule, weights: toPercent(raw('blue'), raw('green')) };
    });
    const first = per[0]?.weights;
    if (per.some((p) => p.weights.blue !== first.blue || p.weights.green !== first.green))
        throw new RouterError(`${id}: its rules disagree on the slots' weights (${per.map((p) => `rule ${p.rule}: ${(0,domain_slots/* formatWeights */.V7)(p.weights)}`).join('; ')}); set them alike by hand, or choose one rule with 'route.rule'`);
    return { weights: first, rules: found };
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
        throw new RouterError(`${id} has no container ${(0,action_kit/* quote */.hD)(wanted)}; its containers are: ${names.join(', ') || 'none'}`);
    }
    if (names.length === 1)
        return names[0];
    throw new RouterError(`${id} has ${names.length} containers (${names.join(', ')}); say which one runs the release with the 'container' input`);
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
class ConcurrentEdit extends RouterError {
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
    constructor(config, options = {}) {
        this.config = config;
        this.options = options;
        this.name = config.name;
        this.canSplit = config.route.kind === 'httproute';
        this.log = options.log ?? action_kit/* silentLog */.aB;
    }
    describe() {
        return kubernetesDescribe(this.config);
    }
    /** Connects on first use: loading the client costs a few hundred ms, paid only here. */
    connect() {
        this.api ??= KubernetesApi.open(this.config, this.options).then((api) => {
            this.log.debug(`Kubernetes API server: ${api.server()}`);
            return api;
        });
        return this.api;
    }
    async read() {
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
            throw new RouterError(`${found.problem}; cannot tell where traffic is`);
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
                throw new RouterError(`Deployment ${this.config.namespace}/${name} (slot ${slot}) has no available replicas (${available} of ${d.spec?.replicas ?? 1}), so it cannot take ${target[slot]}% of traffic; nothing was changed. ${formatConditions(d.status?.conditions)}`);
            const label = this.config.route.kind === 'service' ? this.config.route.label : undefined;
            const podLabel = label && d.spec?.template?.metadata?.labels?.[label];
            if (label && podLabel !== slot)
                throw new RouterError(`Deployment ${this.config.namespace}/${name} (slot ${slot}) labels its pods ${label}=${(0,action_kit/* quote */.hD)(podLabel ?? null)}, so a selector ${label}=${slot} would reach none of them; label its pod template ${label}: ${slot}. Nothing was changed.`);
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
                throw new RouterError(`${id} holds ${(0,domain_slots/* formatWeights */.V7)(target)} (generation ${generation}) but the gateway did not apply it within ${Math.round(timeout / 1000)} s: ${applied.detail}. Clients may still see the earlier weights (${(0,domain_slots/* formatWeights */.V7)(state.weights)}) until it does.`);
            await (0,util/* sleep */.yy)(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS));
            current = await api.getRoute(route.name);
            if ((current.metadata.generation ?? 0) > generation) {
                throw new ConcurrentEdit(`${id} was changed by someone else while the gateway applied ${(0,domain_slots/* formatWeights */.V7)(target)} (generation ${current.metadata.generation} > ${generation}); traffic is now ${(0,domain_slots/* formatWeights */.V7)(routeState(current, targets, route.rule).weights)}`);
            }
        }
        const after = routeState(current, targets, route.rule).weights;
        if (!(0,domain_slots/* sameWeights */.ML)(after, target))
            throw new RouterError(`${id} did not take ${(0,domain_slots/* formatWeights */.V7)(target)}; it holds ${(0,domain_slots/* formatWeights */.V7)(after)}`);
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
            throw new RouterError(`${id} did not take selector ${route.label}=${slot}; traffic is now ${(0,domain_slots/* formatWeights */.V7)(after)}`);
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
                throw new RouterError(`${id} selects slot ${slot}, but within ${Math.round(timeout / 1000)} s its endpoints did not become those of Service ${own}: ${check.detail}. New connections may still reach the other slot until they do.`);
            await (0,util/* sleep */.yy)(Math.min(left, POLL_FIRST_MS * 2 ** Math.min(attempt - 1, 6), POLL_MAX_MS));
        }
    }
    /** A 409 is someone else's edit: say so, with where traffic is now, and never retry over it. */
    async conflictOr(e, id, resourceVersion) {
        if (!(e instanceof KubernetesApiError) || e.code !== 409)
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
            throw new RouterError(`${id} (slot ${slot}) is paused (spec.paused), so it would never roll out ${image}; resume it (kubectl rollout resume) or deploy to it by hand. Nothing was changed.`);
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
    }
}

;// CONCATENATED MODULE: ./build/tsc/packages/router/index.js











/***/ }),

/***/ 7015:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  vs: () => (/* reexport */ RollbackRefused),
  iu: () => (/* reexport */ blueGreenSwitch),
  hr: () => (/* reexport */ canaryOutcome),
  pb: () => (/* reexport */ canaryReport),
  Xl: () => (/* reexport */ refusalReport),
  wD: () => (/* reexport */ restoreAfterInterruptedWalk),
  dU: () => (/* reexport */ rollback),
  F3: () => (/* reexport */ rollbackReport),
  i7: () => (/* reexport */ runCanary),
  vC: () => (/* reexport */ switchReport),
  f3: () => (/* reexport */ walkResumedFrom)
});

// UNUSED EXPORTS: NO_HEALTH_URL, decideRollback, describeRecord, forSlot, liveAndIdle, moveTraffic, planCanary, planSwitch, requireHealthy, requireSplit, rollSlot, viewSlots, waitHealthy, weightsTable

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/util.js
var util = __webpack_require__(6719);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/health.js
/** "Is the new slot healthy?": N 2xx answers in a row from its health URL, within an overall timeout. */


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

// EXTERNAL MODULE: ./build/tsc/packages/domain/slots.js
var slots = __webpack_require__(545);
// EXTERNAL MODULE: ./build/tsc/packages/router/index.js + 11 modules
var packages_router = __webpack_require__(7416);
;// CONCATENATED MODULE: ./build/tsc/packages/traffic/move.js
/** The one way strategies change weights: write, and if that fails, say where traffic is now. */



async function moveTraffic(router, target, log) {
    try {
        await router.write(target);
    }
    catch (e) {
        let where;
        try {
            where = `traffic is now ${(0,slots/* formatWeights */.V7)(await router.read())}`;
        }
        catch (readError) {
            where = `the router could not be read afterwards either (${(0,action_kit/* errorMessage */.gJ)(readError)}): check ${router.describe()} by hand`;
        }
        const message = (0,action_kit/* errorMessage */.gJ)(e);
        // Providers often say where traffic is already; say it once.
        throw new packages_router/* RouterError */.KJ(/traffic (is now|stays at)/.test(message) ? message : `${message}; ${where}`);
    }
    const after = await router.read();
    log.info(`traffic now: ${(0,slots/* formatWeights */.V7)(after)}`);
    return after;
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

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/slots.js
/** Which slot is live, which is idle and what servers the idle one has: what a pipeline deploys to. */

/** Pure part: live and idle from the weights. */
function liveAndIdle(weights) {
    const live = (0,slots/* liveSlot */.dz)(weights);
    return live ? { live, idle: (0,slots/* otherSlot */.jx)(live) } : { live: 'split', idle: 'none' };
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
    const live = (0,slots/* liveSlot */.dz)(weights);
    if (to !== 'idle')
        return { target: to, noop: live === to };
    if (live)
        return { target: (0,slots/* otherSlot */.jx)(live), noop: false };
    throw new action_kit/* ConfigurationError */.j1(`Input 'to' is "idle", but traffic is split (${(0,slots/* formatWeights */.V7)(weights)}), so no slot is idle. Name the slot to move all traffic to: to: blue or to: green.`);
}
const NO_HEALTH_URL = 'no health-url: the target slot is not checked before traffic moves to it. Give `health-url` (with {{slot}}) to check it first.';
async function blueGreenSwitch(router, plan, log, hooks = {}) {
    const started = Date.now();
    const before = await router.read();
    const live = (0,slots/* liveSlot */.dz)(before);
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,slots/* formatWeights */.V7)(before)}${live ? ` (live: ${live})` : ' (split)'}`);
    const { target, noop } = planSwitch(before, plan.to);
    const previous = live ?? 'split';
    const done = async (after, switched, extra = {}) => ({
        router: router.describe(),
        previous,
        active: (0,slots/* liveSlot */.dz)(after) ?? 'split',
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
    // The record opens before anything is checked or moved, so it says what the slot holds even if
    // the step fails; a dry run (a pipeline's plan) opens it for the later steps to continue.
    await hooks.record?.start({
        strategy: 'blue-green',
        slot: target,
        weights: (0,slots/* allOn */.PT)(target),
        previous,
    });
    const stays = `traffic stays at ${(0,slots/* formatWeights */.V7)(before)}`;
    if (plan.rollout && !plan.dryRun)
        await rollSlot(router, target, plan.rollout, log);
    let health;
    if (plan.health) {
        health = await requireHealthy({ ...plan.health, url: forSlot(plan.health.url, target) }, log, stays);
    }
    else if (!plan.dryRun) {
        log.warning(NO_HEALTH_URL);
    }
    const checked = health ? { health } : plan.dryRun ? {} : { healthSkipped: NO_HEALTH_URL };
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${(0,slots/* formatWeights */.V7)(before)} to ${(0,slots/* formatWeights */.V7)((0,slots/* allOn */.PT)(target))}; nothing moved.`);
        return done(before, false, checked);
    }
    log.info(`switching: ${(0,slots/* formatWeights */.V7)(before)} -> ${(0,slots/* formatWeights */.V7)((0,slots/* allOn */.PT)(target))}`);
    const after = await moveTraffic(router, (0,slots/* allOn */.PT)(target), log);
    return done(after, true, checked);
}

// EXTERNAL MODULE: ./build/tsc/packages/gate/index.js + 9 modules
var packages_gate = __webpack_require__(4402);
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
        throw new action_kit/* ConfigurationError */.j1(`Input 'canary' is needed: traffic is ${(0,slots/* formatWeights */.V7)(weights)}, so neither slot carries less. Say canary: blue or canary: green.`);
    }
    const chosen = canary ?? (weights.blue < weights.green ? 'blue' : 'green');
    const first = steps[0] ?? 0;
    if (steps.length > 1 && weights[chosen] > first) {
        throw new action_kit/* ConfigurationError */.j1(`canary ${chosen} already carries ${weights[chosen]}% (${(0,slots/* formatWeights */.V7)(weights)}), more than the first step (${first}%): walking would first take traffic away from it. Is ${chosen} really the new version? Set input 'canary' or start from the step it is at.`);
    }
    return { canary: chosen, stable: (0,slots/* otherSlot */.jx)(chosen) };
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
    return { outcome: 'held', description: `held at ${result.weight}%` };
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
async function runCanary(router, plan, log, hooks = {}) {
    requireSplit(router);
    const before = await router.read();
    const { canary, stable } = planCanary(before, plan.steps, plan.canary);
    const lastStep = plan.steps[plan.steps.length - 1] ?? 0;
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,slots/* formatWeights */.V7)(before)}; canary ${canary}, stable ${stable}; steps ${plan.steps.join(' → ')}%`);
    const servers = await router.servers();
    // Bound before the record opens: a gate that cannot be bound fails with nothing changed.
    const gate = plan.dryRun ? undefined : plan.gate?.({ canary, stable, servers });
    const steps = [];
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
            ...(await viewSlots(router, after)),
            notes: [...router.notes],
        };
    };
    // A plan (dry run) opens the record of a new release onto the idle slot; while traffic is
    // split no slot is idle, and a record would claim a slot another walk is using.
    if (plan.dryRun && (0,slots/* liveSlot */.dz)(before) === undefined && hooks.record) {
        log.warning(`dry run: traffic is split (${(0,slots/* formatWeights */.V7)(before)}), so no slot is idle and no release record is opened; finish or roll back the walk in progress first.`);
    }
    else {
        await hooks.record?.start({
            strategy: 'canary',
            slot: canary,
            weights: (0,slots/* weightsFor */.NK)(canary, lastStep),
            previous: (0,slots/* liveSlot */.dz)(before) ?? 'split',
        });
    }
    if (plan.dryRun) {
        log.info(`dry run: would walk canary ${canary} through ${plan.steps.join(' → ')}% from ${(0,slots/* formatWeights */.V7)(before)}; nothing moved.`);
        return finish('pass', 'dry run: nothing moved', before, false);
    }
    if (plan.rollout)
        await rollSlot(router, canary, plan.rollout, log);
    const restoreStable = async (why) => {
        log.info(`${why}: moving all traffic back to stable ${stable}`);
        const after = await moveTraffic(router, (0,slots/* weightsFor */.NK)(canary, 0), log);
        log.info(`stable ${stable} carries 100% again`);
        return after;
    };
    let weight = before[canary];
    for (const [index, target] of plan.steps.entries()) {
        if (hooks.signal?.aborted)
            break;
        hooks.onProgress?.({ canary, stable, weight: target, finished: false });
        const startedAt = new Date().toISOString();
        await moveTraffic(router, (0,slots/* weightsFor */.NK)(canary, target), { ...log, info: () => { } });
        weight = target;
        log.info(`step ${index + 1}/${plan.steps.length}: canary ${canary} at ${target}% (${(0,slots/* formatWeights */.V7)((0,slots/* weightsFor */.NK)(canary, target))})`);
        await hooks.record?.progress(`canary ${target}%`);
        let step;
        if (gate) {
            const since = index === 0 && plan.resumedFrom !== undefined && gate.settings.since === undefined
                ? plan.resumedFrom
                : undefined;
            if (since !== undefined)
                log.info(`the gate judges the pause since the last step, ${new Date(since).toISOString()}`);
            const result = await (0,packages_gate/* runAnalysis */.A1)(gate.source, gate.checks, since === undefined ? gate.settings : { ...gate.settings, since }, log, hooks.signal ? { signal: hooks.signal } : {});
            step = {
                weight: target,
                verdict: result.verdict,
                reason: result.reason,
                measurements: result.measurements,
                startedAt,
            };
        }
        else {
            await (0,util/* sleep */.yy)(plan.holdMs, hooks.signal);
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
                log.info(`on-failure is hold: traffic stays at ${(0,slots/* formatWeights */.V7)((0,slots/* weightsFor */.NK)(canary, target))}`);
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
    else
        log.info(`canary ${canary} passed; the walk stops at ${after[canary]}% as asked (held)`);
    return finish('pass', `${plan.steps.length} step(s) passed`, after, false);
}
/** Puts the stable slot back to 100% if a walk was left mid-way (the post step's job). */
async function restoreAfterInterruptedWalk(router, stable, log) {
    const now = await router.read();
    if (now[stable] === 100) {
        log.info(`stable ${stable} already carries 100% (${(0,slots/* formatWeights */.V7)(now)}): nothing to restore`);
        return false;
    }
    log.info(`the canary walk was interrupted at ${(0,slots/* formatWeights */.V7)(now)}: restoring stable ${stable} to 100%`);
    try {
        await moveTraffic(router, (0,slots/* weightsFor */.NK)((0,slots/* otherSlot */.jx)(stable), 0), log);
    }
    catch (e) {
        throw new Error(`could not restore stable ${stable}: ${(0,action_kit/* errorMessage */.gJ)(e)}`);
    }
    log.info(`restored: stable ${stable} carries 100%`);
    return true;
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/rollback-decision.js
/**
 * Where a rollback sends traffic, decided from facts only: the router's weights and this
 * service's deployment records on this router (newest first). It never guesses: when the facts
 * do not prove where the last good release is, it refuses and says why. Pure: no I/O, no clock.
 */

const ASK_FOR_TO = 'Name the slot to restore with `to: blue` or `to: green`.';
const GOOD_STATES = ['success', 'inactive'];
const isDeploy = (r) => r.payload.strategy !== 'rollback';
const isGood = (r) => GOOD_STATES.includes(r.state);
function describeRecord(r) {
    return `deployment ${r.id} (${r.payload.strategy} to ${r.payload.slot}, ${r.payload.image ?? 'no image recorded'}, ${r.state})`;
}
function decideRollback(facts) {
    const { weights, to } = facts;
    const live = (0,slots/* liveSlot */.dz)(weights);
    const seen = [`router: ${(0,slots/* formatWeights */.V7)(weights)}${live ? ` (live: ${live})` : ' (split)'}`];
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
    if (records.length === 0)
        return more('There are no deployment records of this service on this router.');
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
    const liveIndex = records.findIndex((r) => isDeploy(r) && r.payload.slot === live);
    if (liveIndex < 0)
        return more(`No deployment record says which release ${live} (the live slot) holds.`);
    const liveRelease = records[liveIndex];
    seen.push(`${live} (live) holds ${describeRecord(liveRelease)}`);
    const rolledBack = new Set(records.flatMap((r) => r.payload.rolled_back_id === undefined ? [] : [r.payload.rolled_back_id]));
    const good = (r) => isGood(r) && !rolledBack.has(r.id);
    // A rollback to the live slot is the newest change: it already happened (e.g. a re-run).
    const newest = records[0];
    if (newest.payload.strategy === 'rollback' && isGood(newest) && newest.payload.slot === live) {
        seen.push(`newest record: ${describeRecord(newest)}`);
        return {
            action: 'nothing-to-do',
            target: live,
            why: `${live} already carries 100%: nothing to roll back (deployment ${newest.id} already rolled back to it)`,
            facts: seen,
            restored: liveRelease,
        };
    }
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
    if (candidateOffset < 0)
        return more(`No good release of this service before the live one (${describeRecord(liveRelease)}) is recorded: there is nothing known to go back to.`);
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
    const stable = newest.payload.stable ?? (0,slots/* otherSlot */.jx)(canary);
    if (newest.payload.strategy !== 'canary' || isGood(newest) || stable === canary) {
        return {
            action: 'refuse',
            why: `traffic is split (${(0,slots/* formatWeights */.V7)(weights)}) and no unfinished canary record explains it (the newest record is ${describeRecord(newest)}); which slot is stable would be a guess. ${ASK_FOR_TO}`,
            facts: seen,
        };
    }
    const restored = records.find((r) => r !== newest && isDeploy(r) && r.payload.slot === stable);
    if (restored)
        seen.push(`stable ${stable} holds ${describeRecord(restored)}`);
    return {
        action: 'move',
        target: stable,
        why: `traffic is split (${(0,slots/* formatWeights */.V7)(weights)}) by canary deployment ${newest.id}; its stable slot is ${stable}`,
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
                why: `deployment ${id} (deployment-id) is not among this service's records on this router. ${ASK_FOR_TO}`,
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
    const back = (0,slots/* otherSlot */.jx)(slot);
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
/** At most this many records are read; the newest ones always decide well before. */
const MAX_RECORDS = 200;
async function rollback(router, plan, history, log, hooks = {}) {
    const before = await router.read();
    log.info(`router: ${router.describe()}`);
    log.info(`traffic now: ${(0,slots/* formatWeights */.V7)(before)}`);
    const previous = (0,slots/* liveSlot */.dz)(before) ?? 'split';
    const stays = `traffic stays at ${(0,slots/* formatWeights */.V7)(before)}`;
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
    const result = (after, switched, checked = {}) => ({
        router: router.describe(),
        before,
        after,
        previous,
        active: (0,slots/* liveSlot */.dz)(after) ?? 'split',
        target: decision.target,
        switched,
        dryRun: plan.dryRun,
        decision,
        ...checked,
        notes: [...router.notes],
        ...(decision.restored ? { restored: decision.restored } : {}),
    });
    if (decision.action === 'nothing-to-do') {
        if (plan.nothingToDo === 'fail')
            throw new RollbackRefused(`${decision.why}. Set \`nothing-to-do: succeed\` if that is fine (e.g. a re-run).`, decision.facts, router.describe());
        log.info(`${decision.why} (nothing-to-do: succeed).`);
        return result(before, false);
    }
    log.info(`rollback to ${decision.target}: ${decision.why}`);
    const health = plan.health
        ? await requireHealthy({ ...plan.health, url: forSlot(plan.health.url, decision.target) }, log, stays)
        : undefined;
    if (!health)
        log.warning(NO_HEALTH_URL);
    const checked = health ? { health } : { healthSkipped: NO_HEALTH_URL };
    if (plan.dryRun) {
        log.info(`dry run: would move traffic from ${(0,slots/* formatWeights */.V7)(before)} to ${(0,slots/* formatWeights */.V7)((0,slots/* allOn */.PT)(decision.target))}; nothing moved.`);
        return result(before, false, checked);
    }
    const after = await moveTraffic(router, (0,slots/* allOn */.PT)(decision.target), log);
    log.info(`rolled back: ${decision.target} carries 100%`);
    // Asked for a slot by name: the records (if any) only name the release it holds, for the record's ref.
    const restored = decision.restored ??
        (hooks.record && !('unavailable' in history)
            ? await holderOf(decision.target, history, plan.recordsTimeoutMs, log)
            : undefined);
    await hooks.record?.start({
        strategy: 'rollback',
        slot: decision.target,
        weights: (0,slots/* allOn */.PT)(decision.target),
        previous,
        ...(decision.undone ? { undone: { id: decision.undone.id } } : {}),
        ...(restored
            ? {
                restored: {
                    id: restored.id,
                    sha: restored.sha,
                    ...(restored.payload.image ? { image: restored.payload.image } : {}),
                },
            }
            : {}),
    });
    return { ...result(after, true, checked), ...(restored ? { restored } : {}) };
}
/**
 * Reads records only as far as the decision needs, within `timeoutMs`; records that cannot be
 * read are a fact too (the decision then refuses and names the cause).
 */
async function decideFromHistory(weights, history, plan, log) {
    const timeoutMs = plan.recordsTimeoutMs;
    const undo = plan.undo === undefined ? {} : { undo: plan.undo };
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
/** What the router asked an operator to know, as a list (or nothing). */
function notesSection(notes) {
    return notes.length === 0 ? '' : `**Router notes**\n\n${notes.map((n) => `- ⚠️ ${n}`).join('\n')}`;
}
function switchReport(result) {
    const title = result.dryRun
        ? `Blue-green switch (dry run): would move traffic to ${result.target}`
        : result.switched
            ? `Blue-green switch: ${result.previous} → ${result.active}`
            : `Blue-green switch: ${result.active} was already live, nothing moved`;
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(title), weightsTable(result.before, result.after), action_kit/* markdown.table */.wD.table(['router', 'health check', 'took'], [[result.router, healthText(result.health, result.healthSkipped), `${result.elapsedMs} ms`]]), slotsLine(result), notesSection(result.notes));
}
/** A table per step and charts of weight and the first check. */
function canaryReport(result) {
    if (result.dryRun)
        return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`Canary ${result.canary} (dry run): nothing moved`), `Traffic: ${(0,slots/* formatWeights */.V7)(result.before)}. Router: ${result.router}.`, slotsLine(result), notesSection(result.notes));
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
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading(`${icon} ${title}`), `${result.reason}. Router: ${result.router}. Traffic before: ${(0,slots/* formatWeights */.V7)(result.before)}; after: ${(0,slots/* formatWeights */.V7)(result.after)}.`, overview, ...perStep, ...charts, notesSection(result.notes));
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
    ]), `**Facts used**\n\n${decision.facts.map((f) => `- ${f}`).join('\n')}`, notesSection(result.notes));
}
/** A refused rollback: why, and the facts it rests on (nothing moved). */
function refusalReport(refusal) {
    return action_kit/* markdown.sections */.wD.sections(action_kit/* markdown.heading */.wD.heading('Rollback refused: nothing moved'), refusal.message, refusal.router ? `Router: ${refusal.router}.` : '', refusal.facts.length > 0
        ? `**Facts used**\n\n${refusal.facts.map((f) => `- ${f}`).join('\n')}`
        : '');
}

;// CONCATENATED MODULE: ./build/tsc/packages/traffic/index.js












/***/ })

};
