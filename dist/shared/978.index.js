export const id = 978;
export const ids = [978];
export const modules = {

/***/ 8978:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(796);
/* harmony import */ var _packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1233);
/* harmony import */ var _packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4457);
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3440);




async function main(io) {
    const { inputs } = io;
    const config = (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseRouterConfig */ .zC)(inputs.yaml('router', { required: true }), {
        workspace: inputs.workspace,
    });
    const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle');
    const healthUrl = inputs.optional('health-url');
    const health = healthUrl === undefined
        ? undefined
        : {
            url: parseUrl('health-url', healthUrl),
            checks: inputs.integer('health-checks', 3, 1, 100),
            interval: inputs.duration('health-interval', 1000, { min: 100, max: 600_000 }),
            timeout: inputs.duration('health-timeout', 30_000, { min: 100, max: 3_600_000 }),
        };
    const dryRun = inputs.boolean('dry-run', false);
    const records = (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .readRecordSettings */ .LL)(inputs, io.secret);
    const recorder = await _packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .Recorder */ .vk.open(records, io.log);
    const result = await io.group('Blue-green switch', () => recorder.around(() => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_3__/* .blueGreenSwitch */ .iu)((0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .openRouter */ .Y5)(config), { to, dryRun, ...(health ? { health } : {}) }, io.log, {
        onPlan: ({ previous, target }) => recorder.start({
            strategy: 'blue-green',
            slot: target,
            weights: (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .allOn */ .PT)(target),
            previous: { slot: previous },
            router: (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .routerSummary */ .YJ)(config),
        }),
    }), (r) => ({ outcome: 'success', description: `${r.previous} -> ${r.active}` })));
    io.output({
        active: result.active,
        previous: result.previous,
        switched: result.switched,
        ...(recorder.deploymentId === undefined ? {} : { 'deployment-id': recorder.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_3__/* .switchReport */ .vC)(result));
}
/** An http(s) URL; `{{slot}}` may stand for the target slot's name. */
function parseUrl(name, value) {
    let url;
    try {
        url = new URL((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_3__/* .forSlot */ .Gg)(value, 'blue'));
    }
    catch {
        url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input '${name}' has the value ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(value)}; allowed: an http:// or https:// URL, where {{slot}} stands for the target slot's name.`);
    }
    return value;
}


/***/ })

};
