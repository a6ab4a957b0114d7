import FuzzTargets

/// libFuzzer's entry point for the `runtime-invocation` target. `-sanitize=fuzzer` links libFuzzer, which
/// supplies `main`; `-parse-as-library` keeps Swift from emitting one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzRuntimeInvocation(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
