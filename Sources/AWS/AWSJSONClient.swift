import HTTP
import JSON
import Logging
import Timing

/// Calls operations of an AWS JSON 1.1 service (Secrets Manager, SSM): POST `/` with
/// `X-Amz-Target`, signed afresh before every attempt, retried by the standard policy.
public final class AWSJSONClient {
    public let configuration: AWSServiceConfiguration
    private let credentials: CredentialChain
    private let http: HTTPClient
    private let retry: RetryPolicy
    private let logger: Logger
    /// The time allowed for one attempt, cut short by the caller's deadline.
    private let attemptTimeout: Duration

    public init(
        configuration: AWSServiceConfiguration, credentials: CredentialChain, http: HTTPClient,
        retry: RetryPolicy, logger: Logger, attemptTimeout: Duration = .seconds(10)
    ) {
        self.configuration = configuration
        self.credentials = credentials
        self.http = http
        self.retry = retry
        self.logger = logger
        self.attemptTimeout = attemptTimeout
    }

    public func call<Input: Encodable, Output: Decodable>(
        _ operation: String, _ input: Input, as output: Output.Type, deadline: Deadline
    ) throws(AWSCallError) -> Output {
        let body = (try? JSONValue(encoding: input)) ?? .object([:])
        let response = try send(operation, body: Array(body.jsonText.utf8), deadline: deadline)
        do {
            return try JSONValue.decode(Output.self, from: response.body)
        } catch {
            throw AWSCallError(
                service: configuration.service.serviceId, operation: operation,
                failure: .malformedResponse("the body is not the JSON \(operation) returns"),
                requestId: response.headers["x-amzn-RequestId"], attempts: 1)
        }
    }

    private func send(_ operation: String, body: [UInt8], deadline: Deadline) throws(AWSCallError) -> HTTPResponse {
        let service = configuration.service
        func failed(_ failure: AWSCallError.Failure, requestId: String? = nil, attempts: Int) -> AWSCallError {
            AWSCallError(service: service.serviceId, operation: operation, failure: failure, requestId: requestId, attempts: attempts)
        }
        let signer = SigV4Signer(service: service.signingName, region: configuration.region)
        var lastError: AWSCallError?
        return try retry.backoff.retrying(
            upTo: retry.maxAttempts, before: deadline,
            onRetry: { outcome, attempt, delay in
                logger.warning("AWS call failed, retrying", metadata: [
                    "operation": "\(service.signingName):\(operation)", "attempt": "\(attempt)",
                    "error": "\(outcome)", "delayMs": "\(delay.wholeMilliseconds)",
                ])
            }
        ) { attempt throws(AWSCallError) in
            guard !deadline.hasPassed else { throw lastError ?? failed(.deadlineExceeded, attempts: attempt - 1) }
            let credentials: AWSCredentials
            do throws(CredentialsError) {
                credentials = try self.credentials.credentials()
            } catch {
                throw failed(.credentials(error), attempts: attempt)
            }
            var request = HTTPRequest(
                method: "POST", endpoint: configuration.endpoint, path: "/",
                headers: HTTPHeaders([
                    ("Content-Type", "application/x-amz-json-1.1"),
                    ("X-Amz-Target", "\(service.targetPrefix).\(operation)"),
                ]),
                body: body, timeout: min(attemptTimeout, deadline.remaining))
            request.connectTimeout = min(request.connectTimeout, deadline.remaining)
            signer.sign(&request, credentials: credentials, epochSeconds: currentEpochMilliseconds() / 1000)

            let outcome: AWSCallError
            do throws(HTTPError) {
                let response = try http.send(request)
                if response.isSuccess {
                    logger.debug("AWS call succeeded", metadata: [
                        "operation": "\(service.signingName):\(operation)", "attempt": "\(attempt)",
                        "awsRequestId": "\(response.headers["x-amzn-RequestId"] ?? "-")",
                    ])
                    return .finished(response)
                }
                let parsed = AWSErrorBody.parse(response)
                outcome = failed(.service(code: parsed.code, message: parsed.message, status: response.status),
                                 requestId: parsed.requestId, attempts: attempt)
            } catch {
                logger.debug("AWS did not answer", metadata: ["operation": "\(service.signingName):\(operation)", "error": "\(error.detail)"])
                // An attempt cut short by the caller's deadline is the deadline's doing, not AWS's
                // (libcurl's timer can fire a hair before the deadline itself passes).
                let cutByDeadline = deadline.hasPassed || (error.kind == .timedOut && (request.timeout ?? attemptTimeout) < attemptTimeout)
                outcome = failed(cutByDeadline ? .deadlineExceeded : .transport(error), attempts: attempt)
            }
            lastError = outcome
            guard retry.isRetryable(outcome.failure) else { throw outcome }
            return .failed(outcome)
        }
    }
}
