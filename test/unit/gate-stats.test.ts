/**
 * The judge's statistics against reference values from SciPy 1.17.1 (Debian's python3-scipy),
 * produced by this script (run with python3; the values below are its output, pasted):
 *
 *   from scipy import stats
 *   import json, math
 *   out = {}
 *   out['normalSf'] = [[z, float(stats.norm.sf(z))] for z in [-3, -1, 0, 0.3, 0.5, 1, 1.645, 2.326, 3, 4, 5.5, 8]]
 *   out['logGamma'] = [[x, float(math.lgamma(x))] for x in [0.5, 1, 2.5, 10, 100.5, 12345.6]]
 *   tables = [[1,4,0,95],[3,97,10,9890],[5,195,50,19750],[0,10,2,200],[12,387,40,7972],[2,18,1,179],[30,70,1,99]]
 *   out['fisher'] = [[t, float(stats.fisher_exact([[t[0],t[1]],[t[2],t[3]]], alternative='greater').pvalue)] for t in tables]
 *   # two-proportion z, margin 0 pooled and margin>0 unpooled, computed from the formulas with scipy's norm.sf
 *   def z(xc,nc,xs,ns,m):
 *       rc, rs = xc/nc, xs/ns
 *       if m == 0:
 *           p=(xc+xs)/(nc+ns); se=math.sqrt(p*(1-p)*(1/nc+1/ns))
 *       else:
 *           se=math.sqrt(rc*(1-rc)/nc+rs*(1-rs)/ns)
 *       zz=(rc-rs-m)/se
 *       return [zz, float(stats.norm.sf(zz))]
 *   cases=[[60,1000,500,10000,0],[60,1000,500,10000,0.01],[120,2000,1000,20000,0.005],[45,1000,500,10000,0]]
 *   out['z'] = [[c, z(*c)] for c in cases]
 *   mw = [([1.2,3.4,2.2,5.0,4.4,2.2],[1.0,2.2,0.5,1.1,3.0,0.9,1.4]), ([10,11,12,13,14,15,16,17],[10,11,12,13,14,15,16,17]), ([0.21,0.25,0.30,0.22,0.27,0.31,0.24,0.29,0.26,0.23],[0.20,0.21,0.19,0.22,0.20,0.23,0.21,0.18,0.22,0.20])]
 *   out['mw'] = []
 *   for x,y in mw:
 *       r = stats.mannwhitneyu(x,y,alternative='greater',method='asymptotic',use_continuity=True)
 *       out['mw'].append([x,y,float(r.statistic),float(r.pvalue)])
 *   print(json.dumps(out))
 */
import {
  alphaPerLook,
  fisherGreater,
  judgeErrorRate,
  logGamma,
  mannWhitneyGreater,
  normalSf,
  twoProportionZ,
} from '../../packages/gate/stats.js'

const REF = {
  normalSf: [
    [-3, 0.9986501019683699],
    [-1, 0.8413447460685429],
    [0, 0.5],
    [0.3, 0.3820885778110474],
    [0.5, 0.3085375387259869],
    [1, 0.15865525393145707],
    [1.645, 0.049984905539121376],
    [2.326, 0.010009275340867669],
    [3, 0.0013498980316300933],
    [4, 3.167124183311986e-5],
    [5.5, 1.898956246588768e-8],
    [8, 6.22096057427174e-16],
  ],
  logGamma: [
    [0.5, 0.5723649429247004],
    [1, 0.0],
    [2.5, 0.2846828704729196],
    [10, 12.801827480081467],
    [100.5, 361.4355404677776],
    [12345.6, 103959.18506616846],
  ],
  fisher: [
    [[1, 4, 0, 95], 0.049999999999999996],
    [[3, 97, 10, 9890], 0.00025804567765651384],
    [[5, 195, 50, 19750], 0.00022051068628006643],
    [[0, 10, 2, 200], 1.0],
    [[12, 387, 40, 7972], 4.042440067199044e-6],
    [[2, 18, 1, 179], 0.026907263590680675],
    [[30, 70, 1, 99], 1.3369104397978716e-9],
  ],
  z: [
    [
      [60, 1000, 500, 10000, 0],
      [1.371677704975666, 0.08508189596418425],
    ],
    [
      [60, 1000, 500, 10000, 0.01],
      [-6.655079990948934e-16, 0.5000000000000002],
    ],
    [
      [120, 2000, 1000, 20000, 0.005],
      [0.9042463647391161, 0.1829323900379331],
    ],
    [
      [45, 1000, 500, 10000, 0],
      [-0.6947140420030364, 0.7563827368597477],
    ],
  ],
  mw: [
    [
      [1.2, 3.4, 2.2, 5.0, 4.4, 2.2],
      [1.0, 2.2, 0.5, 1.1, 3.0, 0.9, 1.4],
      36.0,
      0.018629954752452958,
    ],
    [[10, 11, 12, 13, 14, 15, 16, 17], [10, 11, 12, 13, 14, 15, 16, 17], 32.0, 0.5210631898891795],
    [
      [0.21, 0.25, 0.3, 0.22, 0.27, 0.31, 0.24, 0.29, 0.26, 0.23],
      [0.2, 0.21, 0.19, 0.22, 0.2, 0.23, 0.21, 0.18, 0.22, 0.2],
      93.5,
      0.0005444333533136292,
    ],
  ],
} as const

