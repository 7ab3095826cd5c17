/// The line-drawing, gauge and marker characters: UTF-8 ones, or plain ASCII when the locale is not UTF-8.
struct Glyphs: Equatable, Sendable {
    var horizontal: String
    var vertical: String
    var gaugeFull: String
    var gaugeEmpty: String
    var ellipsis: String
    /// Shown in place of a control character or an escape sequence's introducer.
    var replacement: String
    var cornerTopLeft: String
    var cornerTopRight: String
    var cornerBottomLeft: String
    var cornerBottomRight: String
    var dot: String

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", gaugeFull: "█", gaugeEmpty: "░", ellipsis: "…", replacement: "�",
        cornerTopLeft: "┌", cornerTopRight: "┐", cornerBottomLeft: "└", cornerBottomRight: "┘", dot: "·")

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", gaugeFull: "#", gaugeEmpty: ".", ellipsis: "~", replacement: "?",
        cornerTopLeft: "+", cornerTopRight: "+", cornerBottomLeft: "+", cornerBottomRight: "+", dot: "-")
}
