import JSON
import Testing

@Suite struct JSONDecodingTests {
    private struct Numbers: Decodable, Equatable {
        let int: Int
        let small: Int8?
        let double: Double
        let float: Float?
    }

    private struct Named: Decodable, Equatable {
        let name: String
        let note: String?
        let flag: Bool?
        let nested: [Named]?
        let tags: [String: String]?
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONValue.decode(type, from: Array(text.utf8))
    }

    @Test func anOptionalIsNilWhenMissingOrNull() throws {
        #expect(try decode(Named.self, #"{"name":"a"}"#) == Named(name: "a", note: nil, flag: nil, nested: nil, tags: nil))
        #expect(try decode(Named.self, #"{"name":"a","note":null,"flag":null}"#).note == nil)
        #expect(try decode([Int?].self, "[1,null]") == [1, nil])
    }

    @Test func nestedContainersDecode() throws {
        let value = try decode(Named.self, #"{"name":"a","nested":[{"name":"b","tags":{"k":"v"}}],"unknown":[1,{}]}"#)
        #expect(value.nested?.first?.name == "b")
        #expect(value.nested?.first?.tags == ["k": "v"])
    }

    @Test func integersTakeWholeNumbersInRange() throws {
        #expect(try decode(Numbers.self, #"{"int":1.0,"small":1e2,"double":1}"#) == Numbers(int: 1, small: 100, double: 1, float: nil))
        #expect(try decode(Int.self, "9223372036854775807") == .max)
        #expect(try decode(Int.self, "-0.0") == 0)
        #expect(throws: DecodingError.self) { try decode(Int.self, "1.5") }
        #expect(throws: DecodingError.self) { try decode(Int.self, "9223372036854775808") }
        #expect(throws: DecodingError.self) { try decode(Int8.self, "300") }
        #expect(throws: DecodingError.self) { try decode(UInt.self, "-1") }
        #expect(throws: DecodingError.self) { try decode(Float.self, "1e39") }
        #expect(try decode(Double.self, "12345678901234567890") == 12_345_678_901_234_567_168)
        #expect(try decode(Int64.self, "9007199254740992.0") == 9_007_199_254_740_992)
        #expect(try decode(Int64.self, "-9.007199254740992e15") == -9_007_199_254_740_992)
    }

    @Test func integersPast2To53AreNotRoundedFromADouble() {
        for text in ["9007199254740993.5", "1e16", "9223372036854775809", "18446744073709551615"] {
            #expect(throws: DecodingError.self, "\(text)") { try decode(UInt64.self, text) }
            #expect(throws: DecodingError.self, "\(text)") { try decode(Int64.self, text) }
        }
    }

    @Test func nothingElseConverts() {
        #expect(throws: DecodingError.self) { try decode(Int.self, #""1""#) }
        #expect(throws: DecodingError.self) { try decode(Bool.self, "1") }
        #expect(throws: DecodingError.self) { try decode(String.self, "1") }
        #expect(throws: DecodingError.self) { try decode(Named.self, "[]") }
        #expect(throws: DecodingError.self) { try decode([Int].self, "{}") }
        #expect(throws: DecodingError.self) { try decode([Int].self, "[1,null]") }
    }

    @Test func errorsCarryTheCodingPath() {
        do {
            _ = try decode(Named.self, #"{"name":"a","nested":[{"name":"b"},{"name":2}]}"#)
            Issue.record("decoded a number as a String")
        } catch DecodingError.typeMismatch(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["nested", "Index 1", "name"])
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try decode(Named.self, #"{"note":"x"}"#)
            Issue.record("decoded without the required name")
        } catch DecodingError.keyNotFound(let key, _) {
            #expect(key.stringValue == "name")
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try decode(Numbers.self, #"{"int":null,"double":1}"#)
            Issue.record("decoded null as an Int")
        } catch DecodingError.valueNotFound(_, let context) {
            #expect(context.codingPath.map(\.stringValue) == ["int"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aParseErrorIsThrownAsIs() {
        #expect(throws: JSONParseError.self) { try decode(Named.self, #"{"name":"a",}"#) }
    }

    @Test func jsonValuesDecodeAsThemselves() throws {
        let text = #"{"a":[1,1.5,"x",null,true,{"b":{}}],"big":18446744073709551615}"#
        let value = try #require(JSONValue.parse(Array(text.utf8)))
        #expect(try decode(JSONValue.self, text) == value)
        #expect(try decode([String: JSONValue].self, text) == ["a": value["a"]!, "big": value["big"]!])
        #expect(try decode(JSONValue?.self, "null") == nil)
    }

    private final class Base: Decodable {
        let id: Int
    }

    private struct WithSuper: Decodable {
        let base: Base
        let missing: Base?

        enum CodingKeys: CodingKey { case other }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            base = try Base(from: container.superDecoder())
            missing = try? Base(from: container.superDecoder(forKey: .other))
        }
    }

    @Test func superDecoderReadsTheSuperMemberAsJSONDecoderDoes() throws {
        let value = try decode(WithSuper.self, #"{"super":{"id":7}}"#)
        #expect(value.base.id == 7)
        #expect(value.missing == nil)
    }
}

@Suite struct JSONEncodingTests {
    private struct Body: Encodable {
        let name: String
        let labels: [String: String]
        let pool: String?
        let count: Int
        let ratio: Double
        let flags: [Bool]
        let stopped = false

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(labels, forKey: .labels)
            try container.encodeIfPresent(pool, forKey: .pool)
            try container.encode(count, forKey: .count)
            try container.encode(ratio, forKey: .ratio)
            var nested = container.nestedUnkeyedContainer(forKey: .flags)
            for flag in flags { try nested.encode(flag) }
            try container.encode(stopped, forKey: .stopped)
        }

        enum CodingKeys: CodingKey { case name, labels, pool, count, ratio, flags, stopped }
    }

    @Test func encodesToSortedCompactText() throws {
        let body = Body(name: "a/b", labels: ["z": "1", "a": "é"], pool: nil, count: 3, ratio: 0.5, flags: [true, false])
        #expect(try JSONValue(encoding: body).jsonText == #"{"count":3,"flags":[true,false],"labels":{"a":"é","z":"1"},"name":"a/b","ratio":0.5,"stopped":false}"#)
    }

    @Test func valuesThatJSONCannotCarryAreRefused() {
        #expect(throws: EncodingError.self) { try JSONValue(encoding: [Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Double.infinity) }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: UInt64.max) }
        #expect(throws: EncodingError.self) { try JSONValue(encoding: Float.nan) }
    }

    @Test func aFloatIsWrittenAsItsShortestDecimal() throws {
        #expect(try JSONValue(encoding: [Float(0.1), 1.5, -Float.greatestFiniteMagnitude, Float.leastNonzeroMagnitude]).jsonText == "[0.1,1.5,-3.4028235e+38,1e-45]")
    }

    @Test func encodingThenDecodingGivesTheValueBack() throws {
        let value: [String: [Int?]] = ["a": [1, nil, -3], "b": []]
        #expect(try JSONValue(encoding: value).decode([String: [Int?]].self) == value)
        let json = JSONValue.object(["k": .array([.integer(1), .number(2.5), .string("s"), .null])])
        #expect(try JSONValue(encoding: json) == json)
    }

    @Test func aValueThatEncodesNothingIsAnEmptyObject() throws {
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        #expect(try JSONValue(encoding: ["x": Nothing()]) == .object(["x": .object([:])]))
    }
}
