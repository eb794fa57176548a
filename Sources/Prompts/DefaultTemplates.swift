/// The templates of the built-in strategies, shipped as Swift constants. To start
/// an override, write one to `<directory>/<strategy name>.txt` and edit it; see
/// `TemplatePlaceholder` for the syntax.
public enum DefaultTemplates: Sendable {}
