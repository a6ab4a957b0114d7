import JSON
import Foundation
@testable import LambdaRuntime
import Logging
import Testing

@Suite struct JSONTextTests {
    @Test func escapesWhatJSONRequiresAndKeepsUTF8() throws {
        let text = "quote \" backslash \\ newline \n tab \t nul \u{0} del \u{7F} é ☃ 𝄞 \u{2028}"
        let encoded = JSONText.string(text)
        #expect(encoded == #""quote \" backslash \\ newline \n tab \t nul \u0000 del \u007f é ☃ 𝄞 \u2028""#)
        let decoded = try JSONDecoder().decode(String.self, from: Data(encoded.utf8))
        #expect(decoded == text)
    }

    @Test func writesObjectsInOrder() {
        #expect(JSONText.object([("b", "1"), ("a", JSONText.string("x"))]) == #"{"b":1,"a":"x"}"#)
    }
}

@Suite struct LambdaErrorTests {
    @Test func rendersTheRuntimeAPIErrorBody() throws {
        let error = LambdaError.function("InvalidEvent", "catalog_name is required — ☃")
        #expect(error.errorType == "Function.InvalidEvent")
        let body = try JSONSerialization.jsonObject(with: Data(error.json.utf8)) as? [String: Any]
        #expect(body?["errorMessage"] as? String == "catalog_name is required — ☃")
        #expect(body?["errorType"] as? String == "Function.InvalidEvent")
        #expect((body?["stackTrace"] as? [String])?.isEmpty == true)
        #expect(LambdaError.runtime("InvalidConfiguration", "x").errorType == "Runtime.InvalidConfiguration")
    }
}

@Suite struct LambdaLogHandlerTests {
    @Test func readsLambdasLogConfiguration() {
        let json = LambdaLogHandler.configuration(from: ["AWS_LAMBDA_LOG_FORMAT": "json", "AWS_LAMBDA_LOG_LEVEL": "warn"])
        #expect(json.format == .json && json.level == .warning)
        let defaults = LambdaLogHandler.configuration(from: [:])
        #expect(defaults.format == .text && defaults.level == .info)
        #expect(LambdaLogHandler.level(named: "FATAL") == .critical)
        #expect(LambdaLogHandler.level(named: "verbose") == nil)
    }

    @Test func writesOneJSONObjectPerLine() throws {
        var pipe: [Int32] = [0, 0]
        #expect(pipe.withUnsafeMutableBufferPointer { Glibc.pipe($0.baseAddress!) } == 0)
        var logger = Logger(label: "test") { LambdaLogHandler(label: $0, format: .json, level: .debug, fileDescriptor: pipe[1]) }
        logger[metadataKey: "requestId"] = "req-1"
        logger.warning("two\nlines ☃", metadata: ["field": "value"])
        logger.trace("filtered out")
        close(pipe[1])
        let output = FileHandle(fileDescriptor: pipe[0]).readDataToEndOfFile()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 1)
        let line = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
        #expect(line?["level"] == "WARN")
        #expect(line?["message"] == "two\nlines ☃")
        #expect(line?["requestId"] == "req-1")
        #expect(line?["field"] == "value")
        #expect(line?["logger"] == "test")
        #expect(line?["timestamp"]?.hasSuffix("Z") == true)
    }
}
