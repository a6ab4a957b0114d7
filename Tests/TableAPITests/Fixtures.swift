import TableAPI

/// SplitMix64: a small, seeded generator, so the property tests see the same names on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random names from pieces chosen to stress quoting: both quote characters, dots, spaces,
/// non-ASCII, combining marks (alone and after a quote), emoji with joiners, SQL punctuation.
enum NameGenerator {
    static let identifierPieces = [
        "a", "Z", "0", "_", "-", "`", "``", "'", "\"", ".", " ", "\t", "é", "e\u{301}", "`\u{301}", "\u{301}",
        "ß", "日本", "Ω", "😀", "👩‍✈️", "🇨🇭", "$", "\\", ";", "--", "/*", "\u{0}", "\u{200B}", "\u{2028}",
    ]
    static let literalPieces = identifierPieces + ["\n", "\r\n", "''"]

    static func name(from pieces: [String], using generator: inout SeededGenerator) -> String {
        (0..<Int.random(in: 1...8, using: &generator))
            .map { _ in pieces.randomElement(using: &generator) ?? "" }
            .joined()
    }
}

/// A small source table used across the node tests.
enum Fixture {
    static let columns = [Column("a", .string), Column("b", .string), Column("n", .int), Column("flag", .boolean)]

    static func table(_ name: String) throws -> Table {
        try table(name, columns)
    }

    static func table(_ name: String, _ columns: [Column]) throws -> Table {
        Table.from(try ObjectName(name), schema: try Schema(columns))
    }
}
