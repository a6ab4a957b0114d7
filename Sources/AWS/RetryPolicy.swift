import HTTP
import Text
import Timing

/// The AWS SDKs' "standard" retry mode: up to `maxAttempts` tries (3 by default, or
/// `AWS_MAX_ATTEMPTS`), full-jitter exponential backoff with a 1 s base and a 20 s cap, for
/// throttling, transient errors and failed connections, never past the caller's deadline.
public struct RetryPolicy: Sendable {
    public let maxAttempts: Int
    public let backoff: Backoff

    public init(maxAttempts: Int = 3, backoff: Backoff = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(20), jitter: .full)) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
    }

    public init(environment: [String: String]) {
        self.init(maxAttempts: environment["AWS_MAX_ATTEMPTS"].flatMap { Int($0) } ?? 3)
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Transient by code whatever the status: Secrets Manager documents `InternalServiceError`
    /// as 400 on one page and 500 on another. `RequestExpired` and an expired signature are
    /// worth one more try because every attempt is signed afresh.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalServiceError", "InternalServerError",
        "InternalFailure", "ServiceUnavailable", "RequestExpired",
    ]

    func isRetryable(_ failure: AWSCallError.Failure) -> Bool {
        switch failure {
        case let .service(code, message, status):
            return [500, 502, 503, 504].contains(status) || Self.throttlingCodes.contains(code)
                || Self.transientCodes.contains(code)
                || (code == "InvalidSignatureException" && message.firstRange(ofScalars: "Signature expired") != nil)
        case let .transport(error):
            return error.kind != .responseTooLarge
        case .malformedResponse, .credentials, .deadlineExceeded:
            return false
        }
    }
}
