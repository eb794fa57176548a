import NIOConcurrencyHelpers

/// A value behind a lock, for small shared state.
final class NIOLockedBox<Value: Sendable>: Sendable {
    private let box: NIOLockedValueBox<Value>

    init(_ value: Value) { box = NIOLockedValueBox(value) }

    var value: Value { box.withLockedValue { $0 } }

    func update<Result>(_ body: (inout Value) -> Result) -> Result { box.withLockedValue(body) }
}

extension NIOLockedBox {
    func append<Element>(_ element: Element) where Value == [Element] {
        update { $0.append(element) }
    }
}
