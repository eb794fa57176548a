/// A named, pluggable source of context.
///
/// Providers are consulted concurrently for every request; each returns the
/// items it thinks relevant (with a reason each) and leaves choosing among
/// them to the packer. Token counts may be left at zero: the engine counts
/// every item with its tokenizer.
public protocol ContextProvider: Sendable {
    /// A short unique name (`cursor`, `retrieval`, …), used in requests and previews.
    var name: String { get }
    /// The items this provider offers for `request`.
    func items(for request: ContextRequest) async throws -> [ContextItem]
}
