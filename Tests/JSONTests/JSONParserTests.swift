import JSON
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? { JSONValue.parse(Array(text.utf8)) }

    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)),
        ("0", .integer(0)), ("-0", .integer(0)), ("42", .integer(42)), ("-17", .integer(-17)),
        ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .number(9_223_372_036_854_775_808)), ("-9223372036854775809", .number(-9_223_372_036_854_775_808)),
        ("12345678901234567890", .number(12_345_678_901_234_567_168)),
        ("1.5", .number(1.5)), ("-0.25", .number(-0.25)), ("1.0", .number(1)), ("1e2", .number(100)), ("1E+2", .number(100)),
        ("25e-1", .number(2.5)), ("1e-400", .number(0)), ("4.9e-324", .number(.leastNonzeroMagnitude)),
        ("1.7976931348623157e308", .number(.greatestFiniteMagnitude)), ("0.1", .number(0.1)),
        (#""""#, .string("")), (#""abc""#, .string("abc")), (#""é日本😀""#, .string("é日本😀")),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{08}\u{0C}\n\r\t")),
        (#""\u0041\u00e9\u65E5\u0000""#, .string("Aé日\u{0}")), (#""\ud83d\ude00""#, .string("😀")),
        (#""\uDBFF\uDFFF""#, .string("\u{10FFFF}")), ("\"\u{7F}\"", .string("\u{7F}")),
        ("[]", .array([])), ("{}", .object([:])), ("[1,[2,[]],{}]", .array([.integer(1), .array([.integer(2), .array([])]), .object([:])])),
        (#"{"a":{"b":[null]}}"#, .object(["a": .object(["b": .array([.null])])])),
        (" \t\r\n[ 1 , 2 ] \n", .array([.integer(1), .integer(2)])), (#"{ "a" : 1 }"#, .object(["a": .integer(1)])),
        ("\u{FEFF}1", .integer(1)),
    ])
    func validDocuments(text: String, expected: JSONValue) {
        #expect(parse(text) == expected)
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "True", "NULL", "undefined", "01", "-01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "1.e1", "0x1", "Infinity",
        "-Infinity", "NaN", "1e400", "-1e400", "[1,]", #"{"a":1,}"#, "[,1]", "[1 2]", #"{"a" 1}"#, #"{"a":}"#, "{1:2}", "{a:1}",
        "['a']", "[", "]", "{", #"{"a":1"#, "[1]x", "{}x", "1 2", "true false", #""abc"#, #""\x""#, #""\u12""#, #""\u12G4""#,
        #""\ud800""#, #""\udc00""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\ude00\ud83d""#, "\"a\tb\"", "\"a\nb\"", "\"\u{1F}\"",
        "\u{FEFF}", "\u{FEFF}\u{FEFF}1", "\u{A0}1", "/* */1", "1 // x",
    ])
    func invalidDocuments(text: String) {
        #expect(parse(text) == nil)
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x31, 0x00], [0x00, 0x31], [0xFF, 0xFE, 0x31, 0x00],
    ] as [[UInt8]])
    func invalidBytes(bytes: [UInt8]) {
        #expect(JSONValue.parse(bytes) == nil)
    }

    @Test func theFirstOfRepeatedNamesCounts() {
        #expect(parse(#"{"a":1,"b":2,"a":3}"#) == .object(["a": .integer(1), "b": .integer(2)]))
    }

    @Test func nestsUpToTheLimit() {
        let depth = JSONValue.maximumDepth
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        #expect(parse(arrays) != nil)
        #expect(parse(objects) != nil)
        #expect(parse("[" + arrays + "]") == nil)
        #expect(parse(#"{"a":"# + objects + "}") == nil)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(("[" + arrays + "]").utf8)) }
        #expect(error?.description == "arrays and objects nested deeper than 512 at byte \(depth)")
    }

    @Test func deepHostileInputFailsWithoutExhaustingTheStack() {
        #expect(JSONValue.parse(Array(repeating: UInt8(ascii: "["), count: 1_000_000)) == nil)
        #expect(JSONValue.parse(Array(String(repeating: #"{"a":["#, count: 200_000).utf8)) == nil)
    }

    @Test(arguments: [
        ("", "the text ends where a value should be at byte 0"),
        ("[1,]", "']' where a value should be at byte 3"),
        ("[1 2]", "'2' where ',' or ']' should be at byte 3"),
        (#"{"a" 1}"#, "'1' where ':' should follow a member name at byte 5"),
        ("{1:2}", "'1' where a member name (a string) should be at byte 1"),
        ("1 x", "'x' after the value at byte 2"),
        ("01", "'1' after the value at byte 1"),
        ("-x", "'x' where the digits of a number should be at byte 1"),
        ("1.e5", "'e' where the digits after a decimal point should be at byte 2"),
        ("1e+", "the end of the text where the digits of an exponent should be at byte 3"),
        ("1e999", "the number 1e999 is too large for a Double at byte 0"),
        ("nil", "not a value: 'null' is misspelt or cut short at byte 0"),
        (#"["abc"#, "a string is not closed at byte 1"),
        ("\"a\u{1}\"", "byte 0x01 in a string (control characters must be escaped) at byte 2"),
        (#" "\q""#, #"the escape '\q' is not JSON at byte 2"#),
        (#""\u00""#, #"a \u escape needs four hexadecimal digits at byte 1"#),
        (#""x\ud800""#, "the escape of a high surrogate has no low surrogate after it at byte 2"),
        (#""\udfff""#, "the escape of a low surrogate has no high surrogate before it at byte 1"),
        ("\u{1}", "byte 0x01 where a value should be at byte 0"),
    ])
    func errorsNameTheProblemAndWhere(text: String, message: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(text.utf8)) }
        #expect(error?.description == message)
    }

    @Test func invalidUTF8IsNamedAtItsString() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D]) }
        #expect(error?.description == "a string is not valid UTF-8 at byte 1")
    }

    @Test func jsonTextParsesBackToTheSameValue() throws {
        let text = #"{"z":[1,-2.5,1e300,"a\"\\\u0001\u2028/é😀",true,null],"a":{"":{}},"n":9223372036854775807}"#
        let value = try #require(parse(text))
        #expect(parse(value.jsonText) == value)
        #expect(value.jsonText == #"{"a":{"":{}},"n":9223372036854775807,"z":[1,-2.5,1e+300,"a\"\\\u0001\u2028/é😀",true,null]}"#)
    }
}
