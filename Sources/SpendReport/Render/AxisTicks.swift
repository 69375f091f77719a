/// Round tick values for a money axis: 1, 2 or 5 times a power of ten, in micros.
enum AxisTicks {
    /// About `target` ticks from 0 up to at least `max` (micros), evenly spaced by a round step.
    static func ticks(max: Int64, target: Int = 4) -> [Int64] {
        guard max > 0 else { return [0, 10_000] }  // an empty chart still reads 0 … 0.01
        let rough = Double(max) / Double(target)
        var power: Int64 = 1
        while Double(power) * 10 <= rough, power < Int64.max / 100 { power *= 10 }
        let step = [1, 2, 5, 10].map { Int64($0) * power }.first { Double($0) >= rough } ?? power * 10
        var out: [Int64] = [0]
        var v: Int64 = 0
        while v < max {
            let (next, overflow) = v.addingReportingOverflow(step)
            if overflow { break }
            v = next
            out.append(v)
        }
        return out
    }
}
