extension JSONValue {
    /// The value an `Encodable` encodes to, by the rules of Foundation's JSONEncoder: a value that
    /// encodes nothing is `{}`, `encodeIfPresent` of nil leaves the member out. Throws an
    /// `EncodingError` for a number JSON cannot carry (infinite, NaN, an unsigned integer past
    /// Int64). `jsonText` writes it with sorted keys and `/` unescaped.
    public init(encoding value: some Encodable) throws {
        self = try ValueEncoder.encode(value, at: [])
    }
}

/// What is being encoded at one place: containers hold their children by reference, since a
/// nested container handed out earlier is filled in after it was placed.
private final class Node {
    enum Content {
        case none
        case value(JSONValue)
        case object([String: Node])
        case array([Node])
    }

    var content = Content.none

    var value: JSONValue {
        switch content {
        case .none: return .object([:])
        case .value(let value): return value
        case .object(let members): return .object(members.mapValues(\.value))
        case .array(let elements): return .array(elements.map(\.value))
        }
    }

    /// A new child for the member `name` (replacing one of that name), making this node an
    /// object if it is not one yet.
    func member(_ name: String) -> Node {
        var members: [String: Node] = [:]
        if case .object(let existing) = content { members = existing }
        content = .none  // the only reference left is `members`: no copy on the insert
        let child = Node()
        members[name] = child
        content = .object(members)
        return child
    }

    /// A new last element, making this node an array if it is not one yet.
    func appended() -> Node {
        var elements: [Node] = []
        if case .array(let existing) = content { elements = existing }
        content = .none
        let child = Node()
        elements.append(child)
        content = .array(elements)
        return child
    }

    func becomeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func becomeArray() {
        if case .array = content { return }
        content = .array([])
    }
}

/// The encoder of one value; it is its own single-value container.
private struct ValueEncoder: Encoder, SingleValueEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func encode(_ value: some Encodable, at codingPath: [any CodingKey]) throws -> JSONValue {
        let node = Node()
        try ValueEncoder(node: node, codingPath: codingPath).encode(value)
        return node.value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(KeyedContainer(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { node.content = .value(.null) }
    func encode(_ value: Bool) { node.content = .value(.bool(value)) }
    func encode(_ value: String) { node.content = .value(.string(value)) }
    func encode(_ value: Double) throws { try number(value) }
    // Through its shortest decimal form, as JSONEncoder writes it: Float 0.1 is 0.1, not 0.10000000149011612.
    func encode(_ value: Float) throws { try number(Double("\(value)") ?? Double(value)) }
    func encode(_ value: Int) throws { try integer(value) }
    func encode(_ value: Int8) throws { try integer(value) }
    func encode(_ value: Int16) throws { try integer(value) }
    func encode(_ value: Int32) throws { try integer(value) }
    func encode(_ value: Int64) throws { try integer(value) }
    func encode(_ value: UInt) throws { try integer(value) }
    func encode(_ value: UInt8) throws { try integer(value) }
    func encode(_ value: UInt16) throws { try integer(value) }
    func encode(_ value: UInt32) throws { try integer(value) }
    func encode(_ value: UInt64) throws { try integer(value) }

    func encode<T: Encodable>(_ value: T) throws {
        if let json = value as? JSONValue {
            node.content = .value(json)
        } else {
            try value.encode(to: self)
        }
    }

    private func number(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "JSON has no \(value)"))
        }
        node.content = .value(.number(value))
    }

    private func integer(_ value: some FixedWidthInteger) throws {
        guard let integer = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is past Int64"))
        }
        node.content = .value(.integer(integer))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: Node
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) { node.member(key.stringValue).content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder(for: key).encode(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder(for: key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder(for: key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder(for: JSONCodingKey.super) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder(for: key) }

    private func encoder(for key: any CodingKey) -> ValueEncoder {
        ValueEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let node: Node
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(node: Node, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    mutating func encodeNil() { next().encodeNil() }

    mutating func encode<T: Encodable>(_ value: T) throws { try next().encode(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { next() }

    private mutating func next() -> ValueEncoder {
        let encoder = ValueEncoder(node: node.appended(), codingPath: codingPath + [JSONCodingKey(index: count)])
        count += 1
        return encoder
    }
}
