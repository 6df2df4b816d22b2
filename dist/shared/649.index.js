export const id = 649;
export const ids = [649];
export const modules = {

/***/ 7649:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7015);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4194);
/* harmony import */ var _common_recording_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6720);
/* harmony import */ var _common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1899);





/** How long `to: previous` waits for the records before it gives up and fails. */
const RECORDS_TIMEOUT_MS = 20_000;
async function main(io) {
    const { inputs } = io;
    const router = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readRouter */ .MX)(inputs, io.log);
    const to = inputs.enum('to', ['previous', 'blue', 'green'], 'previous');
    const reason = inputs.string('reason');
    if (reason.length > 1000) {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'reason' is ${reason.length} characters long; allowed: at most 1000 (it was ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(reason.slice(0, 40) + '...')}).`);
    }
    const nothingToDo = inputs.enum('nothing-to-do', ['fail', 'succeed'], 'fail');
    const health = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readHealth */ .L8)(inputs);
    const dryRun = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .readDryRun */ .n0)(inputs);
    const context = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .githubContext */ .h)(io.env);
    const settings = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .readRecordSettings */ .L)(inputs, io.secret, context);
    if (to === 'previous' && settings.environment === '')
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'environment' is required with to: previous: its deployment records say where "previous" is. Give the environment, or name the slot with to: blue or to: green.`);
    // deployment-id names the release this rollback undoes (e.g. a pipeline's plan record).
    const { deploymentId: undoneId, ...records } = settings;
    if (reason)
        io.log.info(`reason: ${reason}`);
    const traffic = router.open();
    const recording = await _common_recording_js__WEBPACK_IMPORTED_MODULE_3__/* .Recording */ .K.open(records, context, traffic, io.log, {
        ...(reason ? { reason } : {}),
        ...(undoneId === undefined ? {} : { undoneId }),
    });
    const history = (0,_common_recording_js__WEBPACK_IMPORTED_MODULE_3__/* .openHistory */ .j)(records, context, traffic, io.log);
    const result = await io
        .group('Rollback', () => recording.around(() => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .rollback */ .dU)(traffic, {
        to,
        dryRun,
        nothingToDo,
        recordsTimeoutMs: RECORDS_TIMEOUT_MS,
        ...(undoneId === undefined ? {} : { undo: undoneId }),
        ...(health ? { health } : {}),
    }, history, io.log, 
    // Without records to write, nothing needs reading once traffic moved.
    records.enabled && records.token ? { record: recording } : {}), (r) => r.switched
        ? {
            outcome: 'success',
            description: `rolled back to ${r.target}${reason ? `: ${reason}` : ''}`,
        }
        : undefined))
        .catch(async (e) => {
        // A refusal moved nothing; the summary says why and on which facts.
        if (e instanceof _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .RollbackRefused */ .vs)
            await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .refusalReport */ .Xl)(e));
        throw e;
    });
    // The named release never went live: its record ends as failed (the pipeline aborted it).
    if (result.decision.action === 'nothing-to-do' && undoneId !== undefined)
        await recording.failUndone(undoneId, result.decision.why);
    const restored = result.restored;
    io.output({
        active: result.active,
        previous: result.previous,
        switched: result.switched,
        ...(restored ? { 'restored-deployment-id': restored.id } : {}),
        ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_1__/* .rollbackReport */ .F3)(result, reason));
}


/***/ })

};
