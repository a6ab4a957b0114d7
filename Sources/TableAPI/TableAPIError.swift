/// The one error type of the builder: a code to branch on and a message a user can act on.
///
/// Messages name the operation, the offending column or value and what was expected, with every
/// name quoted the way the SQL would quote it.
public struct TableAPIError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Equatable, Sendable {
        /// An identifier the SQL cannot express (empty, or containing a line break).
        case invalidIdentifier
        /// Quoted text that does not parse back (unquote functions only).
        case malformedQuotedText
        /// A data type with parameters out of range, e.g. `DECIMAL(40, 2)`, or type text that
        /// does not parse, e.g. `ARRAY<INT`.
        case invalidType
        /// A data type this builder does not model, e.g. `RAW` or a user-defined type.
        case unsupportedType
        /// A schema with no columns, or two columns of the same name.
        case invalidSchema
        /// A column name that is not in the schema it is looked up in.
        case unknownColumn
        /// A wrong number of columns or names.
        case arityMismatch
        /// An expression or column whose type does not fit where it is used.
        case typeMismatch
        /// A `DISTRIBUTED BY` clause without columns or with fewer than one bucket.
        case invalidDistribution
        /// The sources of a pipeline do not fit its sink or each other.
        case schemaMismatch
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
