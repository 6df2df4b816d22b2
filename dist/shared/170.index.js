export const id = 170;
export const ids = [170];
export const modules = {

/***/ 2170:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   run: () => (/* binding */ run)
/* harmony export */ });
/* harmony import */ var _packages_action_kit_action_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1897);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(925);
/**
 * The main entry of push-registry: dist/push-registry/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */


const run = () => (0,_packages_action_kit_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runEntry */ .CN)(_main_js__WEBPACK_IMPORTED_MODULE_1__/* .main */ .i);


/***/ }),

/***/ 925:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   b: () => (/* binding */ post),
/* harmony export */   i: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2715);

const AUTH_STATE = 'auth-file';
async function main(io) {
    const { inputs } = io;
    // Masked before any other value is read, so no later message can show a password.
    const auths = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .parseRegistryAuth */ .bf)(inputs.yaml('registry-auth'));
    for (const a of auths)
        io.secret(a.password);
    const settings = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .readPushSettings */ .sT)({
        auths,
        source: inputs.string('source', { required: true }),
        destinations: inputs.string('destinations', { required: true }),
        retries: inputs.integer('retries', 3, 0, 10),
        timeoutMs: inputs.duration('push-timeout', 30 * 60_000, { min: 10_000, max: 6 * 3_600_000 }),
        tlsVerify: inputs.boolean('tls-verify', true),
        insecureRegistries: inputs.string('insecure-registries'),
        certsDir: inputs.optional('certs-dir'),
    }, { workspace: inputs.workspace, env: io.env });
    const result = await (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .push */ .VC)(settings, {
        log: io.log,
        group: io.group,
        onAuthFile: (path) => io.saveState(AUTH_STATE, path),
    });
    io.output({ digest: result.digest, refs: result.refs.join('\n') });
    await io.summary((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .pushReport */ .rS)(result));
}
/** Removes the temporary auth file even if main was killed before its own clean-up. */
async function post(io) {
    const authFile = io.getState(AUTH_STATE);
    if (!authFile)
        return;
    (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .removeAuthFile */ .vP)(authFile);
    io.log.info('push-registry post: the temporary registry auth file is removed');
}


/***/ })

};
