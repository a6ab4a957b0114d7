/// Date-times as the container credentials endpoint writes `Expiration`: `2024-01-02T03:04:05Z`,
/// with optional fractional seconds and a `Z`, `±hh:mm` or `±hhmm` offset, what Foundation's
/// `.iso8601` strategy reads. Like Foundation, a day or hour past its end rolls over (February 30
/// is March 1, 24:00 the next day's 00:00).
public enum ISO8601Time {
    /// Unix epoch milliseconds, or nil when the text is not such a date-time.
    public static func epochMilliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func separator(_ index: Int, _ character: Character) -> Bool {
            index < bytes.count && bytes[index] == character.asciiValue
        }
        guard let year = number(0, 4), separator(4, "-"), let month = number(5, 2), separator(7, "-"), let day = number(8, 2),
              separator(10, "T"), let hour = number(11, 2), separator(13, ":"), let minute = number(14, 2), separator(16, ":"),
              let second = number(17, 2), (1...12).contains(month), (1...31).contains(day), hour <= 24, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var milliseconds: Int64 = 0
        if separator(index, ".") {
            index += 1
            let digitsStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digitsStart else { return nil }
            let digits = bytes[digitsStart..<min(index, digitsStart + 3)].map { Int64($0 - UInt8(ascii: "0")) }
            milliseconds = (digits + Array(repeating: 0, count: 3 - digits.count)).reduce(0) { $0 * 10 + $1 }
        }
        let offsetMinutes: Int64
        if separator(index, "Z"), index + 1 == bytes.count {
            offsetMinutes = 0
        } else if separator(index, "+") || separator(index, "-"), let hours = number(index + 1, 2) {
            let colon = separator(index + 3, ":")
            guard let minutes = number(index + (colon ? 4 : 3), 2), index + (colon ? 6 : 5) == bytes.count,
                  hours <= 23, minutes <= 59 else { return nil }
            offsetMinutes = (separator(index, "-") ? -1 : 1) * (hours * 60 + minutes)
        } else {
            return nil
        }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + (minute - offsetMinutes) * 60 + second
        return seconds * 1000 + milliseconds
    }

    /// Days from 1970-01-01 to the date in the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`); linear in `day`, hence the roll-over.
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
