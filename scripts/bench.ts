/** `npm run bench`: speed figures on real servers, printed (never asserted). `npm run bench -- <word>` runs some. */
import { runChapters, type Chapter } from './chapters.js'

const chapters: Chapter[] = [
  { title: 'step overhead', load: () => import('./bench/step-overhead.js') },
  { title: 'blue-green switch time', load: () => import('./bench/switch.js') },
  { title: 'canary split accuracy and rollback time', load: () => import('./bench/canary.js') },
  { title: 'manual rollback time', load: () => import('./bench/rollback.js') },
  {
    title: 'the worst night: rollback button mid-walk, a pair with one router dead',
    load: () => import('./bench/worst-night.js'),
  },
  { title: 'time to clear a header match on rollback', load: () => import('./bench/header.js') },
  { title: 'smoke-test overhead against curl', load: () => import('./bench/smoke.js') },
  { title: 'gate judges: false alarms and power', load: () => import('./bench/gate.js') },
  {
    title: 'protection-rule App: event to callback, beside the gate alone',
    load: () => import('./bench/protection-rule.js'),
  },
  { title: 'push-registry against bare skopeo', load: () => import('./bench/push.js') },
  { title: 'Kubernetes router (a fake API server)', load: () => import('./bench/kubernetes.js') },
  {
    title: 'DNS router: switch until every authoritative server answers',
    load: () => import('./bench/dns.js'),
  },
  {
    title: 'Unleash flag: a step until the client API serves it, against a bare admin-API PATCH',
    load: () => import('./bench/flags.js'),
  },
]

await runChapters('bench', chapters)
