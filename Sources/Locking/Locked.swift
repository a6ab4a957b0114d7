#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A value that one thread at a time may read or change.
///
/// A pthread mutex rather than the standard library's `Mutex`: on Linux that one waits in the
/// kernel through priority-inheritance futexes, which ThreadSanitizer cannot see, so any
/// contended use is reported as a race and the sanitizer runs (`scripts/sanitize`) stop being
/// evidence. ThreadSanitizer intercepts `pthread_mutex_lock`.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
