@testable import KafkaProperties
import Testing

@Suite struct PropertyValueTests {
    @Test(arguments: [
        ("5", PropertyValue.integer(5)), ("-42", .integer(-42)), ("+7", .integer(7)), (" 1,048,576 ", .integer(1_048_576)),
        ("0.25", .decimal(0.25)), ("-1.5", .decimal(-1.5)), (".5", .decimal(0.5)), ("3.", .decimal(3)),
        ("all", .string("all")), ("1,23", .string("1,23")), ("1,2345", .string("1,2345")), ("v1.2", .string("v1.2")),
        ("1.2.3", .string("1.2.3")), ("", .string("")), ("true", .string("true")), ("99999999999999999999", .string("99999999999999999999")),
        ("-", .string("-")), ("1e5", .string("1e5")), ("١٢", .string("١٢")),
        // Trimmed by scalars like every other trim: a CRLF ending goes as a LF ending does.
        ("5\n", .integer(5)), ("5\r\n", .integer(5)), ("\t0.5\r", .decimal(0.5)),
    ])
    func coercesOnlyPlainNumbers(text: String, expected: PropertyValue) {
        #expect(PropertyValue(coercing: text) == expected)
    }
}

@Suite struct PropertiesFormatTests {
    @Test func escapesLikeJavaPropertiesStore() {
        #expect(PropertiesFormat.escape("a key=x:y", isKey: true) == #"a\ key\=x\:y"#)
        #expect(PropertiesFormat.escape(" lead and inner ", isKey: false) == #"\ lead and inner "#)
        #expect(PropertiesFormat.escape("#!\\\t\n\r\u{0C}", isKey: false) == ##"\#\!\\\t\n\r\f"##)
        #expect(PropertiesFormat.escape("é☃𝄞", isKey: false) == #"\u00E9\u2603\uD834\uDD1E"#)
    }

    @Test func rendersSortedLinesWithAComment() {
        let text = PropertiesFormat.render(["b": .integer(1), "a": .string("x y")], comment: "generated")
        #expect(text == "# generated\na=x y\nb=1\n")
    }
}

@Suite struct KafkaPropertiesLocationTests {
    @Test func buildsTheOriginalLayout() throws {
        let location = try KafkaPropertiesLocation(user: "svc_user")
        #expect(location.secretId == "/confluent_cloud_resource/svc_user/kafka_cluster/java_client")
        #expect(location.parameterPath(for: .consumer) == "/confluent_cloud_resource/svc_user/consumer_kafka_client")
        #expect(try KafkaPropertiesLocation(user: "u", prefix: "/other/").parameterPath(for: .producer) == "/other/u/producer_kafka_client")
    }

    @Test(arguments: [("a/b", "/p"), ("", "/p"), ("u", "p"), ("u", "/a//b"), ("u", "/a b")])
    func refusesPathsThatCouldEscapeTheLayout(user: String, prefix: String) {
        #expect(throws: KafkaPropertiesLocation.InvalidLocation.self) { try KafkaPropertiesLocation(user: user, prefix: prefix) }
    }
}
