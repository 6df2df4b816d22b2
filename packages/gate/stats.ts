/**
 * The statistics of the gate's judge, pure and small: a one-sided comparison of the canary's
 * error rate with the stable slot's (Fisher's exact test for small counts, a two-proportion
 * z-test otherwise), Mann–Whitney U for latency samples, and the split of the false-alarm
 * budget over repeated looks (Bonferroni). Checked against SciPy in test/unit/gate-stats.test.ts.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let a = c[0] as number
  const t = z + 7.5
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (z + i)
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a)
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1)

/**
 * P(Z > z) for a standard normal Z. erfc by W. J. Cody's rational approximations (relative
 * error below 1e-14), so tiny p-values keep their digits.
 */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x)
  if (x < 0.5) return 1 - erfSmall(x)
  if (x < 4) {
    const p = [
      3.004592610201616e2, 4.519189537118729e2, 3.393208167343437e2, 1.529892850469404e2,
      4.316222722205674e1, 7.21175825088309, 5.64195517478974e-1, -1.368648573827167e-7,
    ]
    const q = [
      3.004592609569833e2, 7.90950925327898e2, 9.313540948506096e2, 6.389802644656312e2,
      2.775854447439876e2, 7.700015293522947e1, 1.278272731962942e1, 1,
    ]
    return Math.exp(-x * x) * (poly(p, x) / poly(q, x))
  }
  const p = [
    -0.002996107077035422, -0.04947309106232507, -0.22695659353968692, -0.2786613086096478,
    -0.02231924597341847,
  ]
  const q = [0.010620923052846792, 0.19130892610782985, 1.051675107067932, 1.9873320181713525, 1]
  const z = 1 / (x * x)
  return (Math.exp(-x * x) / x) * (1 / Math.sqrt(Math.PI) + z * (poly(p, z) / poly(q, z)))
}

function erfSmall(x: number): number {
  const p = [
    3.209377589138469e3, 3.77485237685302e2, 1.138641541510502e2, 3.161123743870566,
    1.857777061846032e-1,
  ]
  const q = [2.844236833439171e3, 1.282616526077372e3, 2.440246379344442e2, 2.360129095234412e1, 1]
  const z = x * x
  return (x * poly(p, z)) / poly(q, z)
}

/** Σ c[i] xⁱ. */
function poly(c: number[], x: number): number {
  let sum = 0
  for (let i = c.length - 1; i >= 0; i--) sum = sum * x + (c[i] as number)
  return sum
}

/**
 * Fisher's exact test, one-sided: the probability of `a` or more canary errors given the table's
 * margins (SciPy: `fisher_exact([[a, b], [c, d]], alternative='greater')`).
 * a = canary errors, b = canary successes, c = stable errors, d = stable successes.
 */
export function fisherGreater(a: number, b: number, c: number, d: number): number {
  const errors = a + c
  const canary = a + b
  const total = a + b + c + d
  const high = Math.min(errors, canary)
  if (a > high) return 0
  const logDenominator = logChoose(total, canary)
  // Hypergeometric pmf at a, then the ratio of successive terms up the tail.
  let term = Math.exp(logChoose(errors, a) + logChoose(total - errors, canary - a) - logDenominator)
  let sum = 0
  for (let x = a; x <= high; x++) {
    sum += term
    term *= ((errors - x) * (canary - x)) / ((x + 1) * (total - errors - canary + x + 1))
  }
  return Math.min(1, sum)
}

export interface Proportions {
  canaryErrors: number
  canaryTotal: number
  stableErrors: number
  stableTotal: number
}

/**
 * z-test of "canary rate − stable rate ≤ margin", one-sided. With margin 0 the pooled standard
 * error (the classic two-proportion test); otherwise the unpooled one, centred on the margin.
 */
export function twoProportionZ(p: Proportions, margin = 0): { z: number; pValue: number } {
  const rc = p.canaryErrors / p.canaryTotal
  const rs = p.stableErrors / p.stableTotal
  let se: number
  if (margin === 0) {
    const pooled = (p.canaryErrors + p.stableErrors) / (p.canaryTotal + p.stableTotal)
    se = Math.sqrt(pooled * (1 - pooled) * (1 / p.canaryTotal + 1 / p.stableTotal))
  } else {
    se = Math.sqrt((rc * (1 - rc)) / p.canaryTotal + (rs * (1 - rs)) / p.stableTotal)
  }
  const diff = rc - rs - margin
  if (se === 0) return { z: diff > 0 ? Infinity : -Infinity, pValue: diff > 0 ? 0 : 1 }
  const z = diff / se
  return { z, pValue: normalSf(z) }
}

