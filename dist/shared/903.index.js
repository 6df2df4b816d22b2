export const id = 903;
export const ids = [903];
export const modules = {

/***/ 1903:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/action.js
var action = __webpack_require__(1897);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/gate/index.js + 9 modules
var packages_gate = __webpack_require__(4402);
;// CONCATENATED MODULE: ./build/tsc/actions/metrics-gate/main.js


const YAML_INPUTS = ['prometheus-headers', 'checks', 'vars', 'preset'];
async function main(io) {
    const servers = (0,packages_gate/* parseServerLists */.Yt)(io.inputs.yaml('servers'), `Input 'servers'`);
    const gate = (0,packages_gate/* parseGate */.Xi)((key) => (YAML_INPUTS.includes(key) ? io.inputs.yaml(key) : io.inputs.string(key)), (key) => key, { provided: servers ? ['canary-servers', 'stable-servers'] : [] });
    for (const value of gate.secrets)
        io.secret(value);
    const { source, checks, settings } = gate.bind(servers ? { canaryServers: servers.canary, stableServers: servers.stable } : {});
    const result = await io.group(`Metrics gate: ${checks.length} check(s), ${settings.count} measurement(s) ${settings.interval} ms apart`, () => (0,packages_gate/* runAnalysis */.A1)(source, checks, settings, io.log));
    io.output({
        verdict: result.verdict,
        report: JSON.stringify({
            verdict: result.verdict,
            reason: result.reason,
            measurements: result.measurements,
        }),
    });
    await io.summary((0,packages_gate/* gateReport */.We)(result, 'Metrics gate'));
    io.log.info(`verdict: ${result.verdict}: ${result.reason}`);
    if (result.verdict !== 'pass')
        throw new action_kit/* DeploymentFailed */.Nr(`metrics gate verdict is ${result.verdict}: ${result.reason}`);
}

;// CONCATENATED MODULE: ./build/tsc/actions/metrics-gate/index.js
/**
 * The main entry of metrics-gate: dist/metrics-gate/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */


const run = () => (0,action/* runEntry */.CN)(main);


/***/ })

};
