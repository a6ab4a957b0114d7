import JSON
import KafkaProperties

/// Target `properties-escape`: a key, a value and a comment (input parts separated by 0xFF
/// bytes) through `PropertiesFormat.render`, the public entry to `PropertiesFormat.escape`, and
/// `PropertiesJSON.render`; the value also as `PropertyValue(coercing:)` makes it.
///
/// Properties: no crash; the `.properties` text is printable ASCII and line feeds only, one line
/// per comment line (each starting with `#`) and one per property; `java.util.Properties.load`
/// (ported in `JavaProperties`) reads back exactly the keys and values; the JSON output parses
/// back to the same keys and values; a number that coercion makes is made again from its text.
public func fuzzPropertiesEscape(_ data: UnsafeRawBufferPointer) {
    let target = FuzzTarget.propertiesEscape
    let pieces = parts(of: data.byteArray, maximum: 3).map { String(decoding: $0, as: UTF8.self) }
    let key = pieces[0]
    let value = pieces.count > 1 ? pieces[1] : ""
    let comment = pieces.count > 2 ? pieces[2] : nil
    let coerced = PropertyValue(coercing: value)
    if case .integer(let number) = coerced {
        require(PropertyValue(coercing: String(number)) == coerced, target, "\(shown(value)) coerced to \(number), but its text does not")
    }
    checkProperties([key: .string(value)], comment: comment, as: target)
    checkProperties([key: coerced, key + ".\(key.count)": .boolean(value.isEmpty)], comment: nil, as: target)
}

/// The `.properties` and JSON renderings of `properties`, read back.
func checkProperties(_ properties: [String: PropertyValue], comment: String?, as target: FuzzTarget) {
    let text = PropertiesFormat.render(properties, comment: comment)
    require(text.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) || $0 == "\n" }, target,
            "the .properties text is not printable ASCII: \(shown(text))")
    require(text.isEmpty || text.unicodeScalars.last == "\n", target, "the .properties text does not end a line")
    let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    let commentLines = lines.filter { $0.first == "#" }.count
    require(lines.count == commentLines + properties.count && lines.prefix(commentLines).allSatisfy { $0.first == "#" }, target,
            "\(properties.count) properties took \(lines.count) lines, \(commentLines) of them comments: \(shown(text))")
    if let comment {
        require(commentLines == comment.split(whereSeparator: \.isNewline).count, target,
                "the comment \(shown(comment)) took \(commentLines) lines")
    }

    let loaded: [String: String]
    do throws(JavaProperties.MalformedEscape) {
        loaded = try JavaProperties.load(text)
    } catch {
        violated(target, "Properties.load refuses \(shown(text)): a malformed \\uXXXX")
    }
    require(loaded.count == properties.count, target, "Properties.load reads \(loaded.count) properties from \(shown(text))")
    for (key, value) in properties {
        guard let read = loaded.first(where: { sameScalars($0.key, key) })?.value else {
            violated(target, "Properties.load does not read the key \(shown(key)) from \(shown(text))")
        }
        require(sameScalars(read, value.text), target,
                "Properties.load reads \(shown(read)) for \(shown(key)) = \(shown(value.text)) from \(shown(text))")
    }

    let json = PropertiesJSON.render(properties)
    guard case .object(let members)? = JSONValue.parse(Array(json.utf8)) else {
        violated(target, "the JSON output is not a JSON object: \(shown(json))")
    }
    require(members.count == properties.count, target, "the JSON output has \(members.count) members: \(shown(json))")
    for (key, value) in properties {
        guard let member = members.first(where: { sameScalars($0.key, key) })?.value else {
            violated(target, "the JSON output lacks \(shown(key)): \(shown(json))")
        }
        let same: Bool
        switch (value, member) {
        case let (.string(text), .string(read)): same = sameScalars(text, read)
        case let (.integer(number), .integer(read)): same = number == read
        case let (.integer(number), .number(read)): same = Double(number) == read
        case let (.decimal(number), .number(read)): same = number.isFinite && number == read
        case let (.decimal(number), .integer(read)): same = number.isFinite && number == Double(read)
        case let (.decimal(number), .string(read)): same = !number.isFinite && read == value.text
        case let (.boolean(flag), .bool(read)): same = flag == read
        default: same = false
        }
        require(same, target, "the JSON output has \(member) for \(shown(key)) = \(value): \(shown(json))")
    }
}
