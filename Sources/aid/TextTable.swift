import Foundation

/// Plain text tables with columns padded to their widest cell.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func price(_ value: Double) -> String {
        value == 0 ? "0" : String(format: "%.2f", value)
    }

    static func milliseconds(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value >= 10_000 ? String(format: "%.1fs", value / 1000) : String(format: "%.0f", value)
    }
}
