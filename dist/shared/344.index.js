export const id = 344;
export const ids = [344];
export const modules = {

/***/ 4344:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1082);
/* harmony import */ var _packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4402);


const YAML_INPUTS = ['prometheus-headers', 'checks', 'vars', 'preset'];
async function main(io) {
    const servers = (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseServerLists */ .Yt)(io.inputs.yaml('servers'), `Input 'servers'`);
    const gate = (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .parseGate */ .Xi)((key) => (YAML_INPUTS.includes(key) ? io.inputs.yaml(key) : io.inputs.string(key)), (key) => key, { provided: servers ? ['canary-servers', 'stable-servers'] : [] });
    for (const value of gate.secrets)
        io.secret(value);
    const { source, checks, settings } = gate.bind(servers ? { canaryServers: servers.canary, stableServers: servers.stable } : {});
    const result = await io.group(`Metrics gate: ${checks.length} check(s), ${settings.count} measurement(s) ${settings.interval} ms apart`, () => (0,_packages_gate_index_js__WEBPACK_IMPORTED_MODULE_1__/* .runAnalysis */ .A1)(source, checks, settings, io.log));
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
