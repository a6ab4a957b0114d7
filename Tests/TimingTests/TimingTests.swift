import Foundation
import Testing
import Timing

@Suite struct TimeTests {
    @Test func rendersUTCTimes() {
        let time = UTCTime(epochMilliseconds: 1_440_938_160_042)
        #expect(time.compactTimestamp == "20150830T123600Z")
        #expect(time.compactDate == "20150830")
        #expect(time.rfc3339Milliseconds == "2015-08-30T12:36:00.042Z")
        #expect(UTCTime(epochMilliseconds: 951_782_400_000).rfc3339Milliseconds == "2000-02-29T00:00:00.000Z")
        #expect(UTCTime(epochMilliseconds: -1).rfc3339Milliseconds == "1969-12-31T23:59:59.999Z")
        #expect(UTCTime(epochMilliseconds: 253_402_300_800_000).compactTimestamp == "100000101T000000Z")
    }

    @Test func deadlinesCountDownAndNeverGoNegative() {
        let deadline = Deadline.epochMilliseconds(currentEpochMilliseconds() + 60_000)
        #expect(deadline.remaining > .seconds(59) && deadline.remaining <= .seconds(60))
        #expect(deadline.reserving(.seconds(10)).remaining <= .seconds(50))
        #expect(Deadline.epochMilliseconds(0).remaining == .zero)
        #expect(Deadline.epochMilliseconds(0).hasPassed)
    }

    /// Found by fuzzing: a `Lambda-Runtime-Deadline-Ms` near Int64.min overflowed the subtraction.
    @Test func acceptsEveryEpochMillisecondValue() {
        #expect(Deadline.epochMilliseconds(.min).hasPassed)
        #expect(Deadline.epochMilliseconds(.min + 1).remaining == .zero)
        #expect(Deadline.epochMilliseconds(.max).remaining > .seconds(86_400 * 365 * 1_000))
        #expect(Deadline.epochMilliseconds(.max).reserving(.seconds(2)) < Deadline.epochMilliseconds(.max))
    }

