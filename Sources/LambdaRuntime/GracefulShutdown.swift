import Dispatch
import HTTP
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Lambda sends SIGTERM before shutting an environment down only when an extension is
/// registered. This registers an internal one that subscribes to no events (its event/next
/// long poll never returns) and turns SIGTERM into a logged, clean exit.
enum GracefulShutdown {
    nonisolated(unsafe) private static var signalSource: DispatchSourceSignal?

    /// Call before the first `/next`: Lambda closes registration then.
    static func enable(runtimeAPI address: String, userAgent: String, logger: Logger) {
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        signal(SIGTERM, SIG_IGN)
        source.setEventHandler {
            logger.info("SIGTERM received; shutting down")
            exit(0)
        }
        source.resume()
        signalSource = source

        do {
            let endpoint = try HTTPEndpoint(parsing: "http://\(address)")
            let http = HTTPClient(userAgent: userAgent)
            let register = HTTPRequest(
                method: "POST", endpoint: endpoint, path: "/2020-01-01/extension/register",
                headers: HTTPHeaders([("Lambda-Extension-Name", "ccaf-deploy-shutdown"), ("Content-Type", "application/json")]),
                body: Array(#"{"events":[]}"#.utf8), connectTimeout: .seconds(1), timeout: .seconds(5))
            let response = try http.send(register)
            guard response.status == 200, let identifier = response.headers["Lambda-Extension-Identifier"] else {
                logger.warning("extension registration refused; SIGTERM will not be delivered", metadata: ["status": "\(response.status)"])
                return
            }
            // Lambda waits for every extension to ask for its next event before it invokes the function.
            DispatchQueue.global().async {
                let http = HTTPClient(userAgent: userAgent)
                let next = HTTPRequest(
                    method: "GET", endpoint: endpoint, path: "/2020-01-01/extension/event/next",
                    headers: HTTPHeaders([("Lambda-Extension-Identifier", identifier)]), connectTimeout: .seconds(1), timeout: nil)
                _ = try? http.send(next)
            }
        } catch {
            logger.warning("extension registration failed; SIGTERM will not be delivered", metadata: ["error": "\(error)"])
        }
    }
}
