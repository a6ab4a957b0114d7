import Foundation
@testable import FuzzTargets
import Testing
import Timing

/// The fuzz targets without the fuzzer. Serialized: the `client-responses` target's loopback
/// peer answers one input at a time.
@Suite(.serialized) enum FuzzTargetsTests {}

/// Every file of the committed seed corpus (fuzz/corpus/) goes through its target, so the seeds,
/// and the properties the targets check, are exercised on every test run. A broken property
/// stops the test process with `fuzz target <name>: property violated: …`.
extension FuzzTargetsTests {
    @Suite struct CorpusReplay {
        static let fuzzDirectory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fuzz")

        static func seeds(of target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
            let directory = fuzzDirectory.appendingPathComponent("corpus").appendingPathComponent(target.rawValue)
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map { name in
                (name, Array(try Data(contentsOf: directory.appendingPathComponent(name))))
            }
        }

        @Test(arguments: FuzzTarget.allCases)
        func everySeedKeepsTheTargetsProperties(target: FuzzTarget) throws {
            let seeds = try Self.seeds(of: target)
            #expect(seeds.count >= 5, "a handful of seeds for \(target.rawValue)")
            for seed in seeds {
                target.run(seed.bytes)
            }
        }

        /// `FuzzTarget` is the one list of targets (fuzz/run asks `ccaf-fuzz --list`): each has its
        /// seeds and dictionary, and every folder of seeds is a target's.
        @Test(arguments: FuzzTarget.allCases)
        func everyTargetHasItsCorpusAndDictionary(target: FuzzTarget) throws {
            let files = FileManager.default
            var isDirectory: ObjCBool = false
            #expect(files.fileExists(atPath: Self.fuzzDirectory.appendingPathComponent("corpus/\(target.rawValue)").path, isDirectory: &isDirectory) && isDirectory.boolValue)
            #expect(files.fileExists(atPath: Self.fuzzDirectory.appendingPathComponent("dictionaries/\(target.rawValue).dict").path))
        }

        @Test func everyCorpusAndDictionaryIsATargets() throws {
            let files = FileManager.default
            for name in try files.contentsOfDirectory(atPath: Self.fuzzDirectory.appendingPathComponent("corpus").path) {
                #expect(FuzzTarget(rawValue: name) != nil, "fuzz/corpus/\(name) is not a target")
            }
            for name in try files.contentsOfDirectory(atPath: Self.fuzzDirectory.appendingPathComponent("dictionaries").path) {
                #expect(name.hasSuffix(".dict") && FuzzTarget(rawValue: String(name.dropLast(5))) != nil, "fuzz/dictionaries/\(name) is not a target's")
            }
        }

        /// Inputs that break a property (fuzz/crashes/<target>/) stay there until fixed (then they
        /// join the corpus as `fixed-*`); they are not replayed here, since they stop the process.
        /// Each must be explained in the README.
        @Test func everyKnownCrashIsExplained() throws {
            let crashes = Self.fuzzDirectory.appendingPathComponent("crashes")
            guard let targets = try? FileManager.default.contentsOfDirectory(atPath: crashes.path) else { return }
            let readme = try String(contentsOf: Self.fuzzDirectory.appendingPathComponent("README.md"), encoding: .utf8)
            for target in targets {
                #expect(FuzzTarget(rawValue: target) != nil, "fuzz/crashes/\(target) is not a target")
                for name in try FileManager.default.contentsOfDirectory(atPath: crashes.appendingPathComponent(target).path) {
                    #expect(readme.contains(name), "fuzz/README.md does not explain fuzz/crashes/\(target)/\(name)")
                }
            }
        }
    }
}

/// Hand-written cases of the same properties, readable on their own.
extension FuzzTargetsTests {
    @Suite struct PropertyCases {
        @Test(arguments: ["flight_avro", "`", "``", "a`b", "it's", "\"", "é", "e\u{301}", "`\u{301}", "🚀", "a.b", " ", "\u{0}", "\u{2028}"])
        func identifiersAndLiteralsRoundTrip(name: String) {
            FuzzTarget.sqlQuoting.run(Array(name.utf8))
        }

