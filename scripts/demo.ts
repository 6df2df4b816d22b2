/** `npm run demo`: the whole pipeline, locally, on real servers. `npm run demo -- <word>` runs the chapters whose title has it. */
import { runChapters, type Chapter } from './chapters.js'

const chapters: Chapter[] = [
  { title: 'build the app image and push it to a registry', load: () => import('./demo/image.js') },
  { title: 'blue-green switch on HAProxy and nginx', load: () => import('./demo/blue-green.js') },
  {
    title: 'canary that goes bad, rolled back automatically',
    load: () => import('./demo/canary.js'),
  },
  { title: 'deployment records and a manual rollback', load: () => import('./demo/records.js') },
  { title: 'canary pipeline: deploy-canary.yml', load: () => import('./demo/pipeline.js') },
  {
    title: 'canary pauses judged by the protection-rule App: one release approved, one rejected',
    load: () => import('./demo/protection-rule.js'),
  },
  { title: 'Kubernetes (a fake API server)', load: () => import('./demo/kubernetes.js') },
  {
    title: 'DNS blue-green: PowerDNS API and BIND (RFC 2136)',
    load: () => import('./demo/dns.js'),
  },
  {
    title: 'feature flag on Unleash: a guarded rollout, a broken feature turned off by the gate',
    load: () => import('./demo/flags.js'),
  },
  {
    title:
      'the whole release: smoke, header phase, gated steps, a bad release baked out, notifications',
    load: () => import('./demo/release.js'),
  },
]

await runChapters('demo', chapters)
