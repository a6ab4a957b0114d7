#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exponentially growing delays with jitter, shared by AWS retries and Confluent polling.
public struct Backoff: Sendable {
    public enum Jitter: Sendable {
        /// A uniformly random delay between zero and the computed one (AWS "full jitter").
        case full
        /// The computed delay, plus or minus this fraction of it.
        case proportional(Double)
    }

    public let initial: Duration
    public let multiplier: Double
    public let maximum: Duration
    public let jitter: Jitter

    public init(initial: Duration, multiplier: Double, maximum: Duration, jitter: Jitter) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before retry number `attempt` (1 for the first retry).
    public func delay(beforeRetry attempt: Int) -> Duration {
        let initialSeconds = Double(initial.components.seconds) + Double(initial.components.attoseconds) * 1e-18
        let maximumSeconds = Double(maximum.components.seconds) + Double(maximum.components.attoseconds) * 1e-18
        let grown = min(maximumSeconds, initialSeconds * pow(multiplier, Double(max(0, attempt - 1))))
        let jittered: Double
        switch jitter {
        case .full:
            jittered = Double.random(in: 0...grown)
        case .proportional(let fraction):
            jittered = grown * Double.random(in: (1 - fraction)...(1 + fraction))
        }
        return .nanoseconds(Int64(max(0, jittered) * 1e9))
    }
}

extension Backoff {
    /// The wait between a failed attempt and the next, the rule of `retrying`: the server's `requested` delay (`Retry-After`) if it gave one, else this
    /// backoff's; `nil` when there is to be no next attempt, because `attempt` was the last of
    /// `maxAttempts` or the wait would end past the deadline.
    public func delay(afterAttempt attempt: Int, of maxAttempts: Int, requested: Duration? = nil, deadline: Deadline) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let delay = requested ?? delay(beforeRetry: attempt)
        return delay < deadline.remaining ? delay : nil
    }
}