        @Test func partsAreSeparatedByFFBytes() {
            #expect(parts(of: Array("a".utf8) + [0xFF] + Array("b\nc".utf8) + [0xFF], maximum: 8).count == 3)
            #expect(parts(of: [0xFF, 0xFF, 0xFF], maximum: 2) == [[], [0xFF, 0xFF]])
        }

        /// The Java port agrees with `java.util.Properties.load` of JDK 17 (its output was taken
        /// from e2e/java/PropertiesDump.java on this text).
        @Test func javaPropertiesLoadsWhatJavaLoads() throws {
            let text = "a\\ b=c\\:d\n  # comment \\\n! another\nkey = value \\\n    continued\\\\\nx\\u00e9y:\\uD83D\\uDE80\\n\nempty\n"
                + "\\#notcomment  spaced  value  \n=onlyvalue\nk\\=\\ v  =  w\nlast\\"
            let loaded = try JavaProperties.load(text)
            #expect(loaded == [
                "": "onlyvalue", "#notcomment": "spaced  value  ", "a b": "c:d", "empty": "", "k= v": "w",
                "key": "value continued\\", "last": "", "xéy": "🚀\n",
            ])
            #expect(throws: JavaProperties.MalformedEscape.self) { try JavaProperties.load("a=\\u12") }
            #expect(throws: JavaProperties.MalformedEscape.self) { try JavaProperties.load("a=\\u12G4") }
        }

        @Test(arguments: [
            ("key with = : # !", "value = : # ! \\ \t\n", "two\nlines"),
            (" lead", " lead", nil), ("clé 🚀", "\u{0}\u{7F}\u{85}\u{FEFF}", "é"), ("", "", ""),
            ("max.partition.fetch.bytes", "1,048,576", nil), ("ratio", "-0.75", nil),
        ] as [(String, String, String?)])
        func propertiesReadBackThroughJava(key: String, value: String, comment: String?) {
            var input = Array(key.utf8) + [0xFF] + Array(value.utf8)
            if let comment { input += [0xFF] + Array(comment.utf8) }
            FuzzTarget.propertiesEscape.run(input)
        }

        @Test func aValidEventRoundTrips() {
            let event = #"{"catalog_name": "we`ird", "database_name": "db 🚀", "ccaf_secrets_path": "ccaf/prod/settings", "tf": {"action": "update"}, "dry_run": true, "x": 1}"#
            FuzzTarget.eventParsing.run(Array(event.utf8))
            #expect(checkEvent(Array(event.utf8), as: .eventParsing) == nil)
            let error = checkEvent(Array(#"{"catalog_name": 1}"#.utf8), as: .eventParsing)
            #expect(error?.errorType == "Function.InvalidEvent")
        }

        @Test func theRequestIdIsOnePathSegment() throws {
            let headers = [("Lambda-Runtime-Aws-Request-Id", "../a/b?c#d"), ("Lambda-Runtime-Deadline-Ms", "1542409706888")]
            let answer = "HTTP/1.1 200 OK\r\n" + headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n" + #"{"catalog_name": "c"}"#
            FuzzTarget.runtimeInvocation.run(Array(answer.utf8))
            let result = try #require(invoke(headers: .init(headers), event: Array("{}".utf8), as: .runtimeInvocation))
            #expect(result.path == "/2018-06-01/runtime/invocation/..%2Fa%2Fb%3Fc%23d/error")
            #expect(result.error?.errorType == "Function.InvalidEvent")
        }

        @Test func signingIsStableAndCoversWhatItSigns() {
            let request = "POST\n/a/./b/../c//\nb=2&a=1\nContent-Type: application/x-amz-json-1.1\nX-Amz-Target: secretsmanager.GetSecretValue\n"
                + "My-Header:  spaced   value \n\n{\"SecretId\":\"x\"}"
            FuzzTarget.sigV4.run(Array(request.utf8))
        }

        @Test func aConfluentErrorShowsNoCredential() {
            let response = "confluent.get\n401\nX-Request-Id: r-1\nWWW-Authenticate: Basic\n\n"
                + #"{"errors": [{"status": "401", "detail": "Valid authentication credentials must be provided"}]}"#
            FuzzTarget.clientResponses.run(Array(response.utf8))
        }
    }
}
