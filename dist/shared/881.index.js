export const id = 881;
export const ids = [881];
export const modules = {

/***/ 1881:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(796);
/* harmony import */ var _packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1623);



async function main(io) {
    const { inputs } = io;
    const env = process.env;
    const image = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseImageName */ ["if"])('image', inputs.string('image', { required: true }));
    const context = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(inputs.workspace, inputs.string('context') || '.');
    const file = inputs.optional('file');
    const dockerfile = file === undefined
        ? (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(context, 'Dockerfile')
        : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(file)
            ? file
            : (0,node_path__WEBPACK_IMPORTED_MODULE_0__.resolve)(inputs.workspace, file);
    const given = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseTags */ .rL)('tags', inputs.string('tags'));
    const tags = given.length > 0
        ? given
        : (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .defaultTags */ .nK)({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' });
    const buildArgs = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseKeyValues */ .Hl)('build-args', inputs.string('build-args'));
    const userLabels = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parseKeyValues */ .Hl)('labels', inputs.string('labels'));
    const target = inputs.optional('target');
    const platforms = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .parsePlatforms */ .qA)('platforms', inputs.string('platforms'));
    const engineChoice = inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto');
    const cache = inputs.enum('cache', ['gha', 'none'], 'none');
    const reproducible = inputs.boolean('reproducible', false);
    if (cache === 'gha' && engineChoice === 'buildah') {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`);
    }
    (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .checkContext */ .M_)(context, dockerfile);
    const engine = await (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .chooseEngine */ .mN)(engineChoice, io.log);
    if (cache === 'gha' && engine === 'buildah') {
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_1__/* .ConfigurationError */ .j1(`Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`);
    }
    const timestamp = reproducible ? (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .commitTime */ .bX)(context) : undefined;
    const labels = {
        ...(0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ociLabels */ .TT)({
            serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
            repository: env.GITHUB_REPOSITORY ?? '',
            sha: env.GITHUB_SHA ?? '',
            createdSeconds: timestamp ?? Math.floor(Date.now() / 1000),
            tags,
        }),
        ...userLabels,
    };
    const archive = (0,node_path__WEBPACK_IMPORTED_MODULE_0__.join)(env.RUNNER_TEMP || '/tmp', `cutover-image-${process.pid}-${Date.now()}.tar`);
    const result = await io.group(`Build ${image} with ${engine}`, () => (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .buildImage */ ._w)(engine, {
        context,
        file: dockerfile,
        tags: tags.map((t) => `${image}:${t}`),
        buildArgs,
        labels,
        ...(target ? { target } : {}),
        platforms,
        ...(timestamp !== undefined ? { timestamp } : {}),
        cache,
    }, archive, io.log));
    io.output({
        digest: result.digest,
        archive: result.archive,
        tags: result.tags.join('\n'),
        metadata: JSON.stringify({
            image,
            engine,
            digest: result.digest,
            archive: result.archive,
            tags: result.tags,
            labels,
        }),
    });
    await io.summary((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_2__/* .buildReport */ .FK)(result));
}


/***/ })

};
