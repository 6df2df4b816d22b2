export const id = 430;
export const ids = [430];
export const modules = {

/***/ 4430:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/action.js
var action = __webpack_require__(1897);
// EXTERNAL MODULE: ./build/tsc/packages/image/index.js + 9 modules
var packages_image = __webpack_require__(2715);
;// CONCATENATED MODULE: ./build/tsc/actions/build-image/main.js

async function main(io) {
    const { inputs } = io;
    const settings = (0,packages_image/* readBuildSettings */.IK)({
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
    const built = await (0,packages_image/* build */.jq)(settings, io);
    io.output((0,packages_image/* buildOutputs */.JZ)(built));
    await io.summary((0,packages_image/* buildReport */.FK)(built));
}

;// CONCATENATED MODULE: ./build/tsc/actions/build-image/index.js
/**
 * The main entry of build-image: dist/build-image/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */


const run = () => (0,action/* runEntry */.CN)(main);


/***/ })

};
