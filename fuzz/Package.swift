// swift-tools-version:5.4
import PackageDescription

/// The libFuzzer executables: one per fuzz target of `FuzzTargets` (the root package), each a
/// single `LLVMFuzzerTestOneInput` that calls the target's function. Build with
/// `swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`, or
/// use `fuzz/run`, which builds and runs them all.
let targets = [
    "event-parsing", "response-decoding", "runtime-invocation", "client-responses", "sigv4", "sql-quoting",
    "properties-escape",
]

let package = Package(
    name: "ccaf-deploy-fuzz",
    dependencies: [.package(name: "ccaf-deploy", path: "..")],
    targets: targets.map { name in
        .executableTarget(
            name: "fuzz-\(name)", dependencies: [.product(name: "FuzzTargets", package: "ccaf-deploy")],
            path: "Sources/fuzz-\(name)")
    }
)
