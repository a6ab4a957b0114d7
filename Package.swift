// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "ccaf-deploy",
    platforms: [.macOS(.v14)],
    products: [
        // The command-line tool (laptops, CI): every subcommand, and Lambda mode too.
        .executable(name: "ccaf-deploy", targets: ["ccaf-deploy"]),
        // The container image's entry point: Lambda mode only, without the CLI's YAML reading,
        // which links all of Foundation (≈ 40 MB more in a static binary).
        .executable(name: "bootstrap", targets: ["bootstrap"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // C libraries from the system (libcurl4-openssl-dev, libssl-dev).
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "COpenSSL", providers: [.apt(["libssl-dev"])]),

        // SHA-256 and HMAC-SHA256 over libcrypto (not named Crypto: apple/swift-crypto's module is).
        .target(name: "Digests", dependencies: ["COpenSSL", "Text"]),
        // JSON values for field-by-field validation, fast JSON text for logs and error bodies, and
        // the product's JSON parser, Decoder and Encoder (no Foundation).
        .target(name: "JSON", dependencies: ["Text"]),
        // Text helpers: scalar-wise trims, hexadecimal and Base64.
        .target(name: "Text"),
        // Deadlines on the monotonic clock, backoff with jitter, sleeping, UTC calendar time.
        .target(name: "Timing"),
        // `Sensitive`: a value that prints as `<redacted>` however it is printed.
        .target(name: "Redaction"),
        // System calls the product needs without Foundation: writing all of a buffer to a file
        // descriptor, reading a whole file, the process environment.
        .target(name: "SystemIO"),
        // The libcurl HTTP client every other client shares.
        .target(name: "HTTP", dependencies: ["CCurl", "Text", "Timing"]),
        // A value behind a lock ThreadSanitizer understands.
        .target(name: "Locking"),
        // Credentials, SigV4, the JSON 1.1 client, Secrets Manager and SSM.
        .target(name: "AWS", dependencies: ["Digests", "HTTP", "JSON", "Locking", "Redaction", "SystemIO", "Text", "Timing", .product(name: "Logging", package: "swift-log")]),
        // The Lambda Runtime API loop, invocation context and Lambda-style logging.
        .target(name: "LambdaRuntime", dependencies: ["HTTP", "JSON", "SystemIO", "Timing", .product(name: "Logging", package: "swift-log")]),
        // The Confluent Cloud Flink statements REST client (sql/v1).
        .target(name: "Confluent", dependencies: ["HTTP", "JSON", "Redaction", "TableAPI", "Text", "Timing", .product(name: "Logging", package: "swift-log")]),
        // Kafka client properties assembled from Secrets Manager and SSM Parameter Store.
        .target(name: "KafkaProperties", dependencies: ["AWS", "HTTP", "JSON", "SystemIO", "Text", "Timing", .product(name: "Logging", package: "swift-log")]),
        // A Table-API-style builder that renders Flink SQL (pure, no I/O).
        .target(name: "TableAPI"),
        // What a pipeline is (named statements in order), the built-in pipeline protocol, and
        // pipeline definitions: validation and SQL text taken apart (pure, no I/O).
        .target(name: "Pipelines", dependencies: ["Confluent", "JSON", "TableAPI"]),
        // The pipelines written in Swift with the builder, registered by name (pure, no I/O).
        .target(name: "BuiltinPipelines", dependencies: ["Pipelines", "TableAPI"]),
        // Pipeline definition files for the CLI: YAML or JSON, with the line of every value.
        .target(name: "PipelineFiles", dependencies: ["JSON", "Pipelines", .product(name: "Yams", package: "Yams")]),
        // The deployment: the application's identity, event validation, the handler, planning and
        // performing the statements' changes.
        .target(name: "Deployment", dependencies: ["AWS", "BuiltinPipelines", "Confluent", "Digests", "JSON", "LambdaRuntime", "Pipelines", "Redaction", "TableAPI", "Text", "Timing", .product(name: "Logging", package: "swift-log")]),
        // The one executable: Lambda runtime mode or command-line mode.
        .executableTarget(
            name: "ccaf-deploy",
            dependencies: [
                "AWS", "BuiltinPipelines", "Deployment", "HTTP", "JSON", "KafkaProperties", "LambdaRuntime", "PipelineFiles", "Pipelines", "TableAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The image's entry point: the Lambda runtime loop around the deployment handler.
        .executableTarget(name: "bootstrap", dependencies: ["Deployment", "LambdaRuntime", "SystemIO"]),

        // Fuzzing (fuzz/), not part of the product: one function per target with its property checks,
        // and `ccaf-fuzz TARGET`, the executable fuzz/run builds with libFuzzer.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "AWS", "Confluent", "Deployment", "Digests", "HTTP", "JSON", "KafkaProperties", "LambdaRuntime", "Locking", "Redaction",
                "TableAPI", "TestSupport", "Text", "Timing",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "fuzz/FuzzTargets"),
        .executableTarget(name: "ccaf-fuzz", dependencies: ["FuzzTargets", "SystemIO"], path: "fuzz/Driver"),

        // Benchmarks (bench/): not part of the product.
        .executableTarget(name: "sigv4-bench", dependencies: ["AWS", "HTTP", "Timing"], path: "bench/SigV4Bench"),
        .executableTarget(
            name: "echo-runtime", dependencies: ["LambdaRuntime", "SystemIO", .product(name: "Logging", package: "swift-log")],
            path: "bench/EchoRuntime"),

        .testTarget(name: "DigestsTests", dependencies: ["Digests", "Text"]),
        .testTarget(name: "TextTests", dependencies: ["Text"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "TimingTests", dependencies: ["Timing"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP"]),
        .testTarget(name: "LockingTests", dependencies: ["Locking"]),
        .testTarget(name: "KafkaPropertiesTests", dependencies: ["KafkaProperties", "JSON"]),
        .testTarget(name: "ConfluentTests", dependencies: ["Confluent", "HTTP", "JSON", "Redaction", "TestSupport", "Timing"]),
        .testTarget(name: "LambdaRuntimeTests", dependencies: ["LambdaRuntime", "JSON", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "TableAPITests", dependencies: ["TableAPI", "BuiltinPipelines"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "PipelineFiles", "BuiltinPipelines", "JSON", "TableAPI"]),
        .testTarget(name: "DeploymentTests", dependencies: ["Deployment", "Pipelines", "Confluent", "JSON", "LambdaRuntime"]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "HTTP", "TestSupport", "Timing"]),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "Timing"]),
        // Shared by the Swift tests and the fuzz targets, not part of the product: the peers of
        // e2e/peers (moto, fault servers), a log recorder.
        .target(
            name: "TestSupport",
            dependencies: [.product(name: "Logging", package: "swift-log"), .product(name: "InMemoryLogging", package: "swift-log")],
            path: "TestSupport"),
    ]
)
