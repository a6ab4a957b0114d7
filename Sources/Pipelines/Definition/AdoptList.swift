import Confluent
import JSON

/// An `adopt` list: names of statements deployed by other tools that a statement takes over.
/// The event (for a built-in pipeline) and a definition (per statement) read it alike.
public enum AdoptList {
    /// What is wrong, completing "adopt …" (`index` nil) or "adopt[index] …".
    public struct Problem: Sendable, Equatable {
        public let index: Int?
        public let message: String
    }

    /// The valid names in order, and a problem for the list or each entry that is not a name.
    public static func read(_ value: JSONValue?) -> (names: [String], problems: [Problem]) {
        switch value {
        case nil, .null?:
            return ([], [])
        case .array(let entries)?:
            var names: [String] = []
            var problems: [Problem] = []
            for (index, entry) in entries.enumerated() {
                if case .string(let name) = entry, NewStatement.isValidName(name) {
                    names.append(name)
                } else {
                    problems.append(Problem(index: index, message: "must be a statement name (\(NewStatement.nameRule)), not \(entry.jsonText.prefix(60))"))
                }
            }
            return (names, problems)
        case let other?:
            return ([], [Problem(index: nil, message: "must be a list of statement names, not \(other.kindDescription)")])
        }
    }
}
