export const id = 921;
export const ids = [921];
export const modules = {

/***/ 4921:
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
// EXTERNAL MODULE: ./build/tsc/actions/common/inputs.js + 1 modules
var common_inputs = __webpack_require__(1657);
// EXTERNAL MODULE: ./build/tsc/actions/common/outcome.js
var common_outcome = __webpack_require__(2135);
// EXTERNAL MODULE: ./build/tsc/actions/common/recording.js
var common_recording = __webpack_require__(3212);
// EXTERNAL MODULE: ./build/tsc/actions/common/records-inputs.js
var records_inputs = __webpack_require__(1899);
;// CONCATENATED MODULE: ./build/tsc/actions/blue-green-switch/main.js







/** How long a bake's rollback waits for the records to name the release the old slot holds (ms). */
const RECORDS_TIMEOUT_MS = 10_000;
async function main(io) {
    const { inputs } = io;
    const router = (0,common_inputs/* readRouter */.MX)(inputs, io.log, io.env, io.secret);
    const to = inputs.enum('to', ['blue', 'green', 'idle'], 'idle');
    const health = (0,common_inputs/* readHealth */.L8)(inputs);
    const smoke = (0,common_inputs/* readSmoke */.kK)(inputs);
    const dryRun = (0,common_inputs/* readDryRun */.n0)(inputs);
    const context = (0,records_inputs/* githubContext */.h4)(io.env);
    const records = (0,records_inputs/* readRecordSettings */.LL)(inputs, io.secret, context);
    const rollout = (0,common_inputs/* readRollout */.wW)(inputs, records.image);
    const bake = (0,common_inputs/* readBake */.MF)(inputs, router, io.secret);
    const notify = (0,common_notify/* readNotify */.Qx)(io, 'blue-green-switch', records, { dryRun });
    const traffic = router.open();
    const outcome = new common_outcome/* OutcomeOutputs */.j(io);
    // If the bake puts the old slot back, it writes the record a rollback writes (a new deployment).
    const rollbackSettings = (0,common_recording/* rollbackRecordSettings */.Vk)(records);
    const rollback = bake && records.enabled && records.token && !dryRun
        ? {
            record: await common_recording/* Recording */.K4.open(rollbackSettings, context, traffic, io.log),
            history: (0,common_recording/* openHistory */.jC)(rollbackSettings, context, traffic, io.log),
        }
        : undefined;
    const recording = await common_recording/* Recording */.K4.open(records, context, traffic, io.log, { claim: true });
    notify.send('start', { summary: `blue-green switch to ${to === 'idle' ? 'the idle slot' : to}` });
    const result = await io
        .group('Blue-green switch', () => recording.around(() => (0,packages_traffic/* blueGreenSwitch */.iu)(traffic, {
        to,
        dryRun,
        ...(health ? { health } : {}),
        ...(smoke ? { smoke } : {}),
        ...(rollout ? { rollout } : {}),
        ...(bake ? { bake } : {}),
    }, io.log, {
        record: recording,
        phase: outcome.enter,
        ...(bake
            ? {
                signal: (0,common_inputs/* stopSignal */.Zm)(io.log, 'stopping the bake and putting the old slot back at 100%'),
            }
            : {}),
        ...(rollback
            ? {
                rollback: {
                    record: rollback.record,
                    ...('unavailable' in rollback.history ? {} : { history: rollback.history }),
                    recordsTimeoutMs: RECORDS_TIMEOUT_MS,
                },
            }
            : {}),
    }), 
    // A dry run (a pipeline's plan) leaves the record it opened in progress for the next steps.
    (r) => r.dryRun || !r.switched
        ? undefined
        : r.bake?.rolledBack
            ? {
                outcome: 'failure',
                description: `${r.bake.reason}; ${r.previous === 'split' ? 'the old slot' : r.previous} back at 100%`,
            }
            : {
                outcome: 'success',
                description: `${r.previous} -> ${r.active}${r.bake ? '; bake passed' : ''}`,
            }))
        .catch(async (e) => {
        // A router list that took part of the switch and was put back: rolled-back=true.
        outcome.failed(e);
        notify.failed(e, traffic);
        // A failed smoke test: which server answered what, in the job summary too.
        if (e instanceof packages_traffic/* SmokeFailed */.dR)
            await io.summary((0,packages_traffic/* smokeReport */.Ih)(e.result));
        throw e;
    });
    const baked = result.bake;
    notify.switched(result, traffic);
    if (baked?.rolledBack && rollback?.record.deploymentId !== undefined)
        await rollback.record.end({
            outcome: 'success',
            description: `rolled back to ${result.active}: ${baked.reason}`,
        });
    outcome.write({
        verdict: baked ? baked.verdict : 'none',
        ...(baked?.rolledBack ? { phase: 'bake' } : {}),
        figures: baked ? { checks: (0,packages_traffic/* gateFigures */.wc)(baked.measurements) } : {},
        rolledBack: baked?.rolledBack ?? false,
        reason: baked?.rolledBack ? `${baked.reason}; the old slot is back at 100%` : '',
    });
    io.output({
        active: result.active,
        previous: result.previous,
        switched: result.switched,
        live: result.live,
        idle: result.idle,
        'idle-servers': JSON.stringify(result.idleServers),
        ...(recording.deploymentId === undefined ? {} : { 'deployment-id': recording.deploymentId }),
    });
    await io.summary((0,packages_traffic/* switchReport */.vC)(result));
    if (baked && baked.unreached.length > 0)
        throw new action_kit/* DeploymentFailed */.Nr((0,packages_traffic/* unreachedMessage */.ZF)(`${baked.reason}; the old slot is back at 100%`, baked.unreached, baked.after));
    if (baked?.rolledBack)
        throw new action_kit/* DeploymentFailed */.Nr(`${baked.reason}; traffic is back on the old slot (${result.active} carries 100%).`);
}

;// CONCATENATED MODULE: ./build/tsc/actions/blue-green-switch/index.js
/**
 * The main entry of blue-green-switch: dist/blue-green-switch/index.js runs it (then exits), and @github/local-action
 * imports this file and calls run().
 */



const run = () => (0,action/* runEntry */.CN)((0,common_notify/* notifying */.Cm)(main));


/***/ })

};
