import Deployment

/// A live plan for people: aligned text for a terminal, a Markdown table for a pull request.
enum PlanRendering {
    static func text(_ result: DeployResult, catalog: String, database: String) -> String {
        let lines = result.plan ?? []
        let idWidth = lines.map(\.id.count).max() ?? 0
        var text = "Plan for \(result.pipeline) in \(catalog).\(database):\n"
        for line in lines {
            let id = line.id + String(repeating: " ", count: idWidth - line.id.count)
            text += "  \(id)  \(line.action)\n"
            if !line.reason.isEmpty, !line.isRefused { text += "  \(String(repeating: " ", count: idWidth))    \(line.reason)\n" }
        }
        return text + (lines.contains(where: \.isRefused) ? "A deploy would be refused; nothing was changed." : "Nothing was changed.")
    }

    static func markdown(_ result: DeployResult, catalog: String, database: String) -> String {
        let lines = result.plan ?? []
        var text = "### Flink deploy plan: `\(result.pipeline)` → `\(catalog)`.`\(database)`\n\n"
        text += "| Statement | Action | Why |\n|---|---|---|\n"
        for line in lines {
            text += "| `\(cell(line.id))` | \(line.isRefused ? "**\(cell(line.action))**" : cell(line.action)) | \(cell(line.reason)) |\n"
        }
        text += lines.contains(where: \.isRefused)
            ? "\n**A deploy would be refused.** Nothing was changed.\n"
            : "\nNothing was changed; each statement a deploy would submit was validated by Confluent where it could be.\n"
        return text
    }

    /// Table cells: a `|` would end the cell and a newline the row.
    private static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ")
    }
}
