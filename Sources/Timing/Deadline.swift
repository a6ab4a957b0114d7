#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time by which work must be done, on the monotonic clock so that a wall-clock
/// jump cannot stretch or cut it.
public struct Deadline: Sendable, Comparable {
    private let instant: ContinuousClock.Instant

    private init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    public static var now: Deadline { Deadline(.now) }

    public static func after(_ duration: Duration) -> Deadline { Deadline(.now.advanced(by: duration)) }

    /// Converts a wall-clock deadline in Unix epoch milliseconds (the Runtime API's
    /// `Lambda-Runtime-Deadline-Ms`) to the monotonic clock. The value comes from outside, so
    /// every Int64 is accepted: one too far back to subtract from now has long passed.
    public static func epochMilliseconds(_ milliseconds: Int64) -> Deadline {
        let (left, overflowed) = milliseconds.subtractingReportingOverflow(currentEpochMilliseconds())
        return after(.milliseconds(overflowed ? Int64.min : left))
    }

    /// Time left, never negative.
    public var remaining: Duration { max(.zero, ContinuousClock.now.duration(to: instant)) }

    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// This deadline moved earlier by `margin` (time kept in reserve for reporting a result).
    public func reserving(_ margin: Duration) -> Deadline { Deadline(instant.advanced(by: .zero - margin)) }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.instant < rhs.instant }
}

public func currentEpochMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// Blocks the calling thread; the product's clients are synchronous by design.
public func sleep(for duration: Duration) {
    guard duration > .zero else { return }
    let (seconds, attoseconds) = duration.components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) == -1, errno == EINTR {
        request = remaining
    }
}

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
    /// The wait between a failed attempt and the next, the one rule of every retried call (AWS,
    /// Confluent): the server's `requested` delay (`Retry-After`) if it gave one, else this
    /// backoff's; `nil` when there is to be no next attempt, because `attempt` was the last of
    /// `maxAttempts` or the wait would end past the deadline.
    public func delay(afterAttempt attempt: Int, of maxAttempts: Int, requested: Duration? = nil, deadline: Deadline) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let delay = requested ?? delay(beforeRetry: attempt)
        return delay < deadline.remaining ? delay : nil
    }
}

/// A point in Unix time broken into UTC calendar fields, rendered the ways the product needs:
/// SigV4's `20150830T123600Z` and `20150830`, and RFC 3339 with milliseconds for log lines.
public struct UTCTime: Sendable {
    private let year, month, day, hour, minute, second, millisecond: Int32

    public init(epochMilliseconds: Int64) {
        let (quotient, remainder) = epochMilliseconds.quotientAndRemainder(dividingBy: 1000)
        var seconds = time_t(remainder < 0 ? quotient - 1 : quotient)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        year = fields.tm_year + 1900
        month = fields.tm_mon + 1
        day = fields.tm_mday
        hour = fields.tm_hour
        minute = fields.tm_min
        second = fields.tm_sec
        millisecond = Int32(remainder < 0 ? remainder + 1000 : remainder)
    }

    public static var now: UTCTime { UTCTime(epochMilliseconds: currentEpochMilliseconds()) }

    /// `20150830`.
    public var compactDate: String {
        rendered(capacity: 16) { text in text.appendDigits(year, width: 4); text.appendDigits(month); text.appendDigits(day) }
    }

    /// `20150830T123600Z`.
    public var compactTimestamp: String {
        rendered(capacity: 24) { text in
            text.appendDigits(year, width: 4); text.appendDigits(month); text.appendDigits(day)
            text.append(UInt8(ascii: "T"))
            text.appendDigits(hour); text.appendDigits(minute); text.appendDigits(second)
            text.append(UInt8(ascii: "Z"))
        }
    }

    /// `2015-08-30T12:36:00.123Z`.
    public var rfc3339Milliseconds: String {
        rendered(capacity: 32) { text in
            text.appendDigits(year, width: 4); text.append(UInt8(ascii: "-"))
            text.appendDigits(month); text.append(UInt8(ascii: "-"))
            text.appendDigits(day); text.append(UInt8(ascii: "T"))
            text.appendDigits(hour); text.append(UInt8(ascii: ":"))
            text.appendDigits(minute); text.append(UInt8(ascii: ":"))
            text.appendDigits(second); text.append(UInt8(ascii: "."))
            text.appendDigits(millisecond, width: 3); text.append(UInt8(ascii: "Z"))
        }
    }

    // Both renderings are on hot paths (every signature, every log line), so they are written
    // as bytes straight into the string's storage rather than through interpolation.
    private func rendered(capacity: Int, _ write: (inout DigitWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var text = DigitWriter(buffer: buffer)
            write(&text)
            return text.count
        }
    }
}

/// Decimal digits and separators written into a buffer known to be large enough.
private struct DigitWriter {
    let buffer: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    mutating func append(_ byte: UInt8) {
        buffer[count] = byte
        count += 1
    }

    /// Appends a number in decimal (its magnitude), padded with zeros to at least `width` digits.
    mutating func appendDigits(_ number: Int32, width: Int = 2) {
        let value = number.magnitude
        var divisor: UInt32 = 1
        var digits = 1
        while digits < width || value / divisor >= 10 {
            divisor *= 10
            digits += 1
        }
        while divisor > 0 {
            append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a short positive duration never becomes 0 ("no limit" to libcurl).
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return Int(millis) + (remainder > 0 ? 1 : 0)
    }
}
