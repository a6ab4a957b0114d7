import HTTP
import JSON
import Text

/// An AWS call that did not succeed, with what a user needs to act on it: the service, the
/// operation, the error code and message AWS gave, and the request id that support asks for.
public struct AWSCallError: Error, CustomStringConvertible, Sendable {
    public enum Failure: Sendable {
        /// AWS answered with an error.
        case service(code: String, message: String, status: Int)
        /// No answer at all (connection refused, reset, timed out).
        case transport(HTTPError)
        /// A success status with a body that is not what the API promises.
        case malformedResponse(String)
        /// No credentials could be found.
        case credentials(CredentialsError)
        /// The caller's deadline passed before an answer came.
        case deadlineExceeded
    }

    public let service: String
    public let operation: String
    public let failure: Failure
    public let requestId: String?
    public let attempts: Int

    /// The AWS error code (`ResourceNotFoundException`, `ThrottlingException`, …), if AWS answered.
    public var code: String? {
        if case .service(let code, _, _) = failure { return code }
        return nil
    }

    public var description: String {
        var text = "\(service) \(operation) failed"
        switch failure {
        case let .service(code, message, status):
            text += ": \(code)" + (message.isEmpty ? "" : ": \(message)") + " (HTTP \(status))"
        case let .transport(error):
            text += ": \(error.detail) (\(error.endpoint))"
        case let .malformedResponse(reason):
            text += ": unexpected response: \(reason)"
        case let .credentials(error):
            text += ": \(error)"
        case .deadlineExceeded:
            text += ": the deadline passed before AWS answered"
        }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if let requestId { text += " [request id \(requestId)]" }
        return text
    }
}

/// Reads AWS error bodies the way botocore does, and copes with the XML and HTML bodies that
/// proxies, gateways and emulators send instead of JSON.
package enum AWSErrorBody {
    package static func parse(_ response: HTTPResponse) -> (code: String, message: String, requestId: String?) {
        let headerRequestId = response.headers["x-amzn-RequestId"] ?? response.headers["x-amz-request-id"]
        if let json = try? JSONValue.decode(JSONError.self, from: response.body),
           json.type != nil || json.message != nil || json.Message != nil {
            let code = json.type.map(shortCode) ?? String(response.status)
            return (code, json.message ?? json.Message ?? "", headerRequestId)
        }
        let text = response.bodyText
        if let code = xmlElement("Code", in: text) {
            return (code, xmlElement("Message", in: text) ?? "", headerRequestId ?? xmlElement("RequestId", in: text))
        }
        return (String(response.status), summary(of: text), headerRequestId)
    }

    private struct JSONError: Decodable {
        let type: String?
        let message: String?
        let Message: String?
        enum CodingKeys: String, CodingKey { case type = "__type", message, Message }
    }

    /// `com.amazonaws.secretsmanager#ResourceNotFoundException:http://…` → `ResourceNotFoundException`.
    static func shortCode(_ raw: String) -> String {
        let beforeColon = raw.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(beforeColon.split(separator: "#").last ?? beforeColon)
    }

    private static func xmlElement(_ name: String, in text: String) -> String? {
        guard let open = text.firstRange(ofScalars: "<\(name)>"), let close = text[open.upperBound...].firstRange(ofScalars: "</\(name)>") else {
            return nil
        }
        return String(text[open.upperBound..<close.lowerBound]).trimmed()
    }

    /// The start of a non-JSON body with markup removed, enough to recognise an HTML error page.
    private static func summary(of text: String) -> String {
        var plain = ""
        var inTag = false
        for character in text {
            if character == "<" { inTag = true } else if character == ">" { inTag = false; plain += " " } else if !inTag { plain.append(character) }
        }
        let words = plain.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return words.count > 300 ? String(words.prefix(300)) + "…" : words
    }
}
