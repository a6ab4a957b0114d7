@testable import AWS
import Foundation
import HTTP
import TestSupport
import Testing

@Suite struct AWSErrorBodyTests {
    private func parse(_ status: Int, _ body: String, headers: [(String, String)] = []) -> (code: String, message: String, requestId: String?) {
        AWSErrorBody.parse(HTTPResponse(status: status, headers: HTTPHeaders(headers), body: Array(body.utf8)))
    }

    @Test func stripsTypePrefixesAndSuffixes() {
        #expect(parse(400, #"{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","message":"m"}"#).code == "ResourceNotFoundException")
        #expect(parse(400, #"{"__type":"ThrottlingException:http://internal.amazon.com/coral/","message":"m"}"#).code == "ThrottlingException")
    }

    @Test func acceptsMessageInEitherCase() {
        #expect(parse(400, #"{"__type":"ValidationException","Message":"capital"}"#).message == "capital")
        #expect(parse(400, #"{"__type":"X","message":"lower"}"#).message == "lower")
    }

    @Test func readsXMLErrorsAsGatewaysAndEmulatorsSendThem() {
        let xml = "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></Errors><RequestId>r-9</RequestId></ErrorResponse>"
        let parsed = parse(403, xml)
        #expect(parsed.code == "SignatureDoesNotMatch")
        #expect(parsed.message == "The request signature we calculated does not match")
        #expect(parsed.requestId == "r-9")
    }

    @Test func fallsBackToTheStatusAndTheTextOfAnHTMLPage() {
        let parsed = parse(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad   Gateway</h1></body></html>",
                           headers: [("x-amzn-RequestId", "req-1")])
        #expect(parsed.code == "502")
        #expect(parsed.message == "502 Bad Gateway Bad Gateway")
        #expect(parsed.requestId == "req-1")
    }
}

@Suite struct AWSServiceConfigurationTests {
    @Test func usesThePublicEndpointOfTheRegion() throws {
        let configuration = try AWSServiceConfiguration(service: .ssm, environment: ["AWS_DEFAULT_REGION": "eu-west-1"])
        #expect(configuration.endpoint.description == "https://ssm.eu-west-1.amazonaws.com")
        let china = try AWSServiceConfiguration(service: .secretsManager, environment: ["AWS_REGION": "cn-north-1"])
        #expect(china.endpoint.host == "secretsmanager.cn-north-1.amazonaws.com.cn")
    }

    @Test func theServiceVariableWinsOverTheGlobalOne() throws {
        let environment = ["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:2"]
        #expect(try AWSServiceConfiguration(service: .secretsManager, environment: environment).endpoint.port == 2)
        #expect(try AWSServiceConfiguration(service: .ssm, environment: environment).endpoint.port == 1)
        let ignored = environment.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 }
        #expect(try AWSServiceConfiguration(service: .ssm, environment: ignored).endpoint.host == "ssm.us-east-1.amazonaws.com")
    }

    @Test func namesWhatIsWrongWithTheConfiguration() {
        #expect(throws: AWSConfigurationError.self) { try AWSServiceConfiguration(service: .ssm, environment: [:]) }
        let badRegion = #expect(throws: AWSConfigurationError.self) {
            try AWSServiceConfiguration(service: .ssm, environment: ["AWS_REGION": "us-east-1.evil.com/"])
        }
        #expect(badRegion?.description.contains("is not valid") == true)
        let badEndpoint = #expect(throws: AWSConfigurationError.self) {
            try AWSServiceConfiguration(service: .ssm, environment: ["AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_SSM": "localhost:4566"])
        }
        #expect(badEndpoint?.description.hasPrefix("AWS_ENDPOINT_URL_SSM:") == true)
    }
}

@Suite struct CredentialChainTests {
    private let http = HTTPClient(userAgent: "tests")

