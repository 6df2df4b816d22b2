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
/* harmony import */ var _packages_router_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4457);
/* harmony import */ var _packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(634);



async function main(io) {
    const { inputs } = io;
    const config = (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseRouterConfig */ .zC)(inputs.yaml('router', { required: true }), {
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
    const result = await io.group('Blue-green switch', () => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_2__/* .blueGreenSwitch */ .iu)((0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_1__/* .openRouter */ .Y5)(config), { to, dryRun, ...(health ? { health } : {}) }, io.log));
    io.output({ active: result.active, previous: result.previous, switched: result.switched });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_2__/* .switchReport */ .vC)(result));
}
/** An http(s) URL; `{{slot}}` may stand for the target slot's name. */
function parseUrl(name, value) {
    let url;
    try {
        url = new URL((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_2__/* .forSlot */ .Gg)(value, 'blue'));
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
