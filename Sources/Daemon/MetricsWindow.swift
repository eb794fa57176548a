import Foundation

/// The start of a metrics period, written as a date or as a span back from now.
enum MetricsWindow {
    /// `text` as an ISO 8601 date-time (fractional seconds allowed), or as a span back from `now`:
    /// a number followed by `s`, `m`, `h`, `d` or `w`. Nil when it is neither.
    static func start(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let count = Double(trimmed.dropLast()), count >= 0, count.isFinite {
            let seconds: Double? = switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86_400
            case "w": 604_800
            default: nil
            }
            if let seconds { return now.addingTimeInterval(-count * seconds) }
        }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: trimmed) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: trimmed)
    }

    /// ISO 8601 with milliseconds, in UTC.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
