#if canImport(Glibc)
import Glibc
#endif
import SystemIO

/// Writes a file that holds secrets: readable and writable by its owner only (0600) from the
/// first byte, and atomic: the text goes to a new file beside the target, is flushed to disk,
/// then renamed over it, so a reader never sees half a file or a wider mode.
public enum OwnerOnlyFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func write(_ text: String, to path: String) throws(WriteError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let temporary = "\(directory.isEmpty ? "/" : directory)/.\(path.split(separator: "/").last ?? "file").\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create a file in '\(directory)'") }
        guard writeAll(Array(text.utf8), to: descriptor) else {
            close(descriptor)
            unlink(temporary)
            throw failure("cannot write '\(path)'")
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw failure("cannot flush '\(path)' to disk")
        }
        guard rename(temporary, path) == 0 else {
            let reason = failure("cannot replace '\(path)'")
            unlink(temporary)
            throw reason
        }
    }

    private static func failure(_ what: String) -> WriteError {
        WriteError(description: "\(what): \(String(cString: strerror(errno)))")
    }
}
