import BuiltinPipelines
import JSON
import LambdaRuntime
import Pipelines
import Text

/// The invocation event: which catalog and database to deploy into and where the CCAF
/// settings secret is, plus what Terraform's `aws_lambda_invocation` adds in CRUD mode.
public struct DeploymentEvent: Sendable, Equatable {
    public enum TerraformAction: String, Sendable, Equatable { case create, update, delete }

    public let catalogName: String
    public let databaseName: String
    public let ccafSecretsPath: String
    public let terraformAction: TerraformAction?
    public let dryRun: Bool
    public let pipeline: PipelineChoice
    /// Statements deployed by other tools that a built-in pipeline's one streaming statement takes over.
    public let adopt: [String]
    /// Where the previous input deployed (`tf.prev_input`), when that was another target or pipeline.
    public let previous: PreviousDeployment?
    /// Top-level keys the event carried that mean nothing here (named in a warning, never their values).
    public let unknownKeys: [String]

    public init(catalogName: String, databaseName: String, ccafSecretsPath: String,
                pipeline: PipelineChoice = .builtin(BuiltinPipelines.default.name), adopt: [String] = [],
                previous: PreviousDeployment? = nil,
                terraformAction: TerraformAction? = nil, dryRun: Bool = false, unknownKeys: [String] = []) {
        self.catalogName = catalogName
        self.databaseName = databaseName
        self.ccafSecretsPath = ccafSecretsPath
        self.terraformAction = terraformAction
        self.dryRun = dryRun
        self.pipeline = pipeline
        self.adopt = adopt
        self.previous = previous
        self.unknownKeys = unknownKeys
    }

    /// The longest catalog or database name accepted.
    public static let maximumNameLength = 256
    static let knownKeys: Set<String> = ["catalog_name", "database_name", "ccaf_secrets_path", "pipeline", "adopt", "tf", "dry_run"]

    /// Validates an event. Every rule it breaks is named in one `Function.InvalidEvent` error.
    public static func parse(_ bytes: [UInt8]) throws(LambdaError) -> DeploymentEvent {
        guard let json = JSONValue.parse(bytes) else {
            throw invalid(["the event is not valid JSON"])
        }
        guard case .object(let fields) = json else {
            throw invalid(["the event must be a JSON object, not \(json.kindDescription)"])
        }
        var problems: [String] = []
        let catalog = requiredString("catalog_name", in: fields, maximumLength: maximumNameLength, problems: &problems)
        let database = requiredString("database_name", in: fields, maximumLength: maximumNameLength, problems: &problems)
        let secretsPath = requiredString("ccaf_secrets_path", in: fields, maximumLength: 2048, problems: &problems)
        if let secretsPath, let problem = SecretId.problem(with: secretsPath) {
            problems.append("ccaf_secrets_path \(problem)")
        }
        let pipeline = pipelineChoice(fields["pipeline"], problems: &problems)
        let adopt = adoptedNames(fields["adopt"], pipeline: pipeline, problems: &problems)
        let action = terraformAction(fields["tf"], problems: &problems)
        var dryRun = false
        switch fields["dry_run"] {
        case nil, .null: break
        case .bool(let value): dryRun = value
        case let other?: problems.append("dry_run must be a boolean, not \(other.kindDescription)")
        }
        guard problems.isEmpty, let catalog, let database, let secretsPath, let pipeline else { throw invalid(problems) }
        let previous = PreviousDeployment(fields["tf"]?["prev_input"]).flatMap { previous in
            previous == PreviousDeployment(catalog: catalog, database: database, pipeline: pipeline.name) ? nil : previous
        }
        return DeploymentEvent(
            catalogName: catalog, databaseName: database, ccafSecretsPath: secretsPath, pipeline: pipeline, adopt: adopt,
            previous: previous, terraformAction: action,
            dryRun: dryRun, unknownKeys: fields.keys.filter { !knownKeys.contains($0) }.sorted())
    }

    private static func invalid(_ problems: [String]) -> LambdaError {
        .function("InvalidEvent", "invalid event: " + problems.joined(separator: "; "))
    }

    private static func requiredString(_ name: String, in fields: [String: JSONValue], maximumLength: Int, problems: inout [String]) -> String? {
        guard let value = fields[name], value != .null else {
            problems.append("\(name) is required")
            return nil
        }
        guard case .string(let text) = value else {
            problems.append("\(name) must be a string, not \(value.kindDescription)")
            return nil
        }
        if let problem = problem(with: text, field: name, maximumLength: maximumLength) {
            problems.append(problem)
            return nil
        }
        return text
    }

    /// What is wrong with one name field, if anything: empty, too long, a control character,
    /// or surrounding whitespace. The CLI uses it for the same fields given as flags.
    public static func problem(with text: String, field name: String, maximumLength: Int) -> String? {
        if text.isEmpty {
            return "\(name) must not be empty"
        } else if text.count > maximumLength {
            return "\(name) is \(text.count) characters long; at most \(maximumLength) are allowed"
        } else if let (offset, scalar) = text.unicodeScalars.enumerated().first(where: { isControl($0.element) }) {
            return "\(name) contains the control character U+\(Hex.padded(scalar.value, uppercase: true)) at position \(offset + 1)"
        } else if text.first!.isWhitespace || text.last!.isWhitespace {
            return "\(name) must not start or end with whitespace"
        }
        return nil
    }

