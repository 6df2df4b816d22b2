export const id = 119;
export const ids = [119];
export const modules = {

/***/ 3119:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DeploymentsApi: () => (/* binding */ DeploymentsApi),
/* harmony export */   GitHubError: () => (/* binding */ GitHubError)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _action_kit_index_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(796);
/**
 * The few GitHub Deployments calls we make, through @actions/github's Octokit, with retries for
 * outages and errors that say what to do. Loaded only by actions that record.
 */


class GitHubError extends Error {
    status;
    name = 'GitHubError';
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
class DeploymentsApi {
    context;
    log;
    retry;
    octokit;
    owner;
    repo;
    constructor(token, context, log, retry = { attempts: 4, backoffMs: 500 }) {
        this.context = context;
        this.log = log;
        this.retry = retry;
        this.octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { baseUrl: context.apiUrl });
        const [owner, repo] = context.repository.split('/');
        if (!owner || !repo)
            throw new GitHubError(`GITHUB_REPOSITORY is ${JSON.stringify(context.repository)}, not owner/repo`);
        this.owner = owner;
        this.repo = repo;
    }
    async create(input) {
        const response = await this.call('create the deployment', () => this.octokit.rest.repos.createDeployment({
            owner: this.owner,
            repo: this.repo,
            ref: this.context.sha,
            environment: input.environment,
            task: input.task,
            auto_merge: false,
            required_contexts: [],
            payload: input.payload,
            production_environment: input.production,
            description: input.description,
        }));
        if (response.status === 202) {
            throw new GitHubError(`GitHub answered 202 without creating a deployment: ${response.data.message ?? 'it merged the default branch into the ref'}`, 202);
        }
        return response.data;
    }
    async status(id, state, extra = {}) {
        await this.call(`set deployment ${id} to ${state}`, () => this.octokit.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: id,
            state,
            log_url: this.context.runUrl,
            ...(extra.description ? { description: extra.description.slice(0, 140) } : {}),
            ...(extra.environmentUrl ? { environment_url: extra.environmentUrl } : {}),
            auto_inactive: false,
        }));
    }
    /** Deployments of the environment, newest first, a page at a time. */
    async *deployments(environment) {
        for (let page = 1;; page++) {
            const response = await this.call(`list deployments of ${environment}`, () => this.octokit.rest.repos.listDeployments({
                owner: this.owner,
                repo: this.repo,
                environment,
                per_page: 100,
                page,
            }));
            yield* response.data;
            if (!/rel="next"/.test(String(response.headers.link ?? '')))
                return;
        }
    }
    /** Every status of a deployment, newest first. */
    async statuses(id) {
        const out = [];
        for (let page = 1;; page++) {
            const response = await this.call(`list statuses of deployment ${id}`, () => this.octokit.rest.repos.listDeploymentStatuses({
                owner: this.owner,
                repo: this.repo,
                deployment_id: id,
                per_page: 100,
                page,
            }));
            out.push(...response.data);
            if (!/rel="next"/.test(String(response.headers.link ?? '')))
                return out;
        }
    }
    /** Runs one API call: outages (5xx, network) are retried with backoff; other errors say what to do. */
    async call(what, request) {
        for (let attempt = 1;; attempt++) {
            try {
                return await request();
            }
            catch (e) {
                const status = e.status;
                const message = e.response?.data?.message ??
                    (0,_action_kit_index_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(e);
                const outage = status === undefined || status >= 500 || status === 429;
                if (outage && attempt < this.retry.attempts) {
                    const wait = this.retry.backoffMs * 2 ** (attempt - 1);
                    this.log.info(`GitHub API: ${what} failed (${status ?? 'no answer'}: ${message}); retrying in ${wait} ms (${attempt}/${this.retry.attempts - 1})`);
                    await new Promise((r) => setTimeout(r, wait));
                    continue;
                }
                throw new GitHubError(explain(what, status, message, attempt), status);
            }
        }
    }
}
function explain(what, status, message, attempts) {
    if (status === 403 && /not accessible by integration/i.test(message)) {
        return `GitHub refused to ${what}: ${message}. The workflow's token needs the deployments permission: add \`permissions: { deployments: write, contents: read }\` to the job.`;
    }
    if (status === 401)
        return `GitHub refused to ${what}: ${message}. Check the \`token\` input.`;
    if (status === 409)
        return `GitHub could not ${what}: 409 Conflict: ${message}`;
    if (status === 404)
        return `GitHub could not ${what}: 404 ${message} (is the repository or deployment right, and does the token see it?)`;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return `GitHub could not ${what}${tries}: ${status ?? 'no answer'} ${message}`;
}


/***/ })

};
