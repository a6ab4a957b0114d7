import FoundationEssentials

/// One case of `Tests/Fixtures/data-types.json`, shared with the Confluent tests and the
/// emulator's: a type as we render it and other spellings of it. (The `confluent` wire object is
/// the Confluent tests' business.)
struct DataTypeCase: Decodable, Sendable, CustomStringConvertible {
    let sql: String
    let aliases: [String]

    var description: String { sql }

    static func all() throws -> [DataTypeCase] {
        let url = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "Fixtures/data-types.json")
        return try JSONDecoder().decode([DataTypeCase].self, from: Data(contentsOf: url))
    }
}
