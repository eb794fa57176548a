import Foundation

/// How build times are written in statuses.
enum Timestamp {
    /// ISO 8601 in UTC with milliseconds, e.g. `2026-11-22T09:15:02.120Z`.
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