export type ProportionTestName = "Fisher's exact test" | 'two-proportion z-test'

export interface ErrorRateJudgement {
  test: ProportionTestName
  canaryRate: number
  stableRate: number
  /** canary rate − stable rate. */
  difference: number
  pValue: number
  /** The significance level of this look (after the repeated-looks split). */
  alpha: number
  /** The hypothesis "canary − stable ≤ margin" is rejected: the canary is worse. */
  worse: boolean
}

/**
 * Below this expected count in any cell of the 2×2 table, Fisher's exact test. The z-test's
 * normal approximation is anti-conservative for rare errors: with cells down to 5 the simulation
 * (npm run bench -- gate) showed 1.04% false alarms at a stated 1%; from 20 up it holds.
 */
export const SMALL_CELL = 20

/**
 * Is the canary's error rate more than `margin` above the stable slot's, at significance `alpha`?
 * Fisher's exact test when any expected cell of the 2×2 table is below SMALL_CELL (it tests "canary ≤
 * stable"; the observed difference must also exceed the margin), the z-test otherwise.
 */
export function judgeErrorRate(p: Proportions, margin: number, alpha: number): ErrorRateJudgement {
  const canaryRate = p.canaryTotal === 0 ? 0 : p.canaryErrors / p.canaryTotal
  const stableRate = p.stableTotal === 0 ? 0 : p.stableErrors / p.stableTotal
  const difference = canaryRate - stableRate
  const total = p.canaryTotal + p.stableTotal
  const errors = p.canaryErrors + p.stableErrors
  const expected = [
    (errors * p.canaryTotal) / total,
    ((total - errors) * p.canaryTotal) / total,
    (errors * p.stableTotal) / total,
    ((total - errors) * p.stableTotal) / total,
  ]
  if (p.canaryTotal === 0 || p.stableTotal === 0)
    return {
      test: "Fisher's exact test",
      canaryRate,
      stableRate,
      difference,
      pValue: 1,
      alpha,
      worse: false,
    }
  const small = expected.some((e) => e < SMALL_CELL)
  const pValue = small
    ? fisherGreater(
        p.canaryErrors,
        p.canaryTotal - p.canaryErrors,
        p.stableErrors,
        p.stableTotal - p.stableErrors,
      )
    : twoProportionZ(p, margin).pValue
  return {
    test: small ? "Fisher's exact test" : 'two-proportion z-test',
    canaryRate,
    stableRate,
    difference,
    pValue,
    alpha,
    worse: pValue < alpha && difference > margin,
  }
}

/**
 * The significance level of each look when a gate looks `looks` times at data that keeps
 * accumulating: Bonferroni's split of 1 − confidence, so the chance of any false alarm over the
 * whole step stays at most 1 − confidence.
 */
export function alphaPerLook(confidence: number, looks: number): number {
  return (1 - confidence) / Math.max(1, looks)
}

export interface MannWhitney {
  /** U of the canary sample. */
  u: number
  z: number
  /** One-sided: the canary's values tend to be larger. */
  pValue: number
  /** P(canary value > stable value) + ½ P(tie): 0.5 means no difference. */
  probabilityGreater: number
}

/**
 * Mann–Whitney U, one-sided "canary greater", normal approximation with tie and continuity
 * corrections (SciPy: `mannwhitneyu(canary, stable, alternative='greater', method='asymptotic')`).
 */
export function mannWhitneyGreater(
  canary: readonly number[],
  stable: readonly number[],
): MannWhitney {
  const n1 = canary.length
  const n2 = stable.length
  const all = [
    ...canary.map((v) => ({ v, c: true })),
    ...stable.map((v) => ({ v, c: false })),
  ].sort((x, y) => x.v - y.v)
  let rankSum = 0
  let tieTerm = 0
  for (let i = 0; i < all.length;) {
    let j = i
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++
    const rank = (i + j + 2) / 2
    const t = j - i + 1
    tieTerm += t ** 3 - t
    for (let k = i; k <= j; k++) if (all[k]!.c) rankSum += rank
    i = j + 1
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2
  const n = n1 + n2
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
  const z = sd === 0 ? 0 : (u - (n1 * n2) / 2 - 0.5) / sd
  return { u, z, pValue: sd === 0 ? 1 : normalSf(z), probabilityGreater: u / (n1 * n2) }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}
