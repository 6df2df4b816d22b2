export const id = 881;
export const ids = [881];
export const modules = {

/***/ 1881:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var _packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2715);

async function main(io) {
    const { inputs } = io;
    const settings = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .readBuildSettings */ .IK)({
        image: inputs.string('image', { required: true }),
        context: inputs.string('context'),
        file: inputs.optional('file'),
        tags: inputs.string('tags'),
        buildArgs: inputs.string('build-args'),
        labels: inputs.string('labels'),
        target: inputs.optional('target'),
        platforms: inputs.string('platforms'),
        engine: inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto'),
        cache: inputs.enum('cache', ['gha', 'none'], 'none'),
        reproducible: inputs.boolean('reproducible', false),
        timeoutMs: inputs.duration('build-timeout', 60 * 60_000, { min: 60_000, max: 6 * 3_600_000 }),
        secrets: inputs.string('secrets'),
        buildxUrl: inputs.optional('buildx-url'),
        buildxSha256: inputs.optional('buildx-sha256'),
    }, { workspace: inputs.workspace, env: io.env });
    const built = await (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .build */ .jq)(settings, io);
    io.output((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .buildOutputs */ .JZ)(built));
    await io.summary((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_0__/* .buildReport */ .FK)(built));
}


/***/ })

};
