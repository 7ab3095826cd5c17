import Allocation

/// What handling a key asks for: the one answer of the screens, the forms, the help overlay and the console's own
/// keys.
///
/// ``ConsoleState/handle(_:)`` carries out the answers that change only what is shown (a form opened or closed,
/// a message, text typed into a prompt) and hands the loop the rest: ``none``, ``redraw``, ``reload(all:)``,
/// ``send(_:)`` and ``quit``. The loop alone queries, calls the bus and draws.
enum Reaction {
    /// Nothing changed.
    case none
    case redraw
    /// Query the current screen again (`all`: every screen, after data changed).
    case reload(all: Bool)
    case openForm(Form)
    /// Open the history panel of an order or a batch over the screen (the next reload fills it).
    case openHistory(HistoryPanel)
    /// Open the projection of a SKU over the screen (the next reload fills it).
    case openProjection(sku: String)
    /// Find out what the open form asks (what a quantity change would do, whether a SKU is new) at the next
    /// reload; nothing is sent.
    case preview(Form.PreviewRequest)
    /// Close the form or help overlay over the screen.
    case closeOverlay
    /// Open the live filter's prompt for the current screen.
    case openFilter(FilterPrompt)
    /// What was typed in a search or filter prompt, for the current screen (empty clears it).
    case typed(String)
    case message(String, Style)
    /// Carry out a command through the bus; the form that built it stays open until the outcome is known.
    case send(Command)
    case quit
}
