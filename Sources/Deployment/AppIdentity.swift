/// The application's name and version: the CLI's `--version`, the image's smoke test, the
/// logger label, and the User-Agent of every HTTP call (AWS, Confluent, the Runtime API).
public enum AppIdentity {
    public static let name = "ccaf-deploy"
    public static let version = "0.1.0"
    public static var userAgent: String { "\(name)/\(version)" }
}
