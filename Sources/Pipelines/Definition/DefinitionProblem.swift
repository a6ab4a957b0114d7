/// One thing wrong with a pipeline definition: where (a JSON Pointer into the definition, which
/// the CLI turns into a line of the file, and the same place in words) and what.
public struct DefinitionProblem: Sendable, Equatable, CustomStringConvertible {
    /// RFC 6901, relative to the pipeline object: `/statements/1/sql`.
    public let pointer: String
    /// `statements[1] (id 'enrich').sql`.
    public let place: String
    /// Completes the place: `holds more than one statement …`.
    public let message: String

    public var description: String { place.isEmpty ? message : "\(place) \(message)" }
}

/// A position in a definition, built up as validation descends into it.
struct DefinitionPath {
    private var pointerParts: [String] = []
    private var placeParts: [String] = []

    func member(_ key: String) -> DefinitionPath {
        var path = self
        path.pointerParts.append(Self.escape(key))
        path.placeParts.append(placeParts.isEmpty ? key : ".\(key)")
        return path
    }

    func element(_ index: Int, id: String? = nil) -> DefinitionPath {
        var path = self
        path.pointerParts.append(String(index))
        path.placeParts.append("[\(index)]" + (id.map { " (id '\($0)')" } ?? ""))
        return path
    }

    /// `properties['sql.state-ttl']`: keys with dots read better bracketed.
    func key(_ key: String) -> DefinitionPath {
        var path = self
        path.pointerParts.append(Self.escape(key))
        path.placeParts.append("['\(key)']")
        return path
    }

    func problem(_ message: String) -> DefinitionProblem {
        DefinitionProblem(pointer: pointerParts.map { "/" + $0 }.joined(), place: placeParts.joined(), message: message)
    }

    private static func escape(_ key: String) -> String {
        var escaped = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
