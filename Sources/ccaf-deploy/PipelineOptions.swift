import ArgumentParser
import BuiltinPipelines
import JSON
import LambdaRuntime
import PipelineFiles
import Pipelines

/// `--pipeline NAME` or `--pipeline-file FILE`, shared by `deploy` and `plan`.
struct PipelineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A built-in pipeline to deploy (default: the event's, else \(BuiltinPipelines.default.name)).", valueName: "name"))
    var pipeline: String?

    @Option(help: ArgumentHelp("A pipeline definition to deploy: YAML or JSON (see pipelines/).", valueName: "file"))
    var pipelineFile: String?

    func validate() throws {
        if pipeline != nil, pipelineFile != nil {
            throw ValidationError("give --pipeline or --pipeline-file, not both")
        }
        if let pipeline, BuiltinPipelines.named(pipeline) == nil {
            throw ValidationError("--pipeline '\(pipeline)' is not a built-in pipeline (built-in: \(BuiltinPipelines.names.joined(separator: ", ")))")
        }
    }

    /// The event's `pipeline` member the options ask for, if any. A definition file is checked
    /// here, so its problems name the file's lines: `Function.InvalidEvent`, as the Lambda says it.
    func eventValue() throws(LambdaError) -> JSONValue? {
        if let pipeline { return .string(pipeline) }
        guard let pipelineFile else { return nil }
        let file: PipelineFile
        do {
            file = try PipelineFile.read(pipelineFile)
        } catch {
            throw .function("InvalidEvent", "invalid pipeline file: \(error)")
        }
        if case .failure(let errors) = PipelineDefinition.parse(file.value) {
            throw .function("InvalidEvent", "invalid pipeline file: " + errors.problems.map(file.describe).joined(separator: "; "))
        }
        return file.value
    }
}
