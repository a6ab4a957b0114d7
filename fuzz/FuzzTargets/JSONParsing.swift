import Confluent
import Foundation
import JSON

/// Target `json-parsing`: any bytes through the product's JSON parser and decoder, against
/// Foundation's JSONDecoder (what the product used before, kept here as the reference).
///
/// Properties: no crash; an error names a byte of the input; what the parser accepts,
/// JSONDecoder accepts with the same value (a whole number may be `.integer` in one and `.number`
/// in the other; past 2^53, where JSONDecoder drops a fraction, the same within the Double's
/// spacing), since the parser only refuses more (trailing commas, UTF-16); `jsonText` parses
/// back to the same value; a `Statement` decodes from the value exactly when JSONDecoder decodes
/// one from the bytes, and to the same statement (unless a number with a fraction or exponent
/// reaches 2^53: JSONDecoder may drop its fraction, and the product's decoder refuses it for an
/// integer field rather than round).
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
    var truncated = false
    require(sameAsJSONDecoder(value, foundation, truncated: &truncated), target,
            "the parser reads \(shown(value.jsonText)), JSONDecoder \(shown(foundation.jsonText))")

    let text = value.jsonText
    guard let again = JSONValue.parse(Array(text.utf8)) else { violated(target, "jsonText wrote \(shown(text)), which is not JSON") }
    require(sameJSON(value, again), target, "jsonText wrote \(shown(text)), which parses to another value")

    // Such a number in an integer field of a Statement: JSONDecoder truncates, the decoder refuses.
    guard !truncated else { return }
    let ours = try? value.decode(Statement.self)
    let theirs = try? JSONDecoder().decode(Statement.self, from: Data(bytes))
    require(ours == theirs, target, "a Statement decodes as \(ours.map { "\($0)" } ?? "nothing") here, as \(theirs.map { "\($0)" } ?? "nothing") with JSONDecoder")
}

/// `sameJSON`, but for one divergence of JSONDecoder's: a number with a fraction or an exponent
/// whose magnitude is 2^53 or more (`9223372036857781.58`) it reads as an integer by dropping the
/// fraction (`9223372036857781`), where the parser reads the nearest Double (`9223372036857782`).
/// Those agree within the Double's spacing there; `truncated` says whether any such number was
/// met, dropped fraction or not.
private func sameAsJSONDecoder(_ ours: JSONValue, _ theirs: JSONValue, truncated: inout Bool) -> Bool {
    switch (ours, theirs) {
    case let (.number(number), .integer(integer)) where number.magnitude >= 0x1p53:
        truncated = true
        return (Double(integer) - number).magnitude <= 2 * number.ulp
    case let (.array(a), .array(b)):
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where !sameAsJSONDecoder(x, y, truncated: &truncated) { return false }
        return true
    case let (.object(a), .object(b)):
        guard a.count == b.count else { return false }
        for (key, x) in a {
            guard let y = b[key], sameAsJSONDecoder(x, y, truncated: &truncated) else { return false }
        }
        return true
    default:
        return sameJSON(ours, theirs)
    }
}
