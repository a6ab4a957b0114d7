import JSON

/// A pipeline definition (a "manifest"): plain Flink SQL statements with an id each, given as
/// the event's `pipeline` object or as a YAML or JSON file to the CLI (see pipelines.md §3).
public enum PipelineDefinition {
    /// Properties the deployer sets itself, refused in a definition, with the reason.
    public static let deployerProperties: [String: String] = [
        "sql.current-catalog": "the catalog comes from the event's catalog_name",
        "sql.current-database": "the database comes from the event's database_name",
        "sql.tables.initial-offset-from": "the deployer sets it when it carries offsets over from a previous version",
        "sql.dry-run": "dry runs are asked for with the event's dry_run",
    ]

    static let pipelineFields: Set<String> = ["name", "statements"]
    static let statementFields: Set<String> = ["id", "sql", "properties", "compute_pool_id", "principal", "adopt", "allow_reprocess"]

    /// The pipeline a definition describes, or every problem it has (none of them fatal to the
    /// search for the others), in document order.
    public static func parse(_ value: JSONValue) -> Result<Pipeline, DefinitionErrors> {
        var problems: [DefinitionProblem] = []
        let root = DefinitionPath()
        guard case .object(let fields) = value else {
            return .failure(DefinitionErrors([root.problem("must be an object with name and statements, not \(value.kindDescription)")]))
        }
        problems += unknownFields(fields, known: pipelineFields, at: root)
        let name = identifier(fields["name"], at: root.member("name"), maximumLength: Pipeline.maximumNameLength, problems: &problems)

        var statements: [PipelineStatement] = []
        switch fields["statements"] {
        case nil, .null?:
            problems.append(root.member("statements").problem("is required: a list of 1 to \(Pipeline.maximumStatements) statements"))
        case .array(let entries)?:
            if entries.isEmpty || entries.count > Pipeline.maximumStatements {
                problems.append(root.member("statements").problem("has \(entries.count) statements; 1 to \(Pipeline.maximumStatements) are allowed"))
            }
            var seen: [String: Int] = [:]
            for (index, entry) in entries.enumerated() {
                let id: String? = if case .string(let text)? = entry["id"] { text } else { nil }
                let path = root.member("statements").element(index, id: id)
                if let id, let earlier = seen[id] {
                    problems.append(path.member("id").problem("repeats the id of statements[\(earlier)]; ids must be unique in a pipeline"))
                } else if let id {
                    seen[id] = index
                }
                if let statement = parseStatement(entry, at: path, problems: &problems) { statements.append(statement) }
            }
        case let other?:
            problems.append(root.member("statements").problem("must be a list of statements, not \(other.kindDescription)"))
        }
        guard problems.isEmpty, let name else { return .failure(DefinitionErrors(problems)) }
        return .success(Pipeline(name: name, statements: statements))
    }

