import Allocation
import CNcurses
import Glibc

/// Why the console cannot start.
public enum ConsoleError: Error, CustomStringConvertible, Sendable {
    case notATerminal
    case cannotStartTerminal(String)
    /// The terminal type is known but cannot move the cursor (`dumb`, a printing terminal).
    case cannotAddressCursor(String)

    public var description: String {
        switch self {
        case .notATerminal:
            "the console needs a terminal: standard input and output must not be redirected "
                + "(in scripts use subcommands such as 'stock batches' or 'stock apply')"
        case .cannotStartTerminal(let term):
            "cannot start the console on terminal type \"\(term)\"; set TERM to your terminal (e.g. xterm-256color)"
        case .cannotAddressCursor(let term):
            "the console cannot run on terminal type \"\(term)\", which cannot move the cursor; set TERM to your "
                + "terminal (e.g. xterm-256color), or use subcommands such as 'stock batches' or 'stock events'"
        }
    }
}

/// The one owner of every ncurses call: start-up, colours, wide-character drawing, timed key reads, size and
/// teardown. See https://invisible-island.net/ncurses/man/ncurses.3x.html.
final class Terminal {
    /// Whether the locale's codeset is UTF-8; otherwise screens draw with ASCII glyphs.
    let utf8: Bool
    private(set) var colors = false
    private var screen: OpaquePointer?
    private var pairs: [Style: Int16] = [:]

    /// Fails before touching curses when standard input or output is not a terminal.
    static func requireTerminal() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw ConsoleError.notATerminal }
    }

    /// Starts curses on standard input and output.
    ///
    /// - Parameter colors: whether to use colours, when the terminal has them.
    /// - Throws: `ConsoleError` when not on a terminal, or the terminal type is unknown or cannot move the cursor.
    init(colors wanted: Bool) throws {
        setlocale(LC_ALL, "")
        utf8 = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } == "UTF-8"
        try Terminal.requireTerminal()
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        // Checked before curses starts, so a terminal the console cannot draw on is left as it was.
        switch cn_terminal_can_address(STDOUT_FILENO) {
        case 1: break
        case 0: throw ConsoleError.cannotAddressCursor(term)
        default: throw ConsoleError.cannotStartTerminal(term)
        }
        Signals.unblock()
        Signals.install()
        guard let screen = newterm(nil, cn_stdout(), cn_stdin()) else {
            throw ConsoleError.cannotStartTerminal(term)
        }
        self.screen = screen
        cbreak()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        if wanted && has_colors() {
            start_color()
            let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
            colors = true
            let table: [(Style, Int32, Int16)] = [
                (.inStock, COLOR_GREEN, background), (.ok, COLOR_GREEN, background),
                (.arriving, COLOR_CYAN, background), (.late, COLOR_YELLOW, background),
                (.empty, COLOR_RED, background), (.error, COLOR_RED, background),
                (.alert, COLOR_WHITE, Int16(COLOR_RED)), (.title, COLOR_BLACK, Int16(COLOR_CYAN)),
                (.activeTab, COLOR_WHITE, Int16(COLOR_BLUE)), (.tab, COLOR_BLACK, Int16(COLOR_CYAN)),
                (.group, COLOR_BLUE, background), (.match, COLOR_MAGENTA, background),
                (.key, COLOR_CYAN, background), (.border, COLOR_CYAN, background),
            ]
            for (number, entry) in table.enumerated() {
                init_pair(Int16(number + 1), Int16(entry.1), entry.2)
                pairs[entry.0] = Int16(number + 1)
            }
        }
    }

    deinit { close() }

    /// Restores the terminal; safe to call twice.
    func close() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
    }

    /// Columns and rows.
    var size: (width: Int, height: Int) {
        (Int(getmaxx(cn_stdscr())), Int(getmaxy(cn_stdscr())))
    }

    /// The attributes for a style, chosen to read without colour too; the colour is ``pair(_:)``.
    func attributes(_ style: Style) -> attr_t {
        let base: attr_t
        switch style {
        case .normal, .inStock, .arriving, .ok, .border, .tab: base = cn_a_normal()
        case .title: base = colors ? cn_a_normal() : cn_a_reverse()
        case .activeTab: base = colors ? cn_a_bold() : cn_a_bold() | cn_a_underline()
        case .header, .group, .key, .error, .late: base = cn_a_bold()
        case .selected: base = cn_a_reverse()
        case .alert: base = cn_a_bold() | (colors ? cn_a_normal() : cn_a_reverse())
        case .empty, .dim: base = cn_a_dim()
        case .match, .input: base = cn_a_underline()
        }
        return base
    }

    /// The colour pair for a style, 0 (the terminal's default colours) without colour.
    func pair(_ style: Style) -> Int16 {
        pairs[style] ?? 0
    }

    /// Draws a canvas and updates the physical screen (ncurses sends only what changed).
    func draw(_ canvas: Canvas) {
        let window = cn_stdscr()
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x: x, y: y]
                guard !cell.text.isEmpty else { continue }
                var scalars = cell.text.unicodeScalars.prefix(5).map { wchar_t(bitPattern: $0.value) }
                if !utf8, scalars.contains(where: { $0 > 0x7E || $0 < 0x20 }) { scalars = [0x3F] }
                scalars.append(0)
                var character = cchar_t()
                setcchar(&character, scalars, attributes(cell.style), pair(cell.style), nil)
                mvwadd_wch(window, Int32(y), Int32(x), &character)
            }
        }
        wrefresh(window)
    }

    /// Waits up to `milliseconds` for a key; nil when the time ran out (the refresh tick).
    func readKey(timeout milliseconds: Int) -> Key? {
        let window = cn_stdscr()
        wtimeout(window, Int32(milliseconds))
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case KEY_CODE_YES:
            return Terminal.functionKey(Int32(code))
        case OK:
            return Terminal.characterKey(code)
        default:
            return nil
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_RESIZE: .resize
        default: nil
        }
    }

    static func characterKey(_ code: wint_t) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0x15: return .control("u")
        case 0x17: return .control("w")
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)), !Validation.isControl(scalar) else { return nil }
            return .character(Character(scalar))
        }
    }
}
