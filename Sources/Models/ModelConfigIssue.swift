import AidProtocol

/// A problem in the models part of the configuration, naming the key it is about.
public struct ModelConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key's path from the document root, for example `["models", "gpt-4o", "base_url"]`.
    public var path: [String]
    /// What is wrong and what to write instead.
    public var message: String

    public init(path: [String], message: String) {
        self.path = path
        self.message = message
    }

    /// The path joined by dots (`models.gpt-4o.base_url`).
    public var keyPath: String { path.joined(separator: ".") }

    public var description: String { "'\(keyPath)': \(message)" }
}

/// Every problem found in one validation.
public struct ModelConfigIssues: Error, Sendable, Hashable, CustomStringConvertible {
    /// The issues, in the order found.
    public var issues: [ModelConfigIssue]
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads typed values out of a JSON tree, collecting one issue per problem.
struct ConfigReader {
    var issues: [ModelConfigIssue] = []

    mutating func fail(_ path: [String], _ message: String) {
        issues.append(ModelConfigIssue(path: path, message: message))
    }

    mutating func table(_ value: JSONValue?, at path: [String]) -> [String: JSONValue]? {
        guard let value else { return nil }
        guard let members = value.objectValue else {
            fail(path, "expected a table, got \(value.typeDescription)")
            return nil
        }
        return members
    }

    /// Reports keys of `table` not in `known`.
    mutating func checkKnown(_ table: [String: JSONValue], _ known: [String], at path: [String]) {
        for key in table.keys.sorted() where !known.contains(key) {
            fail(path + [key], "unknown key; known keys here: \(known.joined(separator: ", "))")
        }
    }

    mutating func string(_ table: [String: JSONValue], _ key: String, at path: [String]) -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.stringValue else {
            fail(path + [key], "expected a string, got \(value.typeDescription)")
            return nil
        }
        if text.isEmpty {
            fail(path + [key], "must not be empty")
            return nil
        }
        return text
    }

    mutating func bool(_ table: [String: JSONValue], _ key: String, at path: [String]) -> Bool? {
        guard let value = table[key] else { return nil }
        guard case .bool(let flag) = value else {
            fail(path + [key], "expected true or false, got \(value.typeDescription)")
            return nil
        }
        return flag
    }

    mutating func int(_ table: [String: JSONValue], _ key: String, _ range: ClosedRange<Int>, at path: [String]) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            fail(path + [key], "expected an integer from \(range.lowerBound) to \(range.upperBound), got \(Self.describe(value))")
            return nil
        }
        return number
    }

    mutating func number(_ table: [String: JSONValue], _ key: String, minimum: Double, at path: [String]) -> Double? {
        guard let value = table[key] else { return nil }
        let number: Double
        switch value {
        case .int(let i): number = Double(i)
        case .double(let d): number = d
        default:
            fail(path + [key], "expected a number, got \(Self.describe(value))")
            return nil
        }
        guard number.isFinite, number >= minimum else {
            fail(path + [key], "expected a number of at least \(minimum), got \(Self.describe(value))")
            return nil
        }
        return number
    }

    mutating func milliseconds(_ table: [String: JSONValue], _ key: String, _ range: ClosedRange<Int>, at path: [String]) -> Duration? {
        int(table, key, range, at: path).map { .milliseconds($0) }
    }

    mutating func strings(_ table: [String: JSONValue], _ key: String, at path: [String]) -> [String]? {
        guard let value = table[key] else { return nil }
        return strings(value, at: path + [key])
    }

    mutating func strings(_ value: JSONValue, at path: [String]) -> [String]? {
        guard let elements = value.arrayValue else {
            fail(path, "expected an array of strings, got \(value.typeDescription)")
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard let text = element.stringValue, !text.isEmpty else {
                fail(path + ["\(index)"], "expected a non-empty string, got \(Self.describe(element))")
                return nil
            }
            result.append(text)
        }
        return result
    }

    /// The value for a message, never printing long strings in full (they might be secrets).
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s):
            let mayBeSecret = s.count > 24 || s.lowercased().hasPrefix("sk")
            return mayBeSecret ? "a string of \(s.count) characters" : "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return value.typeDescription
        }
    }
}
