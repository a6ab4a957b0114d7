import AWS
import HTTP
import Timing

// Signs the same Secrets Manager request as bench/sigv4.py signs with botocore, building the
// request each time as a client would, and prints signatures per second.
let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 200_000 : 200_000
let credentials = AWSCredentials(
    accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token")
let signer = SigV4Signer(service: "secretsmanager", region: "us-east-1")
let endpoint = HTTPEndpoint(scheme: .https, host: "secretsmanager.us-east-1.amazonaws.com")
let body = Array(#"{"SecretId":"ccaf/prod/settings"}"#.utf8)
let epochSeconds = currentEpochMilliseconds() / 1000

var checksum = 0
let clock = ContinuousClock()
let elapsed = clock.measure {
    for _ in 0..<iterations {
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: HTTPHeaders([("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "secretsmanager.GetSecretValue")]),
            body: body)
        checksum &+= signer.sign(&request, credentials: credentials, epochSeconds: epochSeconds).authorization.utf8.count
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
print("{\"signer\":\"ccaf-deploy\",\"iterations\":\(iterations),\"seconds\":\(seconds),\"per_second\":\(Double(iterations) / seconds),\"checksum\":\(checksum)}")
