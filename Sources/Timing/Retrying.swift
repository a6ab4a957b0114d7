/// What one attempt of a retried call came to.
public enum Attempt<Value, Failure: Error> {
    /// The call is over, with this value.
    case finished(Value)
    /// The attempt failed in a way another attempt may not: wait `requestedDelay` if the server
    /// asked for one (`Retry-After`), else the backoff's delay.
    case failed(Failure, requestedDelay: Duration? = nil)
}

extension Backoff {
    /// The one retry loop of every retried call (AWS, Confluent). It runs `attempt` with the
    /// attempt's number, from 1, until an attempt finishes or throws; after a failed one it waits
    /// (telling `onRetry` first) or, when there may be no next attempt (`maxAttempts` used up, or
    /// the wait would end past the deadline), throws the failure as `giveUp` words it.
    ///
    /// What an attempt means stays with the caller: the AWS client signs each one afresh,
    /// Confluent's create reads its name back, stop and resume read the statement again.
    public func retrying<Value, Failure: Error>(
        upTo maxAttempts: Int, before deadline: Deadline,
        onRetry: (_ failure: Failure, _ attempt: Int, _ delay: Duration) -> Void,
        giveUp: (_ failure: Failure, _ attempts: Int) -> Failure = { failure, _ in failure },
        _ attempt: (_ number: Int) throws(Failure) -> Attempt<Value, Failure>
    ) throws(Failure) -> Value {
        var number = 0
        while true {
            number += 1
            switch try attempt(number) {
            case .finished(let value):
                return value
            case .failed(let failure, let requestedDelay):
                guard let delay = delay(afterAttempt: number, of: maxAttempts, requested: requestedDelay, deadline: deadline) else {
                    throw giveUp(failure, number)
                }
                onRetry(failure, number, delay)
                sleep(for: delay)
            }
        }
    }
}
