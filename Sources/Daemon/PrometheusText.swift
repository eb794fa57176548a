import Foundation

/// Writes the Prometheus text exposition format.
struct PrometheusText {
    private(set) var text = ""

    mutating func counter(_ name: String, _ help: String, labels: [String], _ values: [[String]: Double]) {
        header(name, help, type: "counter")
        for key in values.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            line(name, Self.labels(labels, key), values[key]!)
        }
    }

    mutating func histogram(_ name: String, _ help: String, labels: [String], buckets: [Double],
                            _ values: [[String]: (counts: [Int], sum: Double, count: Int)]) {
        header(name, help, type: "histogram")
        for key in values.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let value = values[key]!
            let base = Self.labels(labels, key)
            var cumulative = 0
            for (bound, count) in zip(buckets, value.counts) {
                cumulative += count
                line(name + "_bucket", base + [("le", Self.number(bound))], Double(cumulative))
            }
            line(name + "_bucket", base + [("le", "+Inf")], Double(value.count))
            line(name + "_sum", base, value.sum)
            line(name + "_count", base, Double(value.count))
        }
    }

    private mutating func header(_ name: String, _ help: String, type: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    private mutating func line(_ name: String, _ labels: [(String, String)], _ value: Double) {
        let rendered = labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
        text += name + (rendered.isEmpty ? "" : "{\(rendered)}") + " " + Self.number(value) + "\n"
    }

    private static func labels(_ names: [String], _ values: [String]) -> [(String, String)] {
        Array(zip(names, values))
    }

    /// Integers without a fraction, others in Swift's shortest form.
    static func number(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A label value with backslashes, quotes and newlines escaped.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