    /// A built-in pipeline's name (the default when absent) or a pipeline definition object.
    private static func pipelineChoice(_ value: JSONValue?, problems: inout [String]) -> PipelineChoice? {
        switch value {
        case nil, .null?:
            return .builtin(BuiltinPipelines.default.name)
        case .string(let name)?:
            guard BuiltinPipelines.named(name) != nil else {
                problems.append("pipeline '\(name.prefix(60))' is not a built-in pipeline (built-in: \(BuiltinPipelines.names.joined(separator: ", "))); give one of those or a definition object")
                return nil
            }
            return .builtin(name)
        case .object?:
            switch PipelineDefinition.parse(value!) {
            case .success(let pipeline):
                return .definition(pipeline)
            case .failure(let errors):
                problems += errors.problems.map { problem in
                    let place = problem.place.isEmpty ? "pipeline" : "pipeline.\(problem.place)"
                    return "\(place) \(problem.message)"
                }
                return nil
            }
        case let other?:
            problems.append("pipeline must be a built-in pipeline's name or a definition object, not \(other.kindDescription)")
            return nil
        }
    }

    /// `adopt`: names of statements a built-in pipeline takes over (a definition names them per statement).
    /// `adopt`: names of statements a built-in pipeline takes over (a definition names them per statement).
    private static func adoptedNames(_ value: JSONValue?, pipeline: PipelineChoice?, problems: inout [String]) -> [String] {
        if case .array? = value, case .definition? = pipeline {
            problems.append("adopt is for built-in pipelines; in a definition, give adopt on the statement that takes over")
        }
        let (names, adoptProblems) = AdoptList.read(value)
        problems += adoptProblems.map { "adopt\($0.index.map { "[\($0)]" } ?? "") \($0.message)" }
        return names
    }

    private static func terraformAction(_ value: JSONValue?, problems: inout [String]) -> TerraformAction? {
        switch value {
        case nil, .null:
            return nil
        case .object(let tf):
            switch tf["prev_input"] {
            case nil, .null, .object: break
            case let other?: problems.append("tf.prev_input must be an object, not \(other.kindDescription)")
            }
            guard case .string(let name)? = tf["action"] else {
                problems.append(tf["action"] == nil ? "tf.action is required when tf is given"
                                : "tf.action must be a string, not \(tf["action"]!.kindDescription)")
                return nil
            }
            guard let action = TerraformAction(rawValue: name) else {
                problems.append("tf.action must be create, update or delete, not '\(name.prefix(40))'")
                return nil
            }
            return action
        case let other?:
            problems.append("tf must be an object, not \(other.kindDescription)")
            return nil
        }
    }

    /// Unicode's control characters (category Cc): C0, DEL and C1.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}

/// What the previous input of a Terraform invocation deployed: its target and pipeline.
public struct PreviousDeployment: Sendable, Equatable {
    public let catalog: String
    public let database: String
    public let pipeline: String

    public init(catalog: String, database: String, pipeline: String) {
        self.catalog = catalog
        self.database = database
        self.pipeline = pipeline
    }

    /// Read from `tf.prev_input`, which holds an event this function accepted before; `nil` when
    /// it does not name a target.
    init?(_ input: JSONValue?) {
        guard case .string(let catalog)? = input?["catalog_name"], case .string(let database)? = input?["database_name"] else {
            return nil
        }
        let pipeline: String
        switch input?["pipeline"] {
        case .string(let name)?: pipeline = name
        case .object(let definition)?:
            guard case .string(let name)? = definition["name"] else { return nil }
            pipeline = name
        default: pipeline = BuiltinPipelines.default.name
        }
        self.init(catalog: catalog, database: database, pipeline: pipeline)
    }
}

/// Which pipeline an event deploys.
public enum PipelineChoice: Sendable, Equatable {
    /// A pipeline written in Swift, by name (see `BuiltinPipelines`).
    case builtin(String)
    /// A definition given whole in the event.
    case definition(Pipeline)

    /// The pipeline's name: its statements' label, and the result's `pipeline`.
    public var name: String {
        switch self {
        case .builtin(let name): name
        case .definition(let pipeline): pipeline.name
        }
    }
}

/// The rules Secrets Manager has for what names a secret: a name of letters, digits and
/// `/_+=.@-`, or a Secrets Manager secret ARN.
enum SecretId {
    static func problem(with id: String) -> String? {
        if id.hasPrefix("arn:") {
            let parts = id.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
            guard parts.count == 7, parts[2] == "secretsmanager", parts[5] == "secret", !parts[6].isEmpty else {
                return "is not a Secrets Manager secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>)"
            }
            return nil
        }
        let allowed = Set("/_+=.@-")
        guard id.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || allowed.contains($0) }) else {
            return "may contain only ASCII letters, digits and /_+=.@- (or be a secret ARN)"
        }
        return nil
    }
}
