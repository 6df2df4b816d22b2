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
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7015);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4194);
/* harmony import */ var _common_recording_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6720);
/* harmony import */ var _common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1899);





const WALK_STATE = 'walk';
async function main(io) {
    const { inputs } = io;
    const router = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readRouter */ .MX)(inputs, io.log);
    const plan = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readCanaryPlan */ .CP)(inputs, router, io.secret);
    const context = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .githubContext */ .h)(io.env);
    const records = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .readRecordSettings */ .L)(inputs, io.secret, context);
    const rollout = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readRollout */ .wW)(inputs, records.image);
    const traffic = router.open();
    const recording = await _common_recording_js__WEBPACK_IMPORTED_MODULE_3__/* .Recording */ .K.open(records, context, traffic, io.log);
    const resumedFrom = (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .walkResumedFrom */ .f3)(recording.continued);
    const result = await io.group(`Canary: steps ${plan.steps.join(' → ')}%`, () => recording.around(() => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .runCanary */ .i7)(traffic, {
        ...plan,
        ...(rollout ? { rollout } : {}),
        ...(resumedFrom === undefined ? {} : { resumedFrom }),
    }, io.log, {
        record: recording,
        signal: (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .stopSignal */ .Zm)(io.log, 'stopping the canary walk and restoring the stable slot'),
        // What the post step needs if this process dies mid-walk.
        onProgress: (progress) => io.saveState(WALK_STATE, JSON.stringify({ ...progress, deploymentId: recording.deploymentId })),
    }), (r) => (r.dryRun ? undefined : (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryOutcome */ .hr)(r))));
    io.output({
        weight: result.weight,
        canary: result.canary,
        stable: result.stable,
        ...(result.dryRun ? {} : { verdict: result.verdict }),
        live: result.live,
        idle: result.idle,
        'idle-servers': JSON.stringify(result.idleServers),
        ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .canaryReport */ .pb)(result));
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
    const router = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readRouter */ .MX)(io.inputs, io.log).open();
    await (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .restoreAfterInterruptedWalk */ .wD)(router, walk.stable, io.log);
    if (walk.deploymentId === undefined)
        return;
    // The walk was aborted: its record ends as a failure, never left "in progress" at a weight.
    const context = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .githubContext */ .h)(io.env);
    const settings = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .readRecordSettings */ .L)(io.inputs, io.secret, context);
    const recording = await _common_recording_js__WEBPACK_IMPORTED_MODULE_3__/* .Recording */ .K.open({ ...settings, deploymentId: walk.deploymentId }, context, router, io.log);
    await recording.end({
        outcome: 'failure',
        description: `walk interrupted; stable ${walk.stable} restored by the post step`,
    });
}


/***/ })

};
