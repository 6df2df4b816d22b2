// The container's health command (docker run --health-cmd 'node /app/healthcheck.mjs'):
// GET /healthz on this process's port; exit 0 only on a 200 within 3 s.
const port = process.env.PORT || '3000'
fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
  (response) => process.exit(response.status === 200 ? 0 : 1),
  () => process.exit(1),
)
