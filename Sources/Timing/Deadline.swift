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

extension Duration {
    /// Whole milliseconds, rounded up so that a short positive duration never becomes 0 ("no limit" to libcurl).
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return Int(millis) + (remainder > 0 ? 1 : 0)
    }
}
