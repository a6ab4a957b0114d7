import Timing
import Redaction

/// One SSM parameter. The value is `Sensitive` because SecureStrings arrive decrypted.
public struct Parameter: Sendable {
    public enum Kind: String, Sendable, Decodable {
        case string = "String"
        case stringList = "StringList"
        case secureString = "SecureString"
    }

    public let name: String
    public let kind: Kind
    public let value: Sensitive<String>
    public let version: Int?
}

public struct ParameterStoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let underlying: AWSCallError

    public var description: String {
        let hint = ["AccessDeniedException", "AccessDenied"].contains(underlying.code)
            ? ": check that the role may call ssm:GetParametersByPath on it (and kms:Decrypt for SecureStrings)" : ""
        return "could not read the parameters under '\(path)'\(hint) (\(underlying))"
    }
}

public final class ParameterStoreClient {
    /// A bound on pages, so a service that keeps answering with a token cannot loop us for ever.
    static let maximumPages = 10_000
    private let client: AWSJSONClient

    public init(client: AWSJSONClient) {
        self.client = client
    }

    /// Every parameter under `path`, reading page after page until AWS stops sending a
    /// `NextToken`. A page may be empty and still carry a token: that is not the end.
    public func parameters(under path: String, recursive: Bool, withDecryption: Bool = true, deadline: Deadline) throws(ParameterStoreError) -> [Parameter] {
        struct Request: Encodable {
            let Path: String
            let Recursive: Bool
            let WithDecryption: Bool
            let MaxResults: Int
            let NextToken: String?
        }
        var parameters: [Parameter] = []
        var token: String?
        var seenTokens: Set<String> = []
        for _ in 0..<Self.maximumPages {
            let request = Request(Path: path, Recursive: recursive, WithDecryption: withDecryption, MaxResults: 10, NextToken: token)
            let page: Page
            do {
                page = try client.call("GetParametersByPath", request, as: Page.self, deadline: deadline)
            } catch {
                throw ParameterStoreError(path: path, underlying: error)
            }
            parameters += page.parameters
            guard let next = page.NextToken, !next.isEmpty else { return parameters }
            guard seenTokens.insert(next).inserted else {
                throw malformed(path, "SSM sent the same NextToken twice")
            }
            token = next
        }
        throw malformed(path, "more than \(Self.maximumPages) pages")
    }

    /// One GetParametersByPath answer.
    package struct Page: Decodable {
        struct Item: Decodable {
            let Name: String
            let `Type`: Parameter.Kind
            let Value: String
            let Version: Int?
        }
        let Parameters: [Item]?
        package let NextToken: String?

        package var parameters: [Parameter] {
            (Parameters ?? []).map { Parameter(name: $0.Name, kind: $0.Type, value: Sensitive($0.Value), version: $0.Version) }
        }
    }

    private func malformed(_ path: String, _ reason: String) -> ParameterStoreError {
        ParameterStoreError(path: path, underlying: AWSCallError(
            service: AWSService.ssm.serviceId, operation: "GetParametersByPath",
            failure: .malformedResponse(reason), requestId: nil, attempts: 1))
    }
}
