@testable import AWS
import Foundation
import HTTP
import Logging
import TestSupport
import Testing
import Timing

/// The Secrets Manager and SSM clients against moto's server with signature checking on.
@Suite(.serialized) struct MotoTests {
    static let moto: Result<PeerProcess, Error> = Result { try PeerProcess(script: "e2e/peers/moto_peer.py") }

    private func peer() throws -> PeerProcess { try Self.moto.get() }

    private func client(_ service: AWSService, keyId: String? = nil, secret: String? = nil, token: String? = nil) throws -> AWSJSONClient {
        let moto = try peer()
        var environment = [
            "AWS_ENDPOINT_URL": moto["endpoint"], "AWS_REGION": moto["region"],
            "AWS_ACCESS_KEY_ID": keyId ?? moto["access_key_id"],
            "AWS_SECRET_ACCESS_KEY": secret ?? moto["secret_access_key"],
        ]
        if let token { environment["AWS_SESSION_TOKEN"] = token }
        let http = HTTPClient(userAgent: "ccaf-deploy-tests")
        return AWSJSONClient(
            configuration: try AWSServiceConfiguration(service: service, environment: environment),
            credentials: CredentialChain(environment: environment, http: http), http: http,
            retry: RetryPolicy(maxAttempts: 1), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    private var deadline: Deadline { .after(.seconds(20)) }

    @Test func readsASecretStringWithACorrectSignature() throws {
        let secrets = SecretsManagerClient(client: try client(.secretsManager))
        guard case .string(let text) = try secrets.getSecretValue("ccaf/demo/settings", deadline: deadline) else {
            Issue.record("expected a SecretString")
            return
        }
        let settings = try JSONSerialization.jsonObject(with: Data(text.value.utf8)) as? [String: String]
        #expect(settings?["flink.api.secret"] == "flink-secret-Zq9!vR2#demo")
        #expect(settings?.count == 8)
    }

    @Test func readsASecretBinary() throws {
        let secrets = SecretsManagerClient(client: try client(.secretsManager))
        guard case .binary(let bytes) = try secrets.getSecretValue("ccaf/demo/binary", deadline: deadline) else {
            Issue.record("expected a SecretBinary")
            return
        }
        #expect(bytes.value == Array(0...255))
    }

    @Test func signsTheSessionTokenOfTemporaryCredentials() throws {
        let moto = try peer()
        let secrets = SecretsManagerClient(client: try client(
            .secretsManager, keyId: moto["session_access_key_id"], secret: moto["session_secret_access_key"],
            token: moto["session_token"]))
        _ = try secrets.getSecretValue("ccaf/demo/settings", deadline: deadline)
    }

    @Test func aMissingSecretIsNotFoundAndNamed() throws {
        let secrets = SecretsManagerClient(client: try client(.secretsManager))
        let error = try #require(throws: SecretsManagerError.self) {
            try secrets.getSecretValue("ccaf/does-not-exist", deadline: deadline)
        }
        #expect(error.reason == .notFound)
        #expect(error.underlying.code == "ResourceNotFoundException")
        #expect(error.description.contains("'ccaf/does-not-exist' was not found in region us-east-1"))
    }

    @Test func aWrongSecretKeyIsRefused() throws {
        let wrongSecret = "wrongwrongwrongwrongwrongwrongwrongwrong"
        let secrets = SecretsManagerClient(client: try client(.secretsManager, secret: wrongSecret))
        let error = try #require(throws: SecretsManagerError.self) {
            try secrets.getSecretValue("ccaf/demo/settings", deadline: deadline)
        }
        #expect(error.underlying.code == "SignatureDoesNotMatch")
        #expect(error.description.contains("HTTP 403"))
        #expect(!error.description.contains(wrongSecret))
    }

    @Test func anUnknownKeyIsRefused() throws {
        let secrets = SecretsManagerClient(client: try client(.secretsManager, keyId: "AKIAUNKNOWNUNKNOWN00"))
        let error = try #require(throws: SecretsManagerError.self) {
            try secrets.getSecretValue("ccaf/demo/settings", deadline: deadline)
        }
        #expect(error.underlying.code == "InvalidClientTokenId")
        #expect(error.description.contains("The security token included in the request is invalid"))
    }

    @Test func aTamperedSignatureIsRefused() throws {
        let moto = try peer()
        let credentials = AWSCredentials(accessKeyId: moto["access_key_id"], secretAccessKey: moto["secret_access_key"])
        var request = HTTPRequest(
            method: "POST", endpoint: try HTTPEndpoint(parsing: moto["endpoint"]),
            headers: HTTPHeaders([("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "secretsmanager.GetSecretValue")]),
            body: Array(#"{"SecretId":"ccaf/demo/settings"}"#.utf8))
        SigV4Signer(service: "secretsmanager", region: "us-east-1").sign(&request, credentials: credentials, epochSeconds: currentEpochMilliseconds() / 1000)
        var authorization = try #require(request.headers["Authorization"])
        let last = authorization.removeLast()
        request.headers.set("Authorization", authorization + (last == "0" ? "1" : "0"))

        let response = try HTTPClient(userAgent: "tests").send(request)
        #expect(response.status == 403)
        #expect(AWSErrorBody.parse(response).code == "SignatureDoesNotMatch")
    }

    @Test func aUserWithoutPermissionIsDeniedAndToldWhatToGrant() throws {
        let moto = try peer()
        let secrets = SecretsManagerClient(client: try client(
            .secretsManager, keyId: moto["denied_access_key_id"], secret: moto["denied_secret_access_key"]))
        let error = try #require(throws: SecretsManagerError.self) {
            try secrets.getSecretValue("ccaf/demo/settings", deadline: deadline)
        }
        #expect(error.reason == .accessDenied, "\(error)")
        #expect(error.description.contains("secretsmanager:GetSecretValue"))
    }

    @Test func readsEveryPageOfParametersAndDecryptsSecureStrings() throws {
        let store = ParameterStoreClient(client: try client(.ssm))
        let parameters = try store.parameters(under: "/ccaf/kafka", recursive: false, deadline: deadline)
        let byName = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value.value) })
        #expect(byName.count == 14)
        #expect(byName["/ccaf/kafka/p12"] == "value-12")
        #expect(byName["/ccaf/kafka/secure"] == "ssm-secure-Qw3#value")
        #expect(byName["/ccaf/kafka/nested/deep"] == nil)
        #expect(parameters.first { $0.name == "/ccaf/kafka/secure" }?.kind == .secureString)
    }

    @Test func recursiveReadsIncludeNestedPaths() throws {
        let store = ParameterStoreClient(client: try client(.ssm))
        let parameters = try store.parameters(under: "/ccaf/kafka", recursive: true, deadline: deadline)
        #expect(parameters.count == 15)
        #expect(parameters.contains { $0.name == "/ccaf/kafka/nested/deep" && $0.value.value == "deep-value" })
    }

    @Test func anEmptyPathGivesNoParameters() throws {
        let store = ParameterStoreClient(client: try client(.ssm))
        #expect(try store.parameters(under: "/nothing/here", recursive: true, deadline: deadline).isEmpty)
    }
}
