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
  { title: 'Kubernetes (a fake API server)', load: () => import('./demo/kubernetes.js') },
]

await runChapters('demo', chapters)
