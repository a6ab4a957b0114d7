import Confluent
import Foundation
import JSON

/// Target `json-parsing`: any bytes through the product's JSON parser and decoder, against
/// Foundation's JSONDecoder (what the product used before, kept here as the reference).
///
/// Properties: no crash; an error names a byte of the input; what the parser accepts,
/// JSONDecoder accepts with the same value (a whole number may be `.integer` in one and `.number`
/// in the other), since the parser only refuses more (trailing commas, UTF-16); `jsonText` parses
/// back to the same value; a `Statement` decodes from the value exactly when JSONDecoder decodes
/// one from the bytes, and to the same statement.
public func fuzzJSONParsing(_ data: UnsafeRawBufferPointer) {
    let target = FuzzTarget.jsonParsing
    let bytes = data.byteArray
    let value: JSONValue
    do {
        value = try JSONValue(parsing: bytes)
    } catch {
        require((0...bytes.count).contains(error.offset), target, "the error \(shown(error.description)) is past the input")
        return
    }
    guard let foundation = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
        violated(target, "JSONDecoder refuses what the parser accepts: \(shown(value.jsonText))")
    }
    require(sameJSON(value, foundation), target, "the parser reads \(shown(value.jsonText)), JSONDecoder \(shown(foundation.jsonText))")

    let text = value.jsonText
    guard let again = JSONValue.parse(Array(text.utf8)) else { violated(target, "jsonText wrote \(shown(text)), which is not JSON") }
    require(sameJSON(value, again), target, "jsonText wrote \(shown(text)), which parses to another value")

    let ours = try? value.decode(Statement.self)
    let theirs = try? JSONDecoder().decode(Statement.self, from: Data(bytes))
    require(ours == theirs, target, "a Statement decodes as \(ours.map { "\($0)" } ?? "nothing") here, as \(theirs.map { "\($0)" } ?? "nothing") with JSONDecoder")
}
