export const id = 978;
export const ids = [978];
export const modules = {

/***/ 8978:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7015);
/* harmony import */ var _common_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4194);
/* harmony import */ var _common_recording_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6720);
/* harmony import */ var _common_records_inputs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1899);




async function main(io) {
    const { inputs } = io;
    const router = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .readRouter */ .MX)(inputs, io.log);
    const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle');
    const health = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .readHealth */ .L8)(inputs);
    const dryRun = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .readDryRun */ .n0)(inputs);
    const context = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .githubContext */ .h)(io.env);
    const records = (0,_common_records_inputs_js__WEBPACK_IMPORTED_MODULE_3__/* .readRecordSettings */ .L)(inputs, io.secret, context);
    const rollout = (0,_common_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .readRollout */ .wW)(inputs, records.image);
    const traffic = router.open();
    const recording = await _common_recording_js__WEBPACK_IMPORTED_MODULE_2__/* .Recording */ .K.open(records, context, traffic, io.log);
    const result = await io.group('Blue-green switch', () => recording.around(() => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_0__/* .blueGreenSwitch */ .iu)(traffic, { to, dryRun, ...(health ? { health } : {}), ...(rollout ? { rollout } : {}) }, io.log, { record: recording }), 
    // A dry run (a pipeline's plan) leaves the record it opened in progress for the next steps.
    (r) => r.dryRun || !r.switched
        ? undefined
        : { outcome: 'success', description: `${r.previous} -> ${r.active}` }));
    io.output({
        active: result.active,
        previous: result.previous,
        switched: result.switched,
        live: result.live,
        idle: result.idle,
        'idle-servers': JSON.stringify(result.idleServers),
        ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_0__/* .switchReport */ .vC)(result));
}


/***/ })

};
