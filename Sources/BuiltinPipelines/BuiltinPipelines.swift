import Pipelines

/// The pipelines written in Swift, by name. Adding one: a new file with a type that conforms to
/// ``BuiltinPipeline``, and one line in ``all``.
public enum BuiltinPipelines {
    /// Every built-in pipeline; the first is the default.
    public static let all: [any BuiltinPipeline] = [
        FlightConsolidator(),
    ]

    /// What an event without `pipeline` deploys.
    public static var `default`: any BuiltinPipeline { all[0] }

    public static func named(_ name: String) -> (any BuiltinPipeline)? {
        all.first { $0.name == name }
    }

    public static var names: [String] { all.map(\.name) }
}
