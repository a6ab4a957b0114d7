import Foundation
import JSON
import Testing

/// The parser against Foundation's JSONDecoder (what the product used before): the same
/// documents accepted, with the same values, apart from the leniencies listed in `foundationOnly`.
@Suite struct JSONDifferentialTests {
    static let documents = [
        "null", "true", "0", "-0", "-0.0", "1.0", "1e2", "100e-2", "1e-400", "1.5", "0.1", "123456789.123456789",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "1.7976931348623157e308", "1.7976931348623157e309", "4.9e-324", "2.5e-324", "1e400", "01", "1.", ".5", "+1", "-", "1e",
        "[]", "{}", "[1,2,3]", #"{"a":[1,{"b":null}],"c":"d"}"#, #"{"a":1,"a":2}"#, " [ 1 ] ", "[1] x", "1 2",
        #""\ud83d\ude00""#, #""\ud800""#, #""\udc00""#, #""\ud83dx""#, #""\u00e9\/\n""#, #""\x""#, "\"\t\"", "\"\u{7F}\"",
        #""\u0000""#, "\u{FEFF}[1]", "nul", "[", #"{"a"}"#, "{1:2}", #"{"a":1}}"#, "]", #""é日本😀""#,
        #"{"name":"s","spec":{"statement":"SELECT 1","properties":{"a":"b"}},"status":{"phase":"RUNNING"}}"#,
    ]

    /// Foundation accepts these; RFC 8259 does not, nor does the parser.
    static let foundationOnly: Set = ["[1,]", #"{"a":1,}"#]

    @Test(arguments: documents + foundationOnly.sorted())
    func agreesWithJSONDecoder(text: String) {
        let ours = JSONValue.parse(Array(text.utf8))
        let foundation = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        if Self.foundationOnly.contains(text) {
            #expect(ours == nil && foundation != nil)
        } else if let ours, let foundation {
            #expect(sameNumbersAndValues(ours, foundation), "\(ours.jsonText) and \(foundation.jsonText)")
        } else {
            #expect(ours == nil && foundation == nil, "ours: \(ours?.jsonText ?? "rejected"), Foundation's: \(foundation?.jsonText ?? "rejected")")
        }
    }

    @Test(arguments: [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]] as [[UInt8]])
    func bothRejectInvalidUTF8(bytes: [UInt8]) {
        #expect(JSONValue.parse(bytes) == nil)
        #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))) == nil)
    }

    @Test(arguments: [512, 513])
    func bothLimitNesting(depth: Int) {
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let foundation = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect((JSONValue.parse(Array(text.utf8)) == nil) == (foundation == nil))
    }
}

/// Equal, except that a whole number Foundation gave as `.integer` may be `.number` here (Foundation
/// makes `1.0` and `1e2` integers; the parser keeps integers to what is written as one).
func sameNumbersAndValues(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case let (.number(a), .integer(b)), let (.integer(b), .number(a)): return a == Double(b)
    case let (.array(a), .array(b)): return a.count == b.count && zip(a, b).allSatisfy(sameNumbersAndValues)
    case let (.object(a), .object(b)):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { sameNumbersAndValues(value, $0) } ?? false }
    default: return lhs == rhs
    }
}
