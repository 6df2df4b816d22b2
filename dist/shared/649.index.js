export const id = 649;
export const ids = [649];
export const modules = {

/***/ 7649:
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
    const to = inputs.enum('to', ['previous', 'blue', 'green'], 'previous');
    const reason = inputs.string('reason');
    if (reason.length > 1000) {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .ConfigurationError */ .j1(`Input 'reason' is ${reason.length} characters long; allowed: at most 1000 (it was ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_0__/* .quote */ .hD)(reason.slice(0, 40) + '...')}).`);
    }
    const dryRun = inputs.boolean('dry-run', false);
    const settings = (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .readRecordSettings */ .LL)(inputs, io.secret);
    if (reason)
        io.log.info(`reason: ${reason}`);
    // Records are read to find "previous" even with record: false; only writing is switched off.
    const reader = await _packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .Recorder */ .vk.open({ ...settings, enabled: true }, io.log);
    const recorder = settings.enabled ? reader : await _packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .Recorder */ .vk.open(settings, io.log);
    const result = await io.group('Rollback', () => recorder.around(() => (0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_3__/* .rollback */ .dU)((0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .openRouter */ .Y5)(config), { to, dryRun }, reader, io.log, {
        onMoved: (decision, before) => recorder.start({
            strategy: 'rollback',
            slot: decision.target,
            weights: (0,_packages_router_index_js__WEBPACK_IMPORTED_MODULE_2__/* .allOn */ .PT)(decision.target),
            previous: {
                slot: before.blue === 100 ? 'blue' : before.green === 100 ? 'green' : 'split',
            },
            router: (0,_packages_records_index_js__WEBPACK_IMPORTED_MODULE_1__/* .routerSummary */ .YJ)(config),
            ...(decision.rolledBack ? { rolled_back_id: decision.rolledBack.id } : {}),
            ...(decision.restored ? { restored_deployment_id: decision.restored.id } : {}),
            ...(decision.restored?.payload.image
                ? { image: decision.restored.payload.image }
                : {}),
            ...(reason ? { reason } : {}),
        }, { afterTraffic: true }),
    }), (r) => ({
        outcome: 'success',
        description: `rolled back to ${r.decision.target}${reason ? `: ${reason}` : ''}`,
    })));
    io.output({
        active: result.active,
        ...(result.decision.restored ? { 'restored-deployment-id': result.decision.restored.id } : {}),
        ...(recorder.deploymentId === undefined ? {} : { 'deployment-id': recorder.deploymentId }),
    });
    await io.summary((0,_packages_traffic_index_js__WEBPACK_IMPORTED_MODULE_3__/* .rollbackReport */ .F3)(result, reason));
}


/***/ })

};
