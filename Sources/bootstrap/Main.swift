import Deployment
import LambdaRuntime
import SystemIO

/// The container image's entry point: the Lambda function, and `--version` for the image's
/// smoke test. The command-line tool is `ccaf-deploy`.
@main
enum Bootstrap {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "--version" {
            print(AppIdentity.version)
            return
        }
        LambdaFunction.run(environment: processEnvironment())
    }
}
