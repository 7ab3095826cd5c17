/// The console's rules for putting database text on a terminal, for other front ends that print to one (the
/// command line's tables): the same sanitizing and the same cell widths as the screens.
public enum TerminalText {
    /// `text` with every control character, escape sequence and text-direction mark replaced by `replacement`.
    public static func sanitized(_ text: String, replacement: String = "?") -> String {
        DisplayText.clusters(text, replacement: replacement).map(\.text).joined()
    }

    /// How many terminal cells `text` takes once sanitized (CJK characters two, combining marks none).
    public static func width(_ text: String) -> Int {
        DisplayText.width(text)
    }
}
