export const id = 186;
export const ids = [186];
export const modules = {

/***/ 8186:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main),
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(796);
/* harmony import */ var _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8029);
/* harmony import */ var _packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4457);
/* harmony import */ var _packages_records_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1233);
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3440);





const WALK_STATE = 'walk';
async function main(io) {
    const { inputs } = io;
    const router = readRouter(inputs);
    const steps = readSteps(inputs);
    const holdMs = inputs.duration('interval', 60_000, { min: 100, max: 6 * 3_600_000 });
    const canaryInput = inputs.optional('canary');
    const canary = canaryInput === undefined ? undefined : inputs.enum('canary', ['blue', 'green'], 'blue');
    const onFailure = inputs.enum('on-failure', ['rollback', 'hold'], 'rollback');
    const gate = readGate(inputs, holdMs);
    // Validate the gate now, with stand-in slot names: unknown {{vars}} fail before anything moves.
    const headers = gate?.({ canary: 'green', stable: 'blue' }).headers ?? {};
    for (const value of Object.values(headers))
        io.secret(value);
    const records = (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_3__/* .readRecordSettings */ .LL)(inputs, io.secret);
    const last = steps[steps.length - 1];
    const recorder = await _packages_records_index_js__WEBPACK_IMPORTED_MODULE_3__/* .Recorder */ .vk.open(records, io.log);
    const stop = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM']) {
        process.once(signal, () => {
            io.log.info(`received ${signal}: stopping the canary walk and restoring the stable slot`);
            stop.abort();
        });
    }
    const plan = { steps, holdMs, onFailure, ...(canary ? { canary } : {}) };
    if (gate) {
        plan.gate = (slots) => {
            const config = gate(slots);
            return {
                source: new _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .PrometheusSource */ .yw(config.prometheus, config.headers),
                checks: config.checks,
                settings: config.settings,
            };
        };
    }
    const walk = () => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_4__/* .runCanary */ .i7)((0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .openRouter */ .Y5)(router), plan, io.log, {
        signal: stop.signal,
        onProgress: (progress) => io.saveState(WALK_STATE, JSON.stringify(progress)),
        onStart: ({ canary, stable, before }) => recorder.start({
            strategy: 'canary',
            slot: canary,
            stable,
            weights: {
                blue: canary === 'blue' ? last : 100 - last,
                green: canary === 'green' ? last : 100 - last,
            },
            previous: { slot: before[stable] === 100 ? stable : 'split' },
            router: (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_3__/* .routerSummary */ .YJ)(router),
        }),
    });
    const result = await io.group(`Canary: steps ${steps.join(' → ')}%`, () => recorder.around(walk, (r) => ({
        outcome: r.verdict === 'pass' ? 'success' : 'failure',
        description: r.reason,
    })));
    io.output({
        weight: result.weight,
        canary: result.canary,
        stable: result.stable,
        verdict: result.verdict,
        ...(recorder.deploymentId === undefined ? {} : { 'deployment-id': recorder.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_4__/* .canaryReport */ .pb)(result));
    if (result.verdict !== 'pass') {
        const where = result.rolledBack
            ? `stable ${result.stable} is back at 100%`
            : `traffic held with canary ${result.canary} at ${result.weight}%`;
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentFailed */ .Nr(`${result.reason}; ${where}.`);
    }
}
/** Runs even when the job was cancelled: if main died mid-walk, the stable slot gets 100% back. */
async function post(io) {
    const saved = io.getState(WALK_STATE);
    if (!saved) {
        io.log.info('canary-step post: no walk was started; nothing to restore.');
        return;
    }
    const walk = JSON.parse(saved);
    if (walk.finished) {
        io.log.info('canary-step post: the walk finished in the main step; nothing to restore.');
        return;
    }
    await (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_4__/* .restoreAfterInterruptedWalk */ .wD)((0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .openRouter */ .Y5)(readRouter(io.inputs)), walk.stable, io.log);
}
function readRouter(inputs) {
    return (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseRouterConfig */ .zC)(inputs.yaml('router', { required: true }), {
        workspace: inputs.workspace,
    });
}
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
    const items = steps.split(/[\s,]+/).filter(Boolean);
    const values = items.map((item) => {
        try {
            return (0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parsePercent */ .lo)('steps', item);
        }
        catch {
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'steps' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(steps)}: ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(item)} is not a whole percentage from 0 to 100.`);
        }
    });
    values.forEach((v, i) => {
        if (i > 0 && v <= values[i - 1]) {
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'steps' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(steps)}; steps must go up: ${values[i - 1]} is followed by ${v}.`);
        }
    });
    return values;
}
function readGate(inputs, holdMs) {
    const value = inputs.yaml('gate');
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'gate' must be a YAML mapping (prometheus, checks, ...), got ${Array.isArray(value) ? 'a list' : (0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(value)}.`);
    }
    const map = value;
    const unknown = Object.keys(map).filter((k) => !_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .GATE_KEYS */ .L4.includes(k));
    if (unknown.length > 0)
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'gate' has unknown key ${unknown.map(_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD).join(', ')}; allowed: ${_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .GATE_KEYS */ .L4.join(', ')}.`);
    const build = ({ canary, stable }) => {
        const config = (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseGateConfig */ .t0)((key) => map[key], (key) => `gate.${key}`, { canary, stable });
        // Without an explicit count, the gate measures through the whole step: one interval in, then every interval.
        const count = map.count === undefined
            ? Math.max(1, Math.floor(holdMs / config.settings.interval))
            : config.settings.count;
        const initialDelay = map['initial-delay'] === undefined ? config.settings.interval : config.settings.initialDelay;
        return { ...config, settings: { ...config.settings, count, initialDelay } };
    };
    return build;
}


/***/ })

};
