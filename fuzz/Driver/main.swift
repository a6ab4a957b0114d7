#if canImport(Glibc)
import Glibc
#endif
import FuzzTargets
import SystemIO

// The fuzz executable, one for every target of `FuzzTarget`:
//
//   ccaf-fuzz --list                      the targets, one a line (what fuzz/run fuzzes)
//   ccaf-fuzz TARGET [libFuzzer args…]    fuzz TARGET (built with -sanitize=fuzzer, as fuzz/run does)
//   ccaf-fuzz TARGET FILE…                without libFuzzer (a plain `swift build`): run each input once
//
// SwiftPM renames an executable's entry point to `ccaf_fuzz_main` and links `main` to it, which
// would leave libFuzzer's own `main` unused; so this one hands over to libFuzzer's driver,
// `LLVMFuzzerRunDriver`, found at run time: a build without libFuzzer links too.

/// The target libFuzzer's callback runs: a C function pointer cannot capture it.
nonisolated(unsafe) var selected: FuzzTarget = .eventParsing

typealias RunDriver = @convention(c) (
    UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

func complain(_ line: String) { _ = writeAll(Array("\(line)\n".utf8), to: 2) }

let names = FuzzTarget.allCases.map(\.rawValue)
let arguments = CommandLine.arguments
guard arguments.count >= 2, arguments[1] != "--list", let target = FuzzTarget(rawValue: arguments[1]) else {
    if arguments.count == 2, arguments[1] == "--list" {
        print(names.joined(separator: "\n"))
        exit(0)
    }
    complain("usage: ccaf-fuzz TARGET [libFuzzer arguments…] | ccaf-fuzz --list   (targets: \(names.joined(separator: " ")))")
    exit(2)
}
selected = target

if let symbol = dlsym(nil, "LLVMFuzzerRunDriver") {  // nil: RTLD_DEFAULT on glibc
    let runDriver = unsafeBitCast(symbol, to: RunDriver.self)
    // libFuzzer sees the program and its own arguments: the target's name is taken out.
    var argv: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
    var argc = CInt(argv.count - 1)
    let status = argv.withUnsafeMutableBufferPointer { buffer -> CInt in
        var pointer = buffer.baseAddress
        return runDriver(&argc, &pointer) { data, size in
            selected.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
    }
    exit(status)
}

// Without libFuzzer: each file named is one input.
for path in arguments.dropFirst(2) {
    guard let file = fopen(path, "rb") else {
        complain("ccaf-fuzz: cannot read \(path)")
        exit(1)
    }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while case let count = fread(&chunk, 1, chunk.count, file), count > 0 {
        bytes += chunk[..<count]
    }
    fclose(file)
    target.run(bytes)
    print("\(path): ok")
}
