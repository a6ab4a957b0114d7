extension StringProtocol {
    /// The text without leading and trailing scalars from `characters` (ASCII whitespace by
    /// default). Scalars, not characters: `"\r\n"` is one `Character`, so a character-wise trim
    /// would keep a lone `\r` or `\n`.
    public func trimmed(_ characters: String = " \t\r\n") -> String {
        let unwanted = characters.unicodeScalars
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, unwanted.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, unwanted.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
