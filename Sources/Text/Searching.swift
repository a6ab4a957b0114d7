extension StringProtocol {
    /// The first occurrence of `text`, matched on Unicode scalars.
    ///
    /// The standard library's `firstRange(of:)`, `contains(_:)` and `split(separator:)` for
    /// strings live in _StringProcessing, whose regex engine (0.8 MB of code) they would link into
    /// the image for a few searches of ASCII markers.
    public func firstRange(ofScalars text: String) -> Range<String.Index>? {
        let scalars = unicodeScalars, needle = text.unicodeScalars
        var start = scalars.startIndex
        while true {
            var candidate = start, wanted = needle.startIndex
            while wanted < needle.endIndex, candidate < scalars.endIndex, scalars[candidate] == needle[wanted] {
                candidate = scalars.index(after: candidate)
                wanted = needle.index(after: wanted)
            }
            if wanted == needle.endIndex { return start..<candidate }
            guard start < scalars.endIndex else { return nil }
            start = scalars.index(after: start)
        }
    }
}