    private static func parseStatement(_ value: JSONValue, at path: DefinitionPath, problems: inout [DefinitionProblem]) -> PipelineStatement? {
        guard case .object(let fields) = value else {
            problems.append(path.problem("must be an object with id and sql, not \(value.kindDescription)"))
            return nil
        }
        let before = problems.count
        problems += unknownFields(fields, known: statementFields, at: path)
        let id = identifier(fields["id"], at: path.member("id"), maximumLength: PipelineStatement.maximumIdLength, problems: &problems)

        var text: StatementText?
        switch fields["sql"] {
        case nil, .null?:
            problems.append(path.member("sql").problem("is required: one Flink SQL statement"))
        case .string(let sql)?:
            do {
                text = try StatementText(sql)
            } catch {
                problems.append(path.member("sql").problem(error.message))
            }
        case let other?:
            problems.append(path.member("sql").problem("must be a string of Flink SQL, not \(other.kindDescription)"))
        }

        var properties: [String: String] = [:]
        for setting in text?.settings ?? [] {
            let place = path.member("sql").key(setting.key)
            if let problem = propertyProblem(setting.key) {
                problems.append(place.problem("is set by a SET line, but \(problem)"))
            } else if properties[setting.key] != nil {
                problems.append(place.problem("is SET twice"))
            }
            properties[setting.key] = setting.value
        }
        switch fields["properties"] {
        case nil, .null?: break
        case .object(let members)?:
            for key in members.keys.sorted() {
                let place = path.member("properties").key(key)
                if let problem = propertyProblem(key) {
                    problems.append(place.problem(problem))
                } else if properties[key] != nil {
                    problems.append(place.problem("is also set by a SET line in sql; set it in one place"))
                }
                switch members[key]! {
                case .string(let value): properties[key] = value
                case let other: problems.append(place.problem("must be a string, not \(other.kindDescription) (write it quoted: \"\(other.jsonText)\")"))
                }
            }
        case let other?:
            problems.append(path.member("properties").problem("must be an object of string keys and string values, not \(other.kindDescription)"))
        }

        let pool = optionalName(fields["compute_pool_id"], at: path.member("compute_pool_id"), maximumLength: 255, problems: &problems)
        let principal = optionalName(fields["principal"], at: path.member("principal"), maximumLength: 1024, problems: &problems)
        let (adopt, adoptProblems) = AdoptList.read(fields["adopt"])
        problems += adoptProblems.map { problem in
            let place = problem.index.map { path.member("adopt").element($0) } ?? path.member("adopt")
            return place.problem(problem.message)
        }
        var allowReprocess = false
        switch fields["allow_reprocess"] {
        case nil, .null?: break
        case .bool(let value)?: allowReprocess = value
        case let other?: problems.append(path.member("allow_reprocess").problem("must be true or false, not \(other.kindDescription)"))
        }
        if !adopt.isEmpty, let text, text.kind == .bounded {
            problems.append(path.member("adopt").problem("is only for streaming statements (INSERT, EXECUTE STATEMENT SET), which have offsets to take over"))
        }
        guard problems.count == before, let id, let text else { return nil }
        return PipelineStatement(id: id, sql: text.sql, kind: text.kind, properties: properties, computePoolId: pool,
                                 principal: principal, adopt: adopt, allowReprocess: allowReprocess)
    }

    private static func propertyProblem(_ key: String) -> String? {
        if key.isEmpty { return "is an empty property key" }
        return deployerProperties[key].map { "is set by the deployer: \($0)" }
    }

    private static func unknownFields(_ fields: [String: JSONValue], known: Set<String>, at path: DefinitionPath) -> [DefinitionProblem] {
        fields.keys.filter { !known.contains($0) }.sorted().map { key in
            path.member(key).problem("is not a field of a \(known == pipelineFields ? "pipeline" : "statement") (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    /// `^[a-z][a-z0-9-]*$` of at most `maximumLength` characters.
    private static func identifier(_ value: JSONValue?, at path: DefinitionPath, maximumLength: Int, problems: inout [DefinitionProblem]) -> String? {
        guard let value, value != .null else {
            problems.append(path.problem("is required"))
            return nil
        }
        guard case .string(let text) = value else {
            problems.append(path.problem("must be a string, not \(value.kindDescription)"))
            return nil
        }
        let bytes = Array(text.utf8)
        let valid = bytes.first.map { $0 >= 0x61 && $0 <= 0x7A } == true
            && bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
        if !valid {
            problems.append(path.problem("'\(text.prefix(60))' must start with a lower-case letter and hold only lower-case letters, digits and '-'"))
            return nil
        }
        if bytes.count > maximumLength {
            problems.append(path.problem("'\(text.prefix(60))' is \(bytes.count) characters long; at most \(maximumLength) are allowed"))
            return nil
        }
        return text
    }

    private static func optionalName(_ value: JSONValue?, at path: DefinitionPath, maximumLength: Int, problems: inout [DefinitionProblem]) -> String? {
        switch value {
        case nil, .null?:
            return nil
        case .string(let text)? where !text.isEmpty && text.utf8.count <= maximumLength
            && text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }):
            return text
        case .string?:
            problems.append(path.problem("must be 1 to \(maximumLength) characters without spaces or control characters"))
            return nil
        case let other?:
            problems.append(path.problem("must be a string, not \(other.kindDescription)"))
            return nil
        }
    }
}

/// Every problem of a definition.
public struct DefinitionErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [DefinitionProblem]

    init(_ problems: [DefinitionProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "; ") }
}
