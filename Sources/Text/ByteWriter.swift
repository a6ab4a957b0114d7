/// Text assembled as bytes on a hot path (a SigV4 signature is some 25 pieces): a write is a
/// capacity check and a copy, without `Array`'s generic and copy-on-write paths. The storage
/// doubles when it runs out, so a capacity is a hint, never a limit. Its writes are inlinable,
/// because a call across modules for each piece would cost more than the copy.
public struct ByteWriter: ~Copyable {
    @usableFromInline var storage: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes have been written.
    @inlinable public var count: Int { written }
    @usableFromInline var written = 0

    public init(capacity: Int) {
        storage = .allocate(capacity: max(capacity, 16))
    }

    deinit { storage.deallocate() }

    @inlinable
    public mutating func write(_ byte: UInt8) {
        reserve(1)
        storage[count] = byte
        written += 1
    }

    @inlinable
    public mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (storage.baseAddress! + count).update(from: source, count: bytes.count)
        written += bytes.count
    }

    /// The text's UTF-8 bytes.
    @inlinable
    public mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write($0) }
    }

    /// The text's UTF-8 bytes with ASCII letters in lower case (HTTP header names).
    @inlinable
    public mutating func writeLowercased(_ text: String) {
        let start = count
        write(text)
        let letters = UnsafeMutableBufferPointer(rebasing: storage[start..<count])
        for index in letters.indices where (0x41...0x5A).contains(letters[index]) { letters[index] |= 0x20 }
    }

    /// The bytes in lower-case hexadecimal.
    @inlinable
    public mutating func writeHex(of bytes: UnsafeRawBufferPointer) {
        reserve(bytes.count * 2)
        // Through locals: a store through `storage` could alias `count` as far as the optimiser knows.
        let digits = storage.baseAddress! + count
        for (index, byte) in bytes.enumerated() {
            digits[2 * index] = Hex.digit(byte >> 4)
            digits[2 * index + 1] = Hex.digit(byte & 0x0f)
        }
        written += bytes.count * 2
    }

    /// Takes back the last byte written.
    @inlinable
    public mutating func removeLast() {
        precondition(count > 0, "nothing written to take back")
        written -= 1
    }

    /// The bytes written in `range` (all of them without one), valid only inside `body`.
    @inlinable
    public func withBytes<Result>(in range: Range<Int>? = nil, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let range = range ?? 0..<count
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "range \(range) is outside the \(count) bytes written")
        return try body(UnsafeBufferPointer(rebasing: storage[range]))
    }

    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    @inlinable
    mutating func reserve(_ extra: Int) {
        if count + extra > storage.count { grow(toHold: extra) }
    }

    @usableFromInline
    mutating func grow(toHold extra: Int) {
        let grown = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: Swift.max(storage.count * 2, count + extra))
        grown.baseAddress!.initialize(from: storage.baseAddress!, count: count)
        storage.deallocate()
        storage = grown
    }
}