    @Test func environmentVariablesComeFirst() throws {
        let chain = CredentialChain(environment: ["AWS_ACCESS_KEY_ID": "AKIA1", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t"], http: http)
        let credentials = try chain.credentials()
        #expect(credentials.accessKeyId == "AKIA1" && credentials.sessionToken?.value == "t")
        #expect("\(credentials)" == "AWSCredentials(<redacted>)")
    }

    @Test func halfSetEnvironmentVariablesAreAnError() {
        let error = #expect(throws: CredentialsError.self) {
            try CredentialChain(environment: ["AWS_ACCESS_KEY_ID": "AKIA1"], http: http).credentials()
        }
        #expect(error?.description.contains("only AWS_ACCESS_KEY_ID is set") == true)
    }

    @Test func readsTheProfileOfTheSharedCredentialsFile() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "credentials-\(UUID().uuidString)")
        try """
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default-secret
            # a comment
            [profile deploy]
            aws_access_key_id=AKIADEPLOY
            aws_secret_access_key=deploy-secret
            aws_session_token = deploy-token
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let deploy = try CredentialChain(environment: ["AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_PROFILE": "deploy"], http: http).credentials()
        #expect(deploy.accessKeyId == "AKIADEPLOY" && deploy.sessionToken?.value == "deploy-token")
        let fallback = try CredentialChain(environment: ["AWS_SHARED_CREDENTIALS_FILE": file.path], http: http).credentials()
        #expect(fallback.accessKeyId == "AKIADEFAULT")
        let missing = #expect(throws: CredentialsError.self) {
            try CredentialChain(environment: ["AWS_SHARED_CREDENTIALS_FILE": file.path, "AWS_PROFILE": "nope"], http: http).credentials()
        }
        #expect(missing?.description.contains("no profile [nope]") == true)
    }

    @Test func fetchesFromTheContainerEndpointWithItsToken() throws {
        let answer: [String: Any] = ["status": 200, "body": #"{"AccessKeyId":"ASIACONTAINER","SecretAccessKey":"cs","Token":"ct","Expiration":"2099-01-01T00:00:00Z"}"#]
        let peer = try PeerProcess(script: "e2e/peers/fault_server.py", arguments: [String(decoding: try JSONSerialization.data(withJSONObject: [answer]), as: UTF8.self)])
        defer { peer.stop() }
        let chain = CredentialChain(environment: [
            "HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": peer["endpoint"] + "/2021-04-23/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token",
        ], http: http)
        let credentials = try chain.credentials()
        #expect(credentials.accessKeyId == "ASIACONTAINER" && credentials.sessionToken?.value == "ct")
        _ = try chain.credentials()  // cached: the peer sees one request
        let request = HTTPRequest(method: "GET", endpoint: try HTTPEndpoint(parsing: peer["endpoint"]), path: "/_requests")
        let received = try JSONSerialization.jsonObject(with: Data(try http.send(request).body)) as? [[String: Any]]
        #expect(received?.count == 1)
        #expect((received?.first?["headers"] as? [String: String])?["authorization"] == "container-token")
        #expect(received?.first?["path"] as? String == "/2021-04-23/credentials")
    }

    /// As the AWS SDKs: the token must not go over plain http to just any host.
    @Test(arguments: ["http://credentials.example.com/creds", "http://127.attacker.example/creds", "http://169.254.169.254/creds"])
    func refusesAPlainHTTPContainerEndpointOffTheHost(url: String) {
        let error = #expect(throws: CredentialsError.self) {
            try CredentialChain(environment: ["HOME": "/nonexistent", "AWS_CONTAINER_CREDENTIALS_FULL_URI": url,
                                              "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token"], http: http).credentials()
        }
        #expect(error?.description.contains("plain http only to a loopback address or to 169.254.170.2") == true, "\(String(describing: error))")
        #expect(error?.description.contains("container-token") == false)
    }

    @Test func saysWhatItTriedWhenNothingIsFound() {
        let error = #expect(throws: CredentialsError.self) {
            try CredentialChain(environment: ["HOME": "/nonexistent"], http: http).credentials()
        }
        #expect(error?.description.contains("environment variables") == true)
        #expect(error?.description.contains("/nonexistent/.aws/credentials") == true)
        #expect(error?.description.contains("container credentials endpoint") == true)
    }
}

@Suite struct ContainerCredentialsTests {
    @Test func containerCredentialsCarryTheirExpiration() {
        let body = #"{"AccessKeyId":"AKID","SecretAccessKey":"s","Token":"t","Expiration":"2024-01-02T03:04:05Z"}"#
        #expect(CredentialChain.containerCredentials(from: Array(body.utf8))?.expirationEpochMilliseconds == 1_704_164_645_000)
    }
}
