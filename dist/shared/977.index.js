export const id = 977;
export const ids = [977];
export const modules = {

/***/ 8186:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ post),
/* harmony export */   i: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_domain_index_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(545);
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6224);
/* harmony import */ var _common_notify_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7358);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1657);
/* harmony import */ var _common_outcome_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2135);
/* harmony import */ var _common_recording_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3212);
/* harmony import */ var _common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1899);
/* harmony import */ var _packages_records_index_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5352);









const WALK_STATE = 'walk';
/** How long the automatic rollback waits for the records to name the release stable holds (ms). */
const RECORDS_TIMEOUT_MS = 10_000;
async function main(io) {
    const { inputs } = io;
    const router = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readRouter */ .MX)(inputs, io.log, io.env, io.secret);
    const plan = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readCanaryPlan */ .CP)(inputs, router, io.secret);
    const context = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__/* .githubContext */ .h4)(io.env);
    const records = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__/* .readRecordSettings */ .LL)(inputs, io.secret, context);
    const rollout = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readRollout */ .wW)(inputs, records.image);
    const notify = (0,_common_notify_js__WEBPACK_IMPORTED_MODULE_2__/* .readNotify */ .Qx)(io, 'canary-step', records, { dryRun: plan.dryRun });
    const waiting = inputs.string('notify-waiting');
    const traffic = router.open();
    const recording = await _common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .Recording */ .K4.open(records, context, traffic, io.log, { claim: true });
    // If the walk puts stable back, it writes the record a rollback writes (a new deployment).
    const rollbackSettings = (0,_common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .rollbackRecordSettings */ .Vk)(records);
    const rollback = records.enabled && records.token && !plan.dryRun
        ? {
            record: await _common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .Recording */ .K4.open(rollbackSettings, context, traffic, io.log),
            history: (0,_common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .openHistory */ .jC)(rollbackSettings, context, traffic, io.log),
        }
        : undefined;
    const outcome = new _common_outcome_js__WEBPACK_IMPORTED_MODULE_4__/* .OutcomeOutputs */ .j(io);
    const resumedFrom = (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .walkResumedFrom */ .f3)(recording.continued);
    // What the earlier job left the router at: the walk checks it still holds that before raising.
    const resumedWeight = resumedFrom === undefined ? undefined : (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .walkResumedWeight */ .pk)(recording.continued);
    notify.send('start', {
        summary: `canary walk: steps ${plan.headerPhase ? 'header, ' : ''}${plan.steps.join(', ')}%`,
    });
    const result = await io
        .group(`Canary: steps ${plan.steps.join(' → ')}%`, () => recording.around(() => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .runCanary */ .i7)(traffic, {
        ...plan,
        ...(rollout ? { rollout } : {}),
        ...(resumedFrom === undefined ? {} : { resumedFrom }),
        ...(resumedWeight === undefined ? {} : { resumedWeight }),
    }, io.log, {
        record: recording,
        phase: outcome.enter,
        signal: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .stopSignal */ .Zm)(io.log, 'stopping the canary walk and restoring the stable slot'),
        // The rollback button: an abort request on the walk's deployment stops it.
        watch: {
            ...(0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_7__/* .openWalkWatch */ .Pc)(records, context, {
                log: io.log,
                deploymentId: () => recording.deploymentId,
            }),
            everyMs: _packages_records_index_js__WEBPACK_IMPORTED_MODULE_7__/* .ABORT_POLL_MS */ .w$,
        },
        ...(rollback
            ? {
                rollback: {
                    record: rollback.record,
                    ...('unavailable' in rollback.history ? {} : { history: rollback.history }),
                    recordsTimeoutMs: RECORDS_TIMEOUT_MS,
                },
            }
            : {}),
        onStep: notify.step(traffic),
        // What the post step needs if this process dies mid-walk.
        onProgress: (progress) => io.saveState(WALK_STATE, JSON.stringify({ ...progress, deploymentId: recording.deploymentId })),
    }), (r) => (r.dryRun ? undefined : (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryOutcome */ .hr)(r))))
        .catch(async (e) => {
        outcome.failed(e);
        notify.failed(e, traffic);
        // A failed smoke test: which server answered what, in the job summary too.
        if (e instanceof _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .SmokeFailed */ .dR)
            await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .smokeReport */ .Ih)(e.result));
        throw e;
    });
    notify.walked(result, traffic, waiting);
    if (result.rolledBack && rollback?.record.deploymentId !== undefined)
        await rollback.record.end({
            outcome: 'success',
            description: `rolled back to ${result.stable}: ${result.reason}`,
        });
    // The figures of the step that decided the walk: the last one judged with measurements.
    const judged = [...result.steps].reverse().find((s) => s.measurements.length > 0);
    outcome.write({
        verdict: result.dryRun ? 'none' : result.verdict,
        // A walk that passed holding in the header phase (steps: header) says header.
        phase: result.dryRun || result.verdict === 'pass'
            ? result.phase === 'header'
                ? 'header'
                : 'done'
            : (outcome.phase ?? 'weight'),
        figures: judged ? { step: judged.weight, checks: (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .gateFigures */ .wc)(judged.measurements) } : {},
        rolledBack: result.rolledBack,
        reason: result.reason,
    });
    io.output({
        weight: result.weight,
        canary: result.canary,
        stable: result.stable,
        live: result.live,
        idle: result.idle,
        'idle-servers': JSON.stringify(result.idleServers),
        ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryReport */ .pb)(result));
    if (result.unreached.length > 0)
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentFailed */ .Nr((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .unreachedMessage */ .ZF)(`${result.reason}; stable ${result.stable} is back at 100%`, result.unreached, result.after));
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
    const router = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readRouter */ .MX)(io.inputs, io.log, io.env, io.secret).open();
    const restore = await (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .restoreAfterInterruptedWalk */ .wD)(router, walk.stable, io.log);
    const reason = `walk interrupted; stable ${walk.stable} restored by the post step`;
    // After the move, never before: the main step validated these inputs already.
    if (restore.restored)
        (0,_common_notify_js__WEBPACK_IMPORTED_MODULE_2__/* .readNotify */ .Qx)(io, 'canary-step', (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__/* .readRecordSettings */ .LL)(io.inputs, io.secret, (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__/* .githubContext */ .h4)(io.env))).send('rollback', {
            summary: reason,
            reason,
            traffic: {
                router,
                after: (0,_packages_domain_index_js__WEBPACK_IMPORTED_MODULE_8__/* .weightsFor */ .NK)((0,_packages_domain_index_js__WEBPACK_IMPORTED_MODULE_8__/* .otherSlot */ .jx)(walk.stable), 0),
                unreached: restore.unreached,
            },
        });
    if (walk.deploymentId !== undefined) {
        // The walk was aborted: its record ends as a failure, never left "in progress" at a weight.
        const context = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__/* .githubContext */ .h4)(io.env);
        const settings = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_6__/* .readRecordSettings */ .LL)(io.inputs, io.secret, context);
        const recording = await _common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .Recording */ .K4.open({ ...settings, deploymentId: walk.deploymentId }, context, router, io.log);
        await recording.end({ outcome: 'failure', description: reason });
        if (restore.restored && settings.enabled && settings.token) {
            // The same record a rollback writes: stable back, the walk's record undone.
            const rollbackSettings = (0,_common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .rollbackRecordSettings */ .Vk)(settings);
            const record = await _common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .Recording */ .K4.open(rollbackSettings, context, router, io.log);
            const history = (0,_common_recording_js__WEBPACK_IMPORTED_MODULE_5__/* .openHistory */ .jC)(rollbackSettings, context, router, io.log);
            await (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .recordSelfRollback */ .OR)({
                record,
                ...('unavailable' in history ? {} : { history }),
                recordsTimeoutMs: RECORDS_TIMEOUT_MS,
            }, walk.deploymentId, {
                target: walk.stable,
                previous: (0,_packages_domain_index_js__WEBPACK_IMPORTED_MODULE_8__/* .liveSlot */ .dz)(restore.from) ?? 'split',
                unreached: restore.unreached,
                reason,
            }, io.log);
            if (record.deploymentId !== undefined)
                await record.end({
                    outcome: 'success',
                    description: `rolled back to ${walk.stable}: ${reason}`,
                });
        }
    }
    if (restore.unreached.length > 0)
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentFailed */ .Nr((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .unreachedMessage */ .ZF)(`stable ${walk.stable} restored by the post step`, restore.unreached, (0,_packages_domain_index_js__WEBPACK_IMPORTED_MODULE_8__/* .weightsFor */ .NK)((0,_packages_domain_index_js__WEBPACK_IMPORTED_MODULE_8__/* .otherSlot */ .jx)(walk.stable), 0)));
}


/***/ }),

/***/ 1977:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   run: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_action_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1897);
/* harmony import */ var _common_notify_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7358);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8186);
/**
 * The post entry of canary-step: dist/canary-step/post.js runs it (then exits), and @github/local-action
 * imports this file and calls run() (`--post post.ts`).
 */



const run = () => (0,_packages_action_kit_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runEntry */ .CN)((0,_common_notify_js__WEBPACK_IMPORTED_MODULE_1__/* .notifying */ .Cm)(_main_js__WEBPACK_IMPORTED_MODULE_2__/* .post */ .b));


/***/ })

};
