/// The bearer token of the local HTTP endpoint: made once, kept in `<state>/endpoint-token`
/// (mode 0600), and compared in constant time.
struct EndpointToken: Sendable {
    /// The token's file.
    let path: String
    private let secret: [UInt8]

    /// Reads the token from `<stateDirectory>/endpoint-token`, making it the first time.
    init(stateDirectory: String) throws {
        path = stateDirectory + "/endpoint-token"
        secret = Array(try PrivateFile.readOrCreate(path) { "aid-" + PrivateFile.randomHex(bytes: 32) }.utf8)
    }

    /// Whether the `Authorization` header value `header` is `Bearer <token>`. Takes the same time
    /// whatever the header holds, for headers of the same length.
    func accepts(authorization header: String?) -> Bool {
        guard let header else { return false }
        let bytes = Array(header.utf8)
        let prefix = Array("bearer ".utf8)
        guard bytes.count > prefix.count else { return false }
        var schemeDiffers: UInt8 = 0
        for (byte, expected) in zip(bytes.prefix(prefix.count), prefix) {
            schemeDiffers |= (byte | 0x20) ^ expected
        }
        let tokenMatches = Self.constantTimeEqual(bytes.dropFirst(prefix.count), secret)
        return schemeDiffers == 0 && tokenMatches
    }

    /// Compares every byte of `expected` whatever `given` holds, so that the time taken does not
    /// tell how much of a guess was right.
    static func constantTimeEqual(_ given: ArraySlice<UInt8>, _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        let start = given.startIndex
        for index in 0..<expected.count {
            let byte = index < given.count ? given[start + index] : 0
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}
