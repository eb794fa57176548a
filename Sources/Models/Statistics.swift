import Foundation

/// Statistics for comparing acceptance rates between experiment arms.
public enum Statistics {
    /// The Wilson score interval of a proportion of `successes` in `trials` (95% for z = 1.96).
    /// Empty samples give the whole range 0...1.
    public static func wilsonInterval(successes: Int, trials: Int, z: Double = 1.96) -> ClosedRange<Double> {
        guard trials > 0 else { return 0...1 }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / denominator
        return max(0, center - half)...min(1, center + half)
    }

    /// The z statistic of the two-proportion z-test (pooled) of arm B against arm A; positive when
    /// B's rate is higher. `nil` when either arm is empty or the pooled rate is 0 or 1.
    public static func twoProportionZ(successesA: Int, trialsA: Int, successesB: Int, trialsB: Int) -> Double? {
        guard trialsA > 0, trialsB > 0 else { return nil }
        let pA = Double(successesA) / Double(trialsA)
        let pB = Double(successesB) / Double(trialsB)
        let pooled = Double(successesA + successesB) / Double(trialsA + trialsB)
        let variance = pooled * (1 - pooled) * (1 / Double(trialsA) + 1 / Double(trialsB))
        guard variance > 0 else { return nil }
        return (pB - pA) / variance.squareRoot()
    }

    /// Whether `z` is significant at the two-sided 5% level (|z| > 1.96).
    public static func isSignificant(_ z: Double?) -> Bool {
        guard let z else { return false }
        return abs(z) > 1.96
    }
}
