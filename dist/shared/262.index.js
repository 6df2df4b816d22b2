export const id = 262;
export const ids = [262];
export const modules = {

/***/ 1881:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   main: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(796);
/* harmony import */ var _packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6881);




async function main(io) {
    const { inputs } = io;
    const image = (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .parseImageName */ ["if"])('image', inputs.string('image', { required: true }));
    const context = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(inputs.workspace, inputs.string('context') || '.');
    const file = inputs.optional('file');
    const dockerfile = file === undefined
        ? (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(context, 'Dockerfile')
        : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(file)
            ? file
            : (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(inputs.workspace, file);
    const env = process.env;
    const tagList = list(inputs.string('tags'));
    for (const tag of tagList) {
        if ((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .sanitizeTag */ .iP)(tag) !== tag || tag.length === 0) {
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'tags' has ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(tag)}; allowed: lower-case letters, digits, _ . - (at most 128), not starting with . or -.`);
        }
    }
    const tags = (tagList.length > 0
        ? tagList
        : (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .defaultTags */ .nK)({ sha: env.GITHUB_SHA ?? 'local00', ref: env.GITHUB_REF ?? '' })).map((t) => `${image}:${t}`);
    const buildArgs = keyValues(inputs, 'build-args');
    const userLabels = keyValues(inputs, 'labels');
    const target = inputs.optional('target');
    const platforms = list(inputs.string('platforms'));
    for (const p of platforms) {
        if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(p))
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'platforms' has ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(p)}; allowed: os/arch[/variant], e.g. linux/amd64.`);
    }
    const engineChoice = inputs.enum('engine', ['auto', 'docker', 'buildah'], 'auto');
    const cache = inputs.enum('cache', ['gha', 'none'], 'none');
    const reproducible = inputs.boolean('reproducible', false);
    if (cache === 'gha' && engineChoice === 'buildah')
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'cache' is "gha", which only docker buildx supports; with engine: buildah use cache: none.`);
    (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .checkContext */ .M_)(context, dockerfile);
    const engine = await (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .chooseEngine */ .mN)(engineChoice, io.log);
    if (cache === 'gha' && engine === 'buildah')
        throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input 'cache' is "gha", but no Docker daemon answers here, so buildah builds; use cache: none.`);
    const timestamp = reproducible ? commitTime(context) : undefined;
    const created = new Date((timestamp ?? Math.floor(Date.now() / 1000)) * 1000).toISOString();
    const version = tags.map((t) => t.slice(image.length + 1)).find((t) => /^\d+\.\d+\.\d+/.test(t)) ??
        tags[0]?.slice(image.length + 1) ??
        '';
    const labels = {
        'org.opencontainers.image.source': `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}`,
        'org.opencontainers.image.revision': env.GITHUB_SHA ?? '',
        'org.opencontainers.image.created': created,
        'org.opencontainers.image.version': version,
        ...userLabels,
    };
    const archive = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(env.RUNNER_TEMP || '/tmp', `cutover-image-${process.pid}-${Date.now()}.tar`);
    const result = await io.group(`Build ${image} with ${engine}`, () => (0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .buildImage */ ._w)(engine, {
        context,
        file: dockerfile,
        tags,
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
    await io.summary((0,_packages_image_index_js__WEBPACK_IMPORTED_MODULE_3__/* .buildReport */ .FK)(result));
}
function list(value) {
    return value
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter(Boolean);
}
function keyValues(inputs, name) {
    const out = {};
    for (const line of inputs
        .string(name)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)) {
        const eq = line.indexOf('=');
        if (eq <= 0)
            throw new _packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .ConfigurationError */ .j1(`Input '${name}' has the line ${(0,_packages_action_kit_index_js__WEBPACK_IMPORTED_MODULE_2__/* .quote */ .hD)(line)}; allowed: KEY=VALUE, one per line.`);
        out[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return out;
}
/** The commit time of HEAD in the context, or 0 outside git: the same source gives the same digest. */
function commitTime(context) {
    try {
        return (Number((0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.execFileSync)('git', ['-C', context, 'log', '-1', '--format=%ct'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
        }).trim()) || 0);
    }
    catch {
        return 0;
    }
}


/***/ })

};
