import FoundationEssentials
import JSON
import Pipelines
import Yams

/// A pipeline definition file as the CLI reads it: YAML or JSON (JSON is YAML's flow style), made
/// into the same JSON value the Lambda event carries, and the line every value starts on, so a
/// problem can point into the file.
public struct PipelineFile: Sendable {
    /// The file's name as the user gave it, for messages.
    public let name: String
    public let value: JSONValue
    /// JSON Pointer → 1-based line.
    private let lines: [String: Int]

    /// Reads and parses the file at `path`.
    public static func read(_ path: String) throws(PipelineFileError) -> PipelineFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineFileError("cannot read the pipeline file '\(path)'")
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    /// Parses YAML (or JSON) text. Anchors and aliases are resolved; tags other than the core
    /// schema's are read as text.
    public static func parse(_ text: String, name: String) throws(PipelineFileError) -> PipelineFile {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PipelineFileError("\(name) is not valid YAML or JSON: \(Self.describe(error))")
        } catch {
            throw PipelineFileError("\(name) is not valid YAML or JSON: \(error)")
        }
        guard let root else { throw PipelineFileError("\(name) is empty; it must hold a pipeline (name and statements)") }
        var lines: [String: Int] = [:]
        let value = try convert(root, pointer: "", lines: &lines, file: name)
        return PipelineFile(name: name, value: value, lines: lines)
    }

    /// The line of the value at `pointer`, or of its nearest enclosing value that has one.
    public func line(of pointer: String) -> Int? {
        var pointer = pointer
        while true {
            if let line = lines[pointer] { return line }
            guard let slash = pointer.lastIndex(of: "/") else { return nil }
            pointer = String(pointer[..<slash])
        }
    }

    /// `orders.yaml, line 12: statements[1] (id 'enrich').sql holds more than one statement …`.
    public func describe(_ problem: DefinitionProblem) -> String {
        let place = line(of: problem.pointer).map { "\(name), line \($0)" } ?? name
        return "\(place): \(problem)"
    }

    private static func convert(_ node: Node, pointer: String, lines: inout [String: Int], file: String) throws(PipelineFileError) -> JSONValue {
        if let line = node.mark?.line { lines[pointer] = line }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar, node: node)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try convert(element, pointer: "\(pointer)/\(index)", lines: &lines, file: file))
            }
            return .array(elements)
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw PipelineFileError("\(file), line \(key.mark?.line ?? 0): a key must be plain text, not a list or a mapping")
                }
                // Yams refuses a mapping with a key twice, so each key is new here.
                let name = keyScalar.string
                let member = "\(pointer)/\(name.replacing("~", with: "~0").replacing("/", with: "~1"))"
                members[name] = try convert(value, pointer: member, lines: &lines, file: file)
                // A member is where its key is: a block value starts on the line after it.
                if let line = key.mark?.line { lines[member] = line }
            }
            return .object(members)
        case .alias:
            // compose() resolves aliases; one left here would be a Yams change.
            throw PipelineFileError("\(file), line \(node.mark?.line ?? 0): an alias could not be resolved")
        }
    }

    /// The core schema's types, so `retries: 3` is a number and `'3'` a string, as in JSON.
    private static func scalarValue(_ scalar: Node.Scalar, node: Node) -> JSONValue {
        switch node.tag.description {  // resolved by the core schema's rules
        case Tag.Name.null.rawValue: return .null
        case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
        case Tag.Name.int.rawValue: return node.int.map { .integer(Int64($0)) } ?? .string(scalar.string)
        case Tag.Name.float.rawValue: return node.float.map(JSONValue.number) ?? .string(scalar.string)
        default: return .string(scalar.string)
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)" + (context.map { " \($0.text)" } ?? "")
        default:
            return "\(error)"
        }
    }
}

public struct PipelineFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