    @Test func backoffGrowsUpToItsCapWithinItsJitter() {
        let full = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(20), jitter: .full)
        for attempt in 1...10 {
            let delay = full.delay(beforeRetry: attempt)
            #expect(delay >= .zero && delay <= .seconds(min(20, 1 << (attempt - 1))))
        }
        let proportional = Backoff(initial: .milliseconds(100), multiplier: 1.5, maximum: .seconds(5), jitter: .proportional(0.25))
        let third = proportional.delay(beforeRetry: 3)
        #expect(third >= .milliseconds(168) && third <= .milliseconds(282))
    }

    @Test func aRetryWaitsOnlyWhenAnotherAttemptMayFollowInTime() {
        let backoff = Backoff(initial: .milliseconds(100), multiplier: 2, maximum: .seconds(1), jitter: .proportional(0))
        let deadline = Deadline.after(.seconds(60))
        #expect(backoff.delay(afterAttempt: 1, of: 3, deadline: deadline) == .milliseconds(100))
        #expect(backoff.delay(afterAttempt: 2, of: 3, deadline: deadline) == .milliseconds(200))
        #expect(backoff.delay(afterAttempt: 3, of: 3, deadline: deadline) == nil)
        #expect(backoff.delay(afterAttempt: 1, of: 3, requested: .seconds(2), deadline: deadline) == .seconds(2))
        #expect(backoff.delay(afterAttempt: 1, of: 3, requested: .seconds(61), deadline: deadline) == nil)
        #expect(backoff.delay(afterAttempt: 1, of: 3, deadline: .after(.milliseconds(50))) == nil)
    }

    private struct Refused: Error, Equatable {
        let attempt: Int
        var attempts = 0
    }

    /// Outcomes for attempts 1, 2, … (a nil value fails), against a backoff without waits.
    private func run(
        _ outcomes: [Int?], maxAttempts: Int = 3, requested: Duration? = nil, deadline: Deadline = .after(.seconds(60)), throwAt: Int? = nil
    ) -> (result: Result<Int, Refused>, attempts: [Int], retries: [Int]) {
        let backoff = Backoff(initial: .zero, multiplier: 2, maximum: .zero, jitter: .proportional(0))
        var attempts: [Int] = [], retries: [Int] = []
        let result = Result { () throws(Refused) -> Int in
            try backoff.retrying(
                upTo: maxAttempts, before: deadline,
                onRetry: { _, attempt, _ in retries.append(attempt) },
                giveUp: { failure, attempts in Refused(attempt: failure.attempt, attempts: attempts) }
            ) { number throws(Refused) in
                attempts.append(number)
                if number == throwAt { throw Refused(attempt: number) }
                if let value = outcomes[number - 1] { return .finished(value) }
                return .failed(Refused(attempt: number), requestedDelay: requested)
            }
        }
        return (result, attempts, retries)
    }

    @Test func theRetryLoopRunsUntilAnAttemptFinishes() {
        let first = run([7])
        #expect(first.result == .success(7) && first.attempts == [1] && first.retries.isEmpty)
        let third = run([nil, nil, 9])
        #expect(third.result == .success(9) && third.attempts == [1, 2, 3] && third.retries == [1, 2])
    }

    @Test func theRetryLoopGivesUpAfterItsAttemptsWithTheLastFailure() {
        let outcome = run([nil, nil, nil, 1], maxAttempts: 3)
        #expect(outcome.result == .failure(Refused(attempt: 3, attempts: 3)))
        #expect(outcome.attempts == [1, 2, 3] && outcome.retries == [1, 2])
    }

    @Test func theRetryLoopGivesUpWhenTheWaitWouldEndPastTheDeadline() {
        let outcome = run([nil, 1], requested: .seconds(61))
        #expect(outcome.result == .failure(Refused(attempt: 1, attempts: 1)))
        #expect(outcome.attempts == [1] && outcome.retries.isEmpty)
    }

    @Test func aThrowingAttemptEndsTheLoopAsItThrew() {
        let outcome = run([nil, nil, nil], throwAt: 2)
        #expect(outcome.result == .failure(Refused(attempt: 2)))
        #expect(outcome.attempts == [1, 2] && outcome.retries == [1])
    }
}

@Suite struct ISO8601TimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0), ("2024-01-02T03:04:05Z", 1_704_164_645_000), ("2024-01-02T03:04:05.123Z", 1_704_164_645_123),
        ("2024-01-02T03:04:05.123456789Z", 1_704_164_645_123), ("2024-01-02T03:04:05.5Z", 1_704_164_645_500),
        ("2024-01-02T03:04:05+01:00", 1_704_161_045_000), ("2024-01-02T03:04:05+0100", 1_704_161_045_000),
        ("2024-01-02T03:04:05-00:30", 1_704_166_445_000), ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2024-02-30T00:00:00Z", 1_709_251_200_000), ("2024-01-02T24:00:00Z", 1_704_240_000_000), ("1969-12-31T23:59:59Z", -1000),
        ("2100-03-01T00:00:00Z", 4_107_542_400_000),
    ] as [(String, Int64)])
    func readsWhatFoundationReads(text: String, milliseconds: Int64) {
        #expect(ISO8601Time.epochMilliseconds(text) == milliseconds)
        let foundation = try? Date(text, strategy: .iso8601)
        #expect(foundation.map { Int64(($0.timeIntervalSince1970 * 1000).rounded(.down)) } == milliseconds)
    }

    @Test(arguments: ["", "2024-01-02 03:04:05Z", "2024-01-02T03:04:05", "20240102T030405Z", "2024-01-02t03:04:05z", "+2024-01-02T03:04:05Z",
                      "2024-01-02T03:04Z", "2024-13-01T00:00:00Z", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05Zx", "2024-01-02T03:04:05+1",
                      "2024-01-02T03:04:05+01:0", "2024-01-02T03:04:05+01:00x", "２０２４-01-02T03:04:05Z"])
    func refusesWhatIsNotADateTime(text: String) {
        #expect(ISO8601Time.epochMilliseconds(text) == nil)
    }
}
