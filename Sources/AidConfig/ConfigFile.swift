import AidProtocol
import Foundation
import TOMLKit

/// One parsed and checked TOML configuration file.
public struct ConfigFile: Sendable {
    public var path: String
    public var document: JSONValue
    /// Where each key is set in the file, to point errors found later at their line.
    var keyLines = KeyLines(text: "")

    /// Reads and checks `path`. A missing file is an empty configuration.
    public static func load(path: String, schema: ConfigSchema = .standard) throws(ConfigErrors) -> ConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile(path: path, document: .object([:])) }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors(errors: [ConfigError(file: path, message: "cannot read the file as UTF-8 text")])
        }
        return try parse(text: text, path: path, schema: schema)
    }

    /// Parses and checks a TOML text; `path` is used in error messages.
    public static func parse(text: String, path: String, schema: ConfigSchema = .standard) throws(ConfigErrors) -> ConfigFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigErrors(errors: [ConfigError(file: path, line: error.source.begin.line,
                                                    message: "not valid TOML: \(error.description) (column \(error.source.begin.column))")])
        } catch {
            throw ConfigErrors(errors: [ConfigError(file: path, message: "not valid TOML: \(error)")])
        }
        let document = convert(table)
        let errors = schema.validate(document, file: path, lines: KeyLines(text: text))
        if !errors.isEmpty { throw ConfigErrors(errors: errors) }
        return ConfigFile(path: path, document: document, keyLines: KeyLines(text: text))
    }

    private static func convert(_ value: any TOMLValueConvertible) -> JSONValue {
        if let table = value.table {
            var members: [String: JSONValue] = [:]
            for key in table.keys { if let member = table[key] { members[key] = convert(member) } }
            return .object(members)
        }
        if let array = value.array { return .array(array.map { convert($0) }) }
        if let b = value.bool { return .bool(b) }
        if let i = value.int { return .int(i) }
        if let d = value.double { return .double(d) }
        if let s = value.string { return .string(s) }
        return .string(value.debugDescription)
    }
}