/** Relative closeness: p-values span 16 orders of magnitude. */
const close = (actual: number, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    relative * Math.max(Math.abs(expected), 1e-300) + 1e-15,
  )

test.each(REF.normalSf)('normalSf(%d) = scipy.stats.norm.sf = %d', (z, p) =>
  close(normalSf(z), p, 1e-12),
)
test.each(REF.logGamma)('logGamma(%d) = math.lgamma = %d', (x, v) => close(logGamma(x), v, 1e-12))
test.each(REF.fisher)('Fisher exact, greater, %j: p = %d', (t, p) =>
  close(fisherGreater(t[0], t[1], t[2], t[3]), p, 1e-9),
)
test.each(REF.z)('two-proportion z-test %j: [z, p] = %j', (c, [z, p]) => {
  const r = twoProportionZ(
    { canaryErrors: c[0], canaryTotal: c[1], stableErrors: c[2], stableTotal: c[3] },
    c[4],
  )
  close(r.z, z, 1e-9)
  close(r.pValue, p, 1e-9)
})
test.each(REF.mw)('Mann-Whitney U, greater, asymptotic: %j vs %j: U = %d, p = %d', (x, y, u, p) => {
  const r = mannWhitneyGreater(x, y)
  expect(r.u).toBe(u)
  close(r.pValue, p, 1e-9)
})

describe('judgeErrorRate: is the canary worse than stable by more than the margin?', () => {
  test.each([
    // canary errors/total, stable errors/total, margin, alpha -> test, worse
    [[1, 5], [0, 95], 0, 0.01, "Fisher's exact test", false], // 1 in 5 is 20%, but p = 0.05
    [[3, 100], [10, 9900], 0, 0.01, "Fisher's exact test", true], // p = 0.00026
    [[3, 100], [10, 9900], 0.05, 0.01, "Fisher's exact test", false], // +2.9 points, within a 5-point margin
    [[60, 1000], [500, 10000], 0, 0.01, 'two-proportion z-test', false], // p = 0.085
    [[120, 1000], [500, 10000], 0, 0.01, 'two-proportion z-test', true],
    [[120, 1000], [500, 10000], 0.1, 0.01, 'two-proportion z-test', false],
    [[0, 0], [5, 1000], 0, 0.01, "Fisher's exact test", false], // no canary traffic: never worse
  ] as const)('%j vs %j, margin %d, alpha %d: %s, worse %s', (c, s, margin, alpha, test, worse) => {
    const j = judgeErrorRate(
      { canaryErrors: c[0], canaryTotal: c[1], stableErrors: s[0], stableTotal: s[1] },
      margin,
      alpha,
    )
    expect(j.test).toBe(test)
    expect(j.worse).toBe(worse)
  })

  test('repeated looks split the false-alarm budget (Bonferroni)', () => {
    expect(alphaPerLook(0.99, 1)).toBeCloseTo(0.01, 12)
    expect(alphaPerLook(0.99, 4)).toBeCloseTo(0.0025, 12)
    expect(alphaPerLook(0.95, 0)).toBeCloseTo(0.05, 12)
  })
})
