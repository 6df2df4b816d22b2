export const id = 344;
export const ids = [344];
export const modules = {

/***/ 4344:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(796);
/* harmony import */ var _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8029);


const YAML_INPUTS = ['prometheus-headers', 'checks', 'vars'];
async function main(io) {
    const config = (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseGateConfig */ .t0)((key) => (YAML_INPUTS.includes(key) ? io.inputs.yaml(key) : io.inputs.string(key)), (key) => key);
    for (const value of Object.values(config.headers))
        io.secret(value);
    const source = new _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .PrometheusSource */ .yw(config.prometheus, config.headers);
    const { count, interval } = config.settings;
    const result = await io.group(`Metrics gate: ${config.checks.length} check(s), ${count} measurement(s) ${interval} ms apart`, () => (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .runAnalysis */ .A1)(source, config.checks, config.settings, io.log));
    io.output({
        verdict: result.verdict,
        report: JSON.stringify({
            verdict: result.verdict,
            reason: result.reason,
            measurements: result.measurements,
        }),
    });
    await io.summary((0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .gateReport */ .We)(result, 'Metrics gate'));
    io.log.info(`verdict: ${result.verdict}: ${result.reason}`);
    if (result.verdict !== 'pass')
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .DeploymentFailed */ .Nr(`metrics gate verdict is ${result.verdict}: ${result.reason}`);
}


/***/ })

};
