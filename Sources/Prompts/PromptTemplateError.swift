/// Why a prompt template (a built-in one or an override file) is unusable.
///
/// `description` names the file, the line and the placeholder and says how to
/// fix the template.
public struct PromptTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Reason: Sendable, Hashable {
        /// `{{name}}` is not one of the documented placeholders; `suggestion` is a
        /// known one with a similar name.
        case unknownPlaceholder(String, suggestion: String?)
        /// `{{#name}}` is not a message marker.
        case unknownMessageMarker(String)
        /// A message marker shares its line with other text.
        case markerNotAlone(String)
        /// Text appears before the first message marker.
        case textBeforeFirstMessage
        /// The template has no message markers at all.
        case noMessages
        /// A placeholder the strategy needs is missing.
        case missingPlaceholder(String)
        /// The file could not be read or is not UTF-8.
        case unreadable(String)
        /// The override directory could not be listed.
        case unreadableDirectory(String)
    }

    /// The template's source: a file path, or `built-in <strategy>`.
    public var source: String
    /// The 1-based line of the problem, when it has one.
    public var line: Int?
    /// The kind of problem.
    public var reason: Reason

    /// Creates an error.
    public init(source: String, line: Int? = nil, reason: Reason) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    public var description: String {
        let location = line.map { "\(source):\($0)" } ?? source
        switch reason {
        case .unknownPlaceholder(let name, let suggestion):
            let hint = suggestion.map { " Did you mean {{\($0)}}?" } ?? ""
            return "\(location): unknown placeholder {{\(name)}}.\(hint) Known placeholders: "
                + TemplatePlaceholder.allCases.map { "{{\($0.rawValue)}}" }.joined(separator: ", ") + "."
        case .unknownMessageMarker(let name):
            return "\(location): unknown message marker {{#\(name)}}. "
                + "Start messages with {{#system}}, {{#user}} or {{#assistant}} alone on a line."
        case .markerNotAlone(let name):
            return "\(location): the message marker {{#\(name)}} must stand alone on its line. "
                + "Move the text after it to the next line."
        case .textBeforeFirstMessage:
            return "\(location): text before the first message marker. "
                + "Start the template with a {{#system}} line (or {{#user}})."
        case .noMessages:
            return "\(location): the template has no message markers. "
                + "Start each message with {{#system}}, {{#user}} or {{#assistant}} alone on a line."
        case .missingPlaceholder(let name):
            return "\(location): the template never uses {{\(name)}}, which this strategy needs. "
                + "Add it to a {{#user}} message."
        case .unreadable(let detail):
            return "\(location): cannot read the template (\(detail)). Save it as a UTF-8 text file."
        case .unreadableDirectory(let detail):
            return "\(location): cannot list the template directory (\(detail))."
        }
    }
}
