export const id = 686;
export const ids = [686];
export const modules = {

/***/ 9686:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./build/tsc/packages/action-kit/action.js
var action = __webpack_require__(1897);
// EXTERNAL MODULE: ./build/tsc/actions/common/notify.js + 4 modules
var common_notify = __webpack_require__(7358);
// EXTERNAL MODULE: ./build/tsc/packages/action-kit/index.js + 1 modules
var action_kit = __webpack_require__(1082);
// EXTERNAL MODULE: ./build/tsc/packages/traffic/index.js + 11 modules
var packages_traffic = __webpack_require__(6224);
// EXTERNAL MODULE: ./build/tsc/packages/records/index.js + 6 modules
var packages_records = __webpack_require__(5352);
// EXTERNAL MODULE: ./build/tsc/actions/common/inputs.js + 1 modules
var common_inputs = __webpack_require__(1657);
// EXTERNAL MODULE: ./build/tsc/actions/common/outcome.js
var common_outcome = __webpack_require__(2135);
// EXTERNAL MODULE: ./build/tsc/actions/common/recording.js
var common_recording = __webpack_require__(3212);
// EXTERNAL MODULE: ./build/tsc/actions/common/records-inputs.js
var records_inputs = __webpack_require__(1899);
;// CONCATENATED MODULE: ./build/tsc/actions/rollback/main.js








/** How long `to: previous` waits for the records before it gives up and fails. */
const RECORDS_TIMEOUT_MS = 20_000;
async function main(io) {
    const { inputs } = io;
    const router = (0,common_inputs/* readRouter */.MX)(inputs, io.log, io.env, io.secret);
    const to = inputs.enum('to', ['previous', 'blue', 'green'], 'previous');
    const reason = inputs.string('reason');
    if (reason.length > 1000) {
        throw new action_kit/* ConfigurationError */.j1(`Input 'reason' is ${reason.length} characters long; allowed: at most 1000 (it was ${(0,action_kit/* quote */.hD)(reason.slice(0, 40) + '...')}).`);
    }
    const nothingToDo = inputs.enum('nothing-to-do', ['fail', 'succeed'], 'fail');
    const health = (0,common_inputs/* readHealth */.L8)(inputs);
    const dryRun = (0,common_inputs/* readDryRun */.n0)(inputs);
    const context = (0,records_inputs/* githubContext */.h4)(io.env);
    const settings = (0,records_inputs/* readRecordSettings */.LL)(inputs, io.secret, context);
    const mode = (0,common_inputs/* readRollbackMode */.AE)(inputs, { to, dryRun, settings });
    const aborted = inputs.optional('aborted-deployment-id');
    const abortedId = aborted === undefined
        ? undefined
        : (0,action_kit/* parseInteger */.cG)('aborted-deployment-id', aborted, 1, Number.MAX_SAFE_INTEGER);
    // An abort request moves nothing here: the walk it stops sends its own rollback notification.
    const notify = (0,common_notify/* readNotify */.Qx)(io, 'rollback', settings, { dryRun: dryRun || mode.requestAbort });
    const outcome = new common_outcome/* OutcomeOutputs */.j(io);
    // A rollback judges nothing (verdict none): its figures are the facts its decision rests on.
    const nothingMoved = { verdict: 'none', rolledBack: false, reason: '' };
    if (mode.requestAbort) {
        // Moves no traffic: the walk in progress stops itself at its next look and restores stable.
        if (reason)
            io.log.info(`reason: ${reason}`);
        const records = settings;
        const traffic = router.open();
        const asked = await (0,packages_records/* requestWalkAbort */.z6)(records, context, {
            router: { type: traffic.type, name: traffic.name },
            log: io.log,
            reason,
        });
        if ('none' in asked) {
            io.log.info(`request-abort: ${asked.none}; nothing changed.`);
            outcome.write(nothingMoved);
            io.output({ switched: false });
            await io.summary(`## Abort requested: no walk in progress\n\n${asked.none}; nothing changed.\n`);
            return;
        }
        const walk = asked.posted;
        const message = `request-abort: abort requested on deployment ${walk.id} (canary of ${records.service} to ${walk.payload.slot}, last status "${walk.statusDescription}"). The walk puts stable ${walk.payload.stable ?? 'back'} at 100% at its next look (within one gate interval, or 10 s while it holds) and fails; no traffic was moved by this step.`;
        io.log.info(message);
        outcome.write({ ...nothingMoved, figures: { 'aborted-deployment-id': walk.id } });
        io.output({ switched: false, 'aborted-deployment-id': walk.id });
        await io.summary(`## Abort requested on deployment ${walk.id}\n\n${message}\n`);
        return;
    }
    if (to === 'previous' && settings.environment === '')
        throw new action_kit/* ConfigurationError */.j1(`Input 'environment' is required with to: previous: its deployment records say where "previous" is. Give the environment, or name the slot with to: blue or to: green.`);
    // deployment-id names the release this rollback undoes (e.g. a pipeline's plan record).
    const { deploymentId: undoneId, ...records } = settings;
    if (reason)
        io.log.info(`reason: ${reason}`);
    const traffic = router.open();
    const recording = await common_recording/* Recording */.K4.open(records, context, traffic, io.log, {
        ...(reason ? { reason } : {}),
        ...(undoneId === undefined ? {} : { undoneId }),
    });
    const history = (0,common_recording/* openHistory */.jC)(records, context, traffic, io.log);
    outcome.enter('weight');
    const result = await io
        .group('Rollback', () => recording.around(() => (0,packages_traffic/* rollback */.dU)(traffic, {
        to,
        dryRun,
        nothingToDo,
        recordsTimeoutMs: RECORDS_TIMEOUT_MS,
        scope: mode.scope,
        ...(router.kind === 'flag' ? { flag: true } : {}),
        ...(undoneId === undefined ? {} : { undo: undoneId }),
        ...(health ? { health } : {}),
    }, history, io.log, 
    // Without records to write, nothing needs reading once traffic moved.
    records.enabled && records.token ? { record: recording } : {}), (r) => r.switched
        ? {
            outcome: 'success',
            description: `rolled back to ${r.target}${reason ? `: ${reason}` : ''}`,
        }
        : undefined))
        .catch(async (e) => {
        // A refusal moved nothing; the summary says why and on which facts.
        if (e instanceof packages_traffic/* RollbackRefused */.vs)
            await io.summary((0,packages_traffic/* refusalReport */.Xl)(e));
        // scope: deployment with nothing of that deployment's to undo: nothing moved, and that is fine.
        if (e instanceof packages_traffic/* RollbackStoodDown */.eU)
            return e;
        outcome.failed(e);
        notify.failed(e, traffic);
        throw e;
    });
    if (result instanceof packages_traffic/* RollbackStoodDown */.eU) {
        io.log.info(`scope: deployment: ${result.message}`);
        if (result.facts.length > 0)
            io.log.info(`facts used:\n${result.facts.map((f) => `  - ${f}`).join('\n')}`);
        // This run's record never moved traffic: it is over, not left "in progress".
        if (result.endOwn)
            await recording.failUndone(result.endOwn.id, result.message);
        outcome.write({ ...nothingMoved, figures: { facts: result.facts } });
        io.output({ switched: false });
        await io.summary(`## Rollback: nothing changed (scope: deployment)\n\n${result.message}\n${result.facts.length > 0 ? `\n**Facts used**\n\n${result.facts.map((f) => `- ${f}`).join('\n')}\n` : ''}`);
        return;
    }
    // The named release never went live: its record ends as failed (the pipeline aborted it).
    if (result.decision.action === 'nothing-to-do' && undoneId !== undefined)
        await recording.failUndone(undoneId, result.decision.why, history);
    const restored = result.restored;
    // Traffic moved before this: the notification never delays a rollback.
    notify.rolledBack(result, traffic, reason);
    // The button's rollback job after an abort request: the walk put stable back itself, and its
    // rollback record (the newest, undoing the aborted deployment) proves it. Anything else, such
    // as a stale walk record whose abort nobody acted on, is not a rollback by this run.
    const byAbortedWalk = result.decision.action === 'nothing-to-do' &&
        abortedId !== undefined &&
        result.decision.rolledBackBy?.payload.rolled_back_id === abortedId
        ? result.decision.rolledBackBy
        : undefined;
    const rolledBack = (result.switched && !result.dryRun) || byAbortedWalk !== undefined;
    outcome.write({
        verdict: 'none',
        figures: {
            decision: result.decision.action,
            facts: result.decision.facts,
            ...(result.health
                ? { health: { url: result.health.url, 'in-a-row': result.health.passedInARow } }
                : {}),
        },
        rolledBack,
        reason: byAbortedWalk
            ? `the canary walk of deployment ${abortedId} stopped on the abort request and put ${result.target} back at 100% (its rollback record: deployment ${byAbortedWalk.id})`
            : `rolled back to ${result.target}: ${reason || result.decision.why}`,
    });
    io.output({
        active: result.active,
        previous: result.previous,
        switched: result.switched,
        ...(restored ? { 'restored-deployment-id': restored.id } : {}),
        ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
    });
    await io.summary((0,packages_traffic/* rollbackReport */.F3)(result, reason));
    // Traffic is back where routers answered; the ones that did not must page someone.
    if (result.unreached.length > 0)
        throw new action_kit/* DeploymentFailed */.Nr((0,packages_traffic/* unreachedMessage */.ZF)(rolledBack
            ? `rolled back: ${result.target} carries 100%`
            : `${result.target} carries 100% where the routers answered`, result.unreached, result.after));
}

;// CONCATENATED MODULE: ./build/tsc/actions/rollback/index.js
/**
 * The main entry of rollback: dist/rollback/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */



const run = () => (0,action/* runEntry */.CN)((0,common_notify/* notifying */.Cm)(main));


/***/ })

};
