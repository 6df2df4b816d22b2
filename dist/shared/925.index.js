export const id = 925;
export const ids = [925];
export const modules = {

/***/ 925:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main),
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(796);
/* harmony import */ var _packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1623);




const AUTH_STATE = 'auth-file';
async function main(io) {
    const { inputs } = io;
    const auths = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .parseRegistryAuth */ .bf)(inputs.yaml('registry-auth'));
    for (const a of auths)
        io.secret(a.password);
    const sourceInput = inputs.string('source', { required: true });
    const destinations = inputs
        .string('destinations', { required: true })
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((d) => (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .parseReference */ .F2)('destinations', d));
    const retries = inputs.integer('retries', 3, 0, 10);
    const tlsVerify = inputs.boolean('tls-verify', true);
    const insecure = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .parseList */ .E1)(inputs.string('insecure-registries'));
    if (!tlsVerify && insecure.length === 0) {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'tls-verify' is false, but 'insecure-registries' names no registry; name the registries to reach without TLS verification.`);
    }
    if (tlsVerify && insecure.length > 0)
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'insecure-registries' is set, but 'tls-verify' is true; set tls-verify: false to use it.`);
    const certsDir = inputs.optional('certs-dir');
    let source;
    let sourceRegistry;
    if (sourceInput.includes('@') ||
        (/^[a-z0-9.-]+(:\d+)?\//.test(sourceInput) &&
            !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(inputs.workspace, sourceInput)))) {
        const ref = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .parseReference */ .F2)('source', sourceInput, { requireDigest: true });
        source = `docker://${ref.name}@${ref.digest}`;
        sourceRegistry = ref.registry;
    }
    else {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(sourceInput) ? sourceInput : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(inputs.workspace, sourceInput);
        if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path) || !(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(path).isFile()) {
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'source' is ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(sourceInput)}, which is neither an existing OCI archive nor registry/repo@sha256:...`);
        }
        source = `oci-archive:${path}`;
    }
    const temp = process.env.RUNNER_TEMP || '/tmp';
    let authFile;
    if (auths.length > 0) {
        authFile = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(temp, `cutover-auth-${process.pid}-${Date.now()}.json`);
        io.saveState(AUTH_STATE, authFile);
        await (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .writeAuthFile */ .Yt)(authFile, auths);
    }
    try {
        const result = await io.group(`Push to ${destinations.length} destination(s)`, () => (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .pushImage */ .GH)({
            source,
            ...(sourceRegistry ? { sourceRegistry } : {}),
            destinations,
            ...(authFile ? { authFile } : {}),
            retries,
            insecure,
            ...(certsDir ? { certsDir: (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(inputs.workspace, certsDir) } : {}),
        }, temp, io.log));
        io.output({ digest: result.digest, refs: result.refs.join('\n') });
        await io.summary((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .pushReport */ .rS)(result));
    }
    finally {
        if (authFile)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(authFile, { force: true });
    }
}
/** Removes the temporary auth file even if main was killed before its own clean-up. */
async function post(io) {
    const authFile = io.getState(AUTH_STATE);
    if (!authFile)
        return;
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(authFile, { force: true });
    io.log.info('push-registry post: the temporary registry auth file is removed');
}


/***/ })

};
