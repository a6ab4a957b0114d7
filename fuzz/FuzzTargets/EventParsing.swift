import Deployment
import JSON
import LambdaRuntime
import TableAPI

/// Target `event-parsing`: the invocation event, as bytes, through `DeploymentEvent.parse`.
///
/// Properties: no crash; an accepted event obeys every rule the README states (names 1–256
/// characters, secret path 1–2048 and a secret name or ARN, no control characters, no surrounding
/// whitespace, `tf.action` one of three, `dry_run` a boolean, unknown keys named and sorted), its
/// catalog and database quote and unquote as SQL identifiers, and written back as JSON it parses
/// to the same event; a refused event is one `Function.InvalidEvent` whose Runtime API error body
/// is JSON without raw control characters that gives back the same message.
public func fuzzEventParsing(_ data: UnsafeRawBufferPointer) {
    _ = checkEvent(data.byteArray, as: .eventParsing)
}

/// Parses an event and checks the outcome; returns the error the handler would report.
@discardableResult
func checkEvent(_ bytes: [UInt8], as target: FuzzTarget) -> LambdaError? {
    do throws(LambdaError) {
        let event = try DeploymentEvent.parse(bytes)
        checkAccepted(event, from: bytes, as: target)
        return nil
    } catch {
        require(error.errorType == "Function.InvalidEvent", target, "a refused event gave \(error.errorType)")
        require(startsWith(error.message, "invalid event: "), target, "unexpected message \(shown(error.message))")
        checkErrorBody(error, as: target)
        return error
    }
}

private let knownKeys: Set<String> = ["catalog_name", "database_name", "ccaf_secrets_path", "tf", "dry_run"]

private func checkAccepted(_ event: DeploymentEvent, from bytes: [UInt8], as target: FuzzTarget) {
    guard case .object(let fields)? = JSONValue.parse(bytes) else {
        violated(target, "accepted an event that is not a JSON object")
    }
    for (key, value, maximum) in [("catalog_name", event.catalogName, 256), ("database_name", event.databaseName, 256),
                                  ("ccaf_secrets_path", event.ccafSecretsPath, 2048)] {
        guard case .string(let original)? = fields[key], sameScalars(original, value) else {
            violated(target, "\(key) is \(shown(value)), not the string the event holds")
        }
        require(DeploymentEvent.problem(with: value, field: key, maximumLength: maximum) == nil, target,
                "accepted \(key) \(shown(value)), which breaks a rule")
        require(!value.isEmpty && value.count <= maximum, target, "accepted \(key) of \(value.count) characters")
        require(!value.unicodeScalars.contains { $0.properties.generalCategory == .control }, target,
                "accepted \(key) with a control character: \(shown(value))")
        require(!value.unicodeScalars.first!.properties.isWhitespace && !value.unicodeScalars.last!.properties.isWhitespace,
                target, "accepted \(key) with surrounding whitespace: \(shown(value))")
    }
    require(isSecretId(event.ccafSecretsPath), target, "accepted the secret path \(shown(event.ccafSecretsPath))")

    // The names end up back-quoted in SQL: they must be identifiers that survive quoting.
    for name in [event.catalogName, event.databaseName] {
        do throws(TableAPIError) {
            try SQL.checkIdentifier(name)
            let back = try SQL.unquoteIdentifier(SQL.identifier(name))
            require(sameScalars(back, name), target, "the name \(shown(name)) came back from SQL as \(shown(back))")
        } catch {
            violated(target, "accepted the name \(shown(name)), which is not a SQL identifier: \(error)")
        }
    }

    switch fields["tf"] {
    case nil, .null?:
        require(event.terraformAction == nil, target, "a tf action without tf")
    case .object(let tf)?:
        guard case .string(let action)? = tf["action"], event.terraformAction?.rawValue == action else {
            violated(target, "tf.action is not the action the event holds")
        }
    case .some:
        violated(target, "accepted a tf that is not an object")
    }
    switch fields["dry_run"] {
    case nil, .null?: require(!event.dryRun, target, "dry_run without dry_run")
    case .bool(let value)?: require(event.dryRun == value, target, "dry_run is not the event's")
    case .some: violated(target, "accepted a dry_run that is not a boolean")
    }
    let unknown = fields.keys.filter { !knownKeys.contains($0) }
    require(event.unknownKeys == event.unknownKeys.sorted(), target, "unknown keys are not sorted")
    require(event.unknownKeys.count == unknown.count && event.unknownKeys.allSatisfy { fields[$0] != nil && !knownKeys.contains($0) },
            target, "unknown keys \(event.unknownKeys.map { shown($0) }) for \(unknown.map { shown($0) })")

    // Written back as JSON (as the CLI writes an event from its flags), it is the same event.
    var members: [(String, String)] = [
        ("catalog_name", JSONText.string(event.catalogName)), ("database_name", JSONText.string(event.databaseName)),
        ("ccaf_secrets_path", JSONText.string(event.ccafSecretsPath)), ("dry_run", event.dryRun ? "true" : "false"),
    ]
    if let action = event.terraformAction { members.append(("tf", JSONText.object([("action", JSONText.string(action.rawValue))]))) }
    let text = JSONText.object(members)
    do throws(LambdaError) {
        let again = try DeploymentEvent.parse(Array(text.utf8))
        require(sameScalars(again.catalogName, event.catalogName) && sameScalars(again.databaseName, event.databaseName)
                && sameScalars(again.ccafSecretsPath, event.ccafSecretsPath) && again.terraformAction == event.terraformAction
                && again.dryRun == event.dryRun && again.unknownKeys.isEmpty,
                target, "the event written back as \(shown(text)) parses to another event")
    } catch {
        violated(target, "the event written back as \(shown(text)) is refused: \(error)")
    }
}

/// The README's rule for `ccaf_secrets_path`: a secret name of ASCII letters, digits and
/// `/_+=.@-`, or `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`.
private func isSecretId(_ id: String) -> Bool {
    if id.hasPrefix("arn:") {
        let parts = id.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        return parts.count == 7 && parts[2] == "secretsmanager" && parts[5] == "secret" && !parts[6].isEmpty
    }
    return id.unicodeScalars.allSatisfy { scalar in
        scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                           || "/_+=.@-".unicodeScalars.contains(scalar))
    }
}

/// The body posted to the Runtime API's error endpoint: JSON with no raw control character (so
/// it is one log line too), that gives back the error's type and message unchanged.
func checkErrorBody(_ error: LambdaError, as target: FuzzTarget) {
    let json = error.json
    require(!json.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" },
            target, "the error body holds a raw control character: \(shown(json))")
    guard case .object(let body)? = JSONValue.parse(Array(json.utf8)) else {
        violated(target, "the error body is not a JSON object: \(shown(json))")
    }
    guard case .string(let message)? = body["errorMessage"], sameScalars(message, error.message),
          case .string(let type)? = body["errorType"], type == error.errorType,
          case .array? = body["stackTrace"] else {
        violated(target, "the error body \(shown(json)) does not give back the error \(shown(error.description))")
    }
}
