export const id = 961;
export const ids = [961];
export const modules = {

/***/ 7961:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Kubeconfig: () => (/* binding */ Kubeconfig),
/* harmony export */   KubeconfigProblem: () => (/* binding */ KubeconfigProblem)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_net__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7030);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var js_yaml__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3243);
/* harmony import */ var _kubernetes_client_node_dist_azure_auth_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5779);
/* harmony import */ var _kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6617);
/* harmony import */ var _kubernetes_client_node_dist_exec_auth_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3497);
/* harmony import */ var _kubernetes_client_node_dist_file_auth_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5752);
/* harmony import */ var _kubernetes_client_node_dist_gcp_auth_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(9704);
/**
 * The runner's kubeconfig and its credentials, read with @kubernetes/client-node's own pieces: its
 * parser of clusters, users and contexts (config_types) and its authenticators (exec credential
 * plugins such as EKS's and GKE's, token files and the in-cluster service account token, the
 * legacy gcp and azure auth-providers). Its KubeConfig class is not used: that module imports
 * every generated API, 19.6 MB bundled, of which cutover calls six endpoints
 * (kubernetes-api.ts makes those requests itself). The deep imports are safe because the client
 * is pinned to one exact version in package.json.
 *
 * Loaded by dynamic import only (kubernetes-api.ts), so it lands in a chunk of its own that no
 * other router or action loads.
 */









const SERVICEACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
/** A problem with the kubeconfig whose message names fields only, never their values: safe to show. */
class KubeconfigProblem extends Error {
    name = 'KubeconfigProblem';
}
class Kubeconfig {
    clusters;
    users;
    contexts;
    current;
    authenticators = [
        new _kubernetes_client_node_dist_azure_auth_js__WEBPACK_IMPORTED_MODULE_4__/* .AzureAuth */ .M(),
        new _kubernetes_client_node_dist_gcp_auth_js__WEBPACK_IMPORTED_MODULE_8__/* .GoogleCloudPlatformAuth */ .m(),
        new _kubernetes_client_node_dist_exec_auth_js__WEBPACK_IMPORTED_MODULE_6__/* .ExecAuth */ .K(),
        new _kubernetes_client_node_dist_file_auth_js__WEBPACK_IMPORTED_MODULE_7__/* .FileAuth */ .v(),
    ];
    constructor(clusters, users, contexts, current) {
        this.clusters = clusters;
        this.users = users;
        this.contexts = contexts;
        this.current = current;
    }
    /** One kubeconfig file; relative certificate paths are taken from its directory, as kubectl does. */
    static fromFile(file) {
        const text = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8');
        let doc;
        try {
            doc = (0,js_yaml__WEBPACK_IMPORTED_MODULE_3__/* .load */ .Hh)(text);
        }
        catch {
            // Never the parser's message: it quotes the file, and the file holds credentials.
            throw new KubeconfigProblem('not valid YAML');
        }
        if (!doc || typeof doc !== 'object' || Array.isArray(doc))
            throw new KubeconfigProblem('not a kubeconfig (no mapping at the top)');
        const o = doc;
        let kc;
        try {
            kc = new Kubeconfig((0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_5__/* .newClusters */ .MA)(o.clusters), (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_5__/* .newUsers */ .bw)(o.users), (0,_kubernetes_client_node_dist_config_types_js__WEBPACK_IMPORTED_MODULE_5__/* .newContexts */ .FE)(o.contexts), typeof o['current-context'] === 'string' ? o['current-context'] : undefined);
        }
        catch (e) {
            // The client's messages name the missing field ("clusters[0].cluster.server is missing").
            const code = e.code;
            if (code)
                throw e;
            throw new KubeconfigProblem(String(e.message).slice(0, 200));
        }
        const root = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(file);
        const absolute = (p) => (p && !(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(p) ? (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(root, p) : p);
        for (const c of kc.clusters)
            c.caFile = absolute(c.caFile);
        for (const u of kc.users) {
            u.certFile = absolute(u.certFile);
            u.keyFile = absolute(u.keyFile);
        }
        return kc;
    }
    /**
     * The client's lookup: the files in KUBECONFIG (merged, the first to name a context, cluster or
     * user, or to set current-context, wins, as kubectl merges), else ~/.kube/config, else the
     * in-cluster service account. Undefined when none exists.
     */
    static fromDefault(env) {
        const files = (env.KUBECONFIG ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter).filter(Boolean);
        if (files.length > 0) {
            const all = files.map((f) => Kubeconfig.fromFile(f));
            const first = all[0];
            for (const other of all.slice(1))
                first.merge(other);
            return first;
        }
        const home = env.HOME;
        if (home && exists((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(home, '.kube', 'config')))
            return Kubeconfig.fromFile((0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(home, '.kube', 'config'));
        if (exists(`${SERVICEACCOUNT}/token`))
            return Kubeconfig.inCluster(env);
        return undefined;
    }
    /** The pod's service account, as the client's loadFromCluster reads it. */
    static inCluster(env) {
        const host = env.KUBERNETES_SERVICE_HOST ?? '';
        const port = env.KUBERNETES_SERVICE_PORT ?? '443';
        if (!host)
            throw new KubeconfigProblem('a service account token is mounted but KUBERNETES_SERVICE_HOST is not set');
        return new Kubeconfig([
            {
                name: 'inCluster',
                server: `https://${(0,node_net__WEBPACK_IMPORTED_MODULE_1__.isIPv6)(host) ? `[${host}]` : host}:${port}`,
                caFile: `${SERVICEACCOUNT}/ca.crt`,
                skipTLSVerify: false,
            },
        ], [
            {
                name: 'inClusterUser',
                authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICEACCOUNT}/token` } },
            },
        ], [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser' }], 'inClusterContext');
    }
    merge(other) {
        this.current ??= other.current;
        const add = (mine, theirs) => {
            for (const t of theirs)
                if (!mine.some((m) => m.name === t.name))
                    mine.push(t);
        };
        add(this.clusters, other.clusters);
        add(this.users, other.users);
        add(this.contexts, other.contexts);
    }
    get currentContext() {
        return this.current;
    }
    /** False when there is no context of that name. */
    useContext(name) {
        if (!this.contexts.some((c) => c.name === name))
            return false;
        this.current = name;
        return true;
    }
    context() {
        return this.contexts.find((c) => c.name === this.current);
    }
    cluster() {
        const context = this.context();
        return context && this.clusters.find((c) => c.name === context.cluster);
    }
    user() {
        const context = this.context();
        return context && this.users.find((u) => u.name === context.user);
    }
    /**
     * The TLS options and headers for one request, as the client's applyToHTTPSOptions makes them:
     * CA, client certificate and key (from files or data), skip-verify, tls-server-name,
     * impersonation, then the user's authenticator (which may run an exec plugin), a token, or basic auth.
     */
    async credentials() {
        const cluster = this.cluster();
        const user = this.user();
        const out = { headers: {} };
        if (cluster?.skipTLSVerify)
            out.rejectUnauthorized = false;
        if (cluster?.tlsServerName)
            out.servername = cluster.tlsServerName;
        const ca = fileOrData(cluster?.caFile, cluster?.caData);
        if (ca)
            out.ca = ca;
        if (!user)
            return out;
        const cert = fileOrData(user.certFile, user.certData);
        if (cert)
            out.cert = cert;
        const key = fileOrData(user.keyFile, user.keyData);
        if (key)
            out.key = key;
        if (user.impersonateUser)
            out.headers['Impersonate-User'] = user.impersonateUser;
        const provider = user.authProvider;
        const authenticator = this.authenticators.find((a) => a.isAuthProvider(user));
        if (authenticator) {
            const opts = { headers: {} };
            await authenticator.applyAuthentication(user, opts);
            for (const [k, v] of Object.entries(opts.headers ?? {}))
                out.headers[k] = String(v);
            if (opts.cert)
                out.cert = opts.cert;
            if (opts.key)
                out.key = opts.key;
        }
        else if (provider?.name === 'oidc') {
            out.headers.Authorization = `Bearer ${oidcToken(provider.config ?? {})}`;
        }
        else if (provider?.name) {
            throw new KubeconfigProblem(`user ${user.name} uses auth-provider ${JSON.stringify(provider.name)}, which the Kubernetes client does not know; use an exec credential plugin`);
        }
        if (user.token)
            out.headers.Authorization = `Bearer ${user.token.trim()}`;
        else if (user.username && !out.headers.Authorization)
            out.headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ''}`).toString('base64')}`;
        return out;
    }
}
/**
 * The `oidc` auth-provider's id-token while it is valid. Refreshing it needs the client's OIDC
 * module, which imports its KubeConfig and with it every generated API: an expired token is a
 * clear error instead.
 */
function oidcToken(config) {
    const token = config['id-token'];
    if (!token)
        throw new KubeconfigProblem('the oidc auth-provider has no id-token');
    let exp;
    try {
        exp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).exp;
    }
    catch {
        throw new KubeconfigProblem('the oidc auth-provider id-token is not a JWT');
    }
    if (typeof exp === 'number' && exp <= Date.now() / 1000)
        throw new KubeconfigProblem(`the oidc auth-provider id-token expired at ${new Date(exp * 1000).toISOString()}; cutover does not refresh it: refresh it before the step (any kubectl command does) or use an exec credential plugin such as kubelogin`);
    return token;
}
function exists(path) {
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.accessSync)(path);
        return true;
    }
    catch {
        return false;
    }
}
function fileOrData(file, data) {
    if (file)
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file);
    if (data)
        return Buffer.from(data, 'base64');
    return undefined;
}


/***/ })

};
